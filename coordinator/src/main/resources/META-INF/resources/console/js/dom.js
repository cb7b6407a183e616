// Building elements from data. Text always goes in as text (never as HTML), so nothing a
// transaction, an error or a reason holds can run as markup in the operator's browser.

/** h('a', {href: '#/x', class: 'id-link'}, 'text', child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces everything inside el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A problem (or any error) as the notice operators read: its title in bold, then its detail. */
export function problemNotice(error) {
  return h('div', {class: 'notice error', role: 'alert'},
    h('strong', {}, error.title || 'Something went wrong'),
    error.detail || error.message || '');
}

/** How to find an element again after it is drawn anew: its id, or the transaction id it links to. */
export function focusKey(el) {
  if (!el || el === document.body) return null;
  if (el.id) return `#${CSS.escape(el.id)}`;
  if (el.dataset.id) return `[data-id="${CSS.escape(el.dataset.id)}"]`;
  return null;
}

/**
 * Redraws part of a page without losing the keyboard focus: live updates redraw every second or
 * so while deliveries fail, and a keyboard user must not be thrown back to the top each time.
 */
export function keepFocus(container, redraw) {
  const active = document.activeElement;
  const key = container.contains(active) ? focusKey(active) : null;
  redraw();
  if (key && !active.isConnected) container.querySelector(key)?.focus();
}
