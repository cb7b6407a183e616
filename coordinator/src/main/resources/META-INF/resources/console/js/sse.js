// A Server-Sent Events parser (the WHATWG "event stream interpretation"), fed text as it
// arrives. EventSource would do this for us but cannot send an Authorization header, so the
// console reads /events with fetch() and parses the frames here.

/** Returns push(text): call it with each decoded chunk; onFrame({id, event, data}) per event. */
export function sseParser(onFrame) {
  let buffer = '';
  let data = [];
  let event = '';
  let id = null;

  function line(text) {
    if (text === '') {
      if (data.length || event) onFrame({id, event: event || 'message', data: data.join('\n')});
      data = [];
      event = '';
      return;
    }
    if (text.startsWith(':')) return; // a comment: the keep-alive
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  }

  return function push(chunk) {
    buffer += chunk;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      if (c === '\r' && i + 1 === buffer.length) break; // a \r\n may be split across chunks
      line(buffer.slice(start, i));
      if (c === '\r' && buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
  };
}
