// Search: POST /v1/search, the hits best first, without an answer.

import { callJson, describe } from './api.js';
import { byId, el, show, status, retrievalFacts, score, snippet, where, ms } from './view.js';
import { FieldError, readForm, retrievalFields } from './retrieval.js';

/** Wires the search form; {@code openChunk(hit, opener)} shows one hit in the chunk dialog. */
export function setUpSearch(openChunk) {
  const form = byId('search-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search(form, openChunk);
  });
}

async function search(form, openChunk) {
  const line = byId('search-status');
  const query = byId('search-query');
  const body = readForm(form, line, () => {
    if (!query.value.trim()) {
      throw new FieldError(query, 'Type what to look for first.');
    }
    return { query: query.value.trim(), ...retrievalFields('search') };
  });
  if (!body) {
    return;
  }
  form.dataset.state = 'searching';
  status(line, 'Searching…');
  try {
    const found = await callJson('/v1/search', { method: 'POST', json: body });
    showHits(found.hits, openChunk);
    retrievalFacts(byId('search-retrieval'), found);
    byId('search-result').hidden = false;
    status(line, `${found.hits.length} ${found.hits.length === 1 ? 'hit' : 'hits'} in ${ms(found.timings_ms.total)},`
        + ` served by ${found.served_by}.`, 'done');
    form.dataset.state = 'done';
  } catch (e) {
    status(line, `Not searched: ${describe(e, true)}`, 'error');
    form.dataset.state = 'failed';
  }
}

function showHits(hits, openChunk) {
  show(byId('search-hits'), hits.map((hit, i) => {
    // the dialog shows hits as it shows an answer's sources: numbered by rank
    const source = { ...hit, ref: i + 1 };
    const open = el('button', { type: 'button', class: 'link', onclick: () => openChunk(source, open) },
        `${source.ref}. ${hit.title}`);
    const metadata = Object.entries(hit.metadata || {});
    return el('li', { dataset: { docId: hit.doc_id } }, open,
        el('span', { class: 'where' }, `${where(hit.location)} · score ${score(hit.score)}`),
        el('p', { class: 'snippet' }, snippet(hit.text)),
        el('p', { class: 'meta' }, `document ${hit.doc_id} · chunk ${hit.chunk_index}`,
            metadata.length ? ` · ${metadata.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')}`
              : ''));
  }));
}
