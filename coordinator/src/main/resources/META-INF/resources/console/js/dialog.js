// The one dialog every operator action goes through: what will happen (stated plainly), a
// mandatory reason that goes into the audit log, and the coordinator's answer. A native modal
// <dialog>: focus stays inside, Escape cancels, focus returns to the button that opened it.

import {focusKey, h, problemNotice} from './dom.js';

const MAX_REASON = 1000;
let serial = 0;

/**
 * options: title, statement (string or node), confirmLabel, danger, fields (extra nodes),
 * check() -> an error message for the extra fields or null, submit(reason) -> Promise.
 * Resolves with submit's result, or null if cancelled.
 */
export function reasonDialog({title, statement, confirmLabel, danger = false, fields = [], check = () => null, submit}) {
  const id = `dialog-${++serial}`;
  const opener = document.activeElement;
  const openerKey = focusKey(opener); // the page may redraw it while the dialog is open
  const reason = h('textarea', {id: `${id}-reason`, name: 'reason', rows: 3, maxlength: MAX_REASON,
    'aria-describedby': `${id}-reason-hint ${id}-reason-error`});
  const reasonError = h('div', {id: `${id}-reason-error`, class: 'field-error', 'aria-live': 'polite'});
  const counter = h('div', {class: 'counter', 'aria-hidden': 'true'}, `0 / ${MAX_REASON}`);
  const fieldsError = h('div', {class: 'field-error', 'aria-live': 'polite'});
  const problem = h('div', {class: 'dialog-problem', 'aria-live': 'assertive'});
  const confirm = h('button', {type: 'submit', class: `button${danger ? ' danger' : ''}`}, confirmLabel);
  const cancel = h('button', {type: 'button', class: 'button quiet'}, 'Cancel');

  const form = h('form', {novalidate: true},
    h('h2', {id: `${id}-title`}, title),
    h('div', {class: 'decision', id: `${id}-statement`}, statement),
    fields, fieldsError,
    h('div', {class: 'field'},
      h('label', {for: `${id}-reason`}, 'Reason (required)'),
      reason,
      h('div', {class: 'hint', id: `${id}-reason-hint`}, 'Recorded in the audit log and the transaction\'s history, with your identity.'),
      reasonError, counter),
    problem,
    h('div', {class: 'dialog-buttons'}, cancel, confirm));
  const dialog = h('dialog', {'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-statement`, class: 'action-dialog'}, form);

  reason.addEventListener('input', () => {
    counter.textContent = `${reason.value.length} / ${MAX_REASON}`;
    if (reason.value.trim()) {
      reason.removeAttribute('aria-invalid');
      reasonError.textContent = '';
    }
  });

  return new Promise((resolve) => {
    let result = null;
    dialog.addEventListener('close', () => {
      dialog.remove();
      const target = opener?.isConnected ? opener : openerKey && document.querySelector(openerKey);
      target?.focus();
      resolve(result);
    });
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      problem.replaceChildren();
      const fieldMessage = check();
      fieldsError.textContent = fieldMessage || '';
      const text = reason.value.trim();
      if (!text) {
        reason.setAttribute('aria-invalid', 'true');
        reasonError.textContent = 'Give a reason: nothing is sent without one.';
        reason.focus();
        return;
      }
      if (fieldMessage) return;
      confirm.disabled = true;
      cancel.disabled = true;
      try {
        result = await submit(text);
        dialog.close();
      } catch (e) {
        problem.replaceChildren(problemNotice(e));
      } finally {
        confirm.disabled = false;
        cancel.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
}
