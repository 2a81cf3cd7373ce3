// Server-sent events read from a fetch response: EventSource cannot POST a question or send a key, so the console
// parses text/event-stream itself, as the HTML standard says
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).

/** Yields each event of the response body as {event, data}, data parsed as JSON (FARO's events are JSON objects). */
export async function* serverSentEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { name: 'message', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    // a CR at the very end of the stream ends its line: no LF can follow it any more
    buffer += done ? (buffer.endsWith('\r') ? '\n' : '') : value;
    let end;
    while ((end = lineEnd(buffer)) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(buffer[end] === '\r' && buffer[end + 1] === '\n' ? end + 2 : end + 1);
      if (line === '') {
        if (event.data.length > 0) {
          yield { event: event.name, data: JSON.parse(event.data.join('\n')) };
        }
        event = { name: 'message', data: [] };
        continue;
      }
      if (line.startsWith(':')) {
        continue; // a comment, such as a keep-alive
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) {
        value = value.slice(1);
      }
      if (field === 'event') {
        event.name = value;
      } else if (field === 'data') {
        event.data.push(value);
      }
    }
    if (done) {
      return; // an event the stream did not finish with a blank line is dropped, as the standard says
    }
  }
}

/** Where the first line of the buffer ends (CR, LF or CRLF), or -1 while it is incomplete. */
function lineEnd(buffer) {
  const lf = buffer.indexOf('\n');
  const cr = buffer.indexOf('\r');
  if (cr >= 0 && (lf < 0 || cr < lf)) {
    // a CR at the very end may be the first half of a CRLF: wait for the next piece
    return cr === buffer.length - 1 ? -1 : cr;
  }
  return lf;
}
