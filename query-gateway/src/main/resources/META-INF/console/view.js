// Small DOM helpers. Text from the API (documents, answers, problems) only ever becomes text nodes, never markup.

/** An element with attributes (on* keys become listeners) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function byId(id) {
  return document.getElementById(id);
}

/** Replaces what the node holds. */
export function show(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A description list's terms and definitions, skipping entries whose value is undefined. */
export function facts(list, entries) {
  show(list, entries.filter(([, value]) => value !== undefined)
      .map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

export function ms(value) {
  return value === null || value === undefined ? '–' : `${Number(value).toFixed(1)} ms`;
}

export function score(value) {
  return Number(value).toFixed(3);
}

/** The timings of a search or an answer, each step and the total, as a small table. */
export function timings(timingsMs) {
  const rows = Object.entries(timingsMs || {}).map(([step, value]) =>
    el('tr', {}, el('th', { scope: 'row' }, step), el('td', {}, ms(value))));
  return el('table', { class: 'timings' }, el('caption', { class: 'visually-hidden' }, 'Milliseconds by step'),
      el('tbody', {}, rows));
}

/** Which store answered, whether it fell back and why, and how much the shadow agreed. */
export function retrievalFacts(list, outcome, more = []) {
  facts(list, [
    ['Served by', outcome.served_by],
    ['Fell back', outcome.degraded ? `yes: ${outcome.fallback_reason || 'the primary store failed'}` : 'no'],
    ['Shadow overlap', outcome.overlap === null || outcome.overlap === undefined
      ? 'not measured (no shadow, not sampled, or it had not answered yet)'
      : `${Math.round(outcome.overlap * 100)} % of the top hits in common`],
    ...more,
    ['Timings', timings(outcome.timings_ms)],
  ]);
}

/** Sets a status line (a live region): what is going on, or an error. */
export function status(node, text, kind = 'info') {
  node.textContent = text;
  node.dataset.kind = kind;
}

/** Where a chunk lies in its document, or nothing. */
export function where(location) {
  return location ? ` · ${location}` : '';
}

/** The start of a chunk's text, on one line. */
export function snippet(text, length = 220) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}
