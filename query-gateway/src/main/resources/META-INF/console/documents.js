// Documents: publish a file or pasted text (POST /v1/documents), follow it until every store can search it or the
// pipeline refuses it, and show what each store holds of a document (GET /v1/documents/{id}).

import { ApiError, call, callJson, describe, documentPath } from './api.js';
import { byId, el, facts, show, status } from './view.js';
import { FieldError, jsonObject, markField, readForm } from './retrieval.js';

const POLL_MS = 500;
const FOLLOW_FOR_MS = 180_000;
let following = 0;

export function setUpDocuments() {
  const upload = byId('upload-form');
  upload.addEventListener('submit', (event) => {
    event.preventDefault();
    publish(upload, uploadBody);
  });
  const paste = byId('paste-form');
  paste.addEventListener('submit', (event) => {
    event.preventDefault();
    publish(paste, pasteBody);
  });
  const lookup = byId('lookup-form');
  lookup.addEventListener('submit', (event) => {
    event.preventDefault();
    lookUp(byId('lookup-id').value.trim(), byId('lookup-tenant').value.trim());
  });
}

/** A file upload as multipart/form-data: the file, and the id, title and metadata when given. */
function uploadBody() {
  const file = byId('upload-file');
  if (file.files.length === 0) {
    throw new FieldError(file, 'Choose a file first.');
  }
  const metadata = jsonObject(byId('upload-metadata'), 'The metadata');
  const form = new FormData();
  form.append('file', file.files[0]);
  optional(form, 'id', byId('upload-id'));
  optional(form, 'title', byId('upload-title'));
  if (metadata) {
    form.append('metadata', JSON.stringify(metadata));
  }
  return { body: form };
}

function optional(form, name, control) {
  const value = control.value.trim();
  if (value) {
    form.append(name, value);
  }
}

/** Pasted text as the document's JSON, as on the topic. */
function pasteBody() {
  const text = byId('paste-text');
  if (!text.value.trim()) {
    throw new FieldError(text, 'Paste some text first.');
  }
  const document = { text: text.value };
  const id = byId('paste-id').value.trim();
  const title = byId('paste-title').value.trim();
  const metadata = jsonObject(byId('paste-metadata'), 'The metadata');
  if (id) {
    document.id = id;
  }
  if (title) {
    document.title = title;
  }
  if (metadata) {
    document.metadata = metadata;
  }
  return { json: document };
}

async function publish(form, read) {
  const line = byId('upload-status');
  const request = readForm(form, line, read);
  if (!request) {
    return;
  }
  following += 1; // a new document: stop following the last one
  byId('progress').hidden = true;
  byId('document').hidden = true;
  status(line, 'Publishing…');
  let accepted;
  let location;
  try {
    const response = await call('/v1/documents', { method: 'POST', ...request });
    accepted = await response.json();
    location = response.headers.get('Location') || documentPath(accepted.doc_id, accepted.tenant);
  } catch (e) {
    status(line, `Not published: ${describe(e, true)}`, 'error');
    return;
  }
  follow(accepted, location);
}

/** The steps a published document goes through, drawn as a list whose items say their state. */
class Steps {
  constructor(list) {
    this.list = list;
    show(list);
  }

  set(id, label, state, detail = '') {
    let item = this.list.querySelector(`[data-step="${id}"]`);
    if (!item) {
      item = el('li', { dataset: { step: id } });
      this.list.append(item);
    }
    if (item.dataset.state === state && item.dataset.detail === detail) {
      return false;
    }
    item.dataset.state = state;
    item.dataset.detail = detail;
    show(item, el('span', { class: 'state' }, STATE_WORDS[state]), ' ', el('strong', {}, label),
        detail ? el('span', { class: 'detail' }, ` ${detail}`) : '');
    return true;
  }

  remove(id) {
    this.list.querySelector(`[data-step="${id}"]`)?.remove();
  }

  /** Steps not reached: skipped, because the document went no further. */
  skipRest() {
    for (const item of this.list.querySelectorAll('[data-state="waiting"], [data-state="active"]')) {
      this.set(item.dataset.step, item.querySelector('strong').textContent, 'skipped');
    }
  }
}

const STATE_WORDS = {
  waiting: 'waiting', active: 'in progress', done: 'done', failed: 'refused', skipped: 'skipped',
};

/**
 * Polls the document's state until every store holds the published version (or a later one) completely, or the
 * pipeline refused it; each step that changes is announced.
 */
async function follow(accepted, location) {
  const generation = following;
  const line = byId('upload-status');
  const version = accepted.offset;
  const steps = new Steps(byId('progress-steps'));
  byId('progress').hidden = false;
  byId('progress').scrollIntoView({ block: 'nearest' });
  steps.set('published', 'Published', 'done',
      `to ${accepted.topic}, partition ${accepted.partition}, offset ${version} (the version it becomes)`);
  steps.set('chunked', 'Chunked and embedded', 'active', 'the pipeline is parsing, splitting and embedding it…');
  steps.set('stores', 'Searchable in each store', 'waiting', 'no store holds it yet');
  status(line, `Published ${accepted.doc_id} (version ${version}); following it until every store can search it.`);
  const deadline = Date.now() + FOLLOW_FOR_MS;
  while (generation === following) {
    let view = null;
    try {
      view = await callJson(location);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) {
        status(line, `Cannot follow ${accepted.doc_id}: ${describe(e, true)}`, 'error');
        if (e instanceof ApiError && (e.auth || e.status === 400)) {
          return;
        }
      }
    }
    if (generation !== following) {
      return;
    }
    if (view && progress(view, version, steps, line)) {
      showDocument(view);
      return;
    }
    if (Date.now() > deadline) {
      status(line, `${accepted.doc_id} is not searchable in every store after ${FOLLOW_FOR_MS / 1000} s. Its state`
          + ' below is the latest; the pipeline may be behind (see the lag on the dashboards).', 'warning');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Draws the steps for the document's state; true when it is settled (searchable everywhere, or refused). */
function progress(view, version, steps, line) {
  const rejection = view.rejection;
  if (rejection && rejection.version >= version) {
    steps.remove('stores');
    steps.set('rejected', `Refused at the ${rejection.stage} stage`, 'failed', rejection.reason);
    steps.skipRest();
    status(line, `The pipeline refused ${view.doc_id} at the ${rejection.stage} stage: ${rejection.reason}`, 'error');
    return true;
  }
  const stores = Object.entries(view.stores);
  const held = stores.filter(([, store]) => store.version !== null && store.version >= version);
  if (held.length > 0 && steps.set('chunked', 'Chunked and embedded', 'done', chunks(held[0][1].chunk_count))) {
    status(line, `${view.doc_id}: chunked and embedded, ${chunks(held[0][1].chunk_count)}.`);
  }
  steps.remove('stores');
  let searchable = 0;
  for (const [name, store] of stores) {
    const label = `Searchable in ${name}`;
    if (store.error) {
      steps.set(`store-${name}`, label, 'active', `the store could not be asked: ${store.error}`);
    } else if (store.version !== null && store.version >= version && store.current) {
      searchable += 1;
      const since = `since ${time(store.searchable_since)}, ${chunks(store.chunk_count)}`;
      if (steps.set(`store-${name}`, label, 'done', since)) {
        status(line, `${view.doc_id}: searchable in ${name}.`);
      }
    } else if (store.version !== null && store.version >= version) {
      steps.set(`store-${name}`, label, 'active', `writing: ${chunks(store.chunk_count)} so far`);
    } else {
      steps.set(`store-${name}`, label, 'waiting', store.version === null ? 'not there yet'
        : `holds version ${store.version}`);
    }
  }
  showDocument(view);
  if (searchable === stores.length) {
    status(line, `${view.doc_id} is searchable in every store (${stores.map(([name]) => name).join(', ')}).`, 'done');
    return true;
  }
  return false;
}

function chunks(count) {
  return `${count} ${count === 1 ? 'chunk' : 'chunks'}`;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : 'now';
}

/** Looks a document up and shows what each store holds of it. */
export async function lookUp(id, tenant = '') {
  const line = byId('lookup-status');
  const control = byId('lookup-id');
  byId('lookup-id').value = id;
  byId('lookup-tenant').value = tenant;
  if (!id) {
    markField(byId('lookup-form'), new FieldError(control, 'Type a document id first.'));
    status(line, 'Type a document id first.', 'error');
    return;
  }
  markField(byId('lookup-form'), null);
  status(line, `Looking up ${id}…`);
  try {
    showDocument(await callJson(documentPath(id, tenant)));
    status(line, `${id}: what each store holds.`, 'done');
  } catch (e) {
    byId('document').hidden = true;
    status(line, e instanceof ApiError && e.status === 404
      ? `No store holds ${id} (yet), or this key may not see it: ${e.problem.detail}` : describe(e, true), 'error');
  }
}

/** The document's version, chunks and freshness in each store, and its rejection when there is one. */
function showDocument(view) {
  const card = byId('document');
  card.hidden = false;
  card.dataset.docId = view.doc_id;
  show(byId('document-heading'), `Document ${view.doc_id}`);
  facts(byId('document-facts'), [
    ['Tenant', view.tenant],
    ['Newest version', view.version === null ? 'none stored' : String(view.version)],
    ['Chunks', String(view.chunk_count)],
    ['Visible to', view.acl && view.acl.length ? view.acl.join(', ') : 'the whole tenant'],
  ]);
  const rejection = view.rejection;
  show(byId('document-rejection'), rejection ? el('p', { class: 'rejection' },
      el('strong', {}, `Version ${rejection.version} refused at the ${rejection.stage} stage`),
      ` (${new Date(rejection.rejected_at).toLocaleString()}): ${rejection.reason}`) : '');
  const stores = Object.entries(view.stores);
  show(byId('document-stores').tBodies[0], stores.map(([name, store]) => el('tr', { dataset: { store: name } },
      el('th', { scope: 'row' }, name),
      store.error ? el('td', { colspan: 4 }, `could not be asked: ${store.error}`) : [
        el('td', {}, store.version === null ? '–' : String(store.version)),
        el('td', {}, String(store.chunk_count ?? 0)),
        el('td', {}, store.current ? 'yes' : 'no'),
        el('td', {}, store.searchable_since ? new Date(store.searchable_since).toLocaleString() : '–'),
      ])));
  show(byId('document-chunks'), stores.filter(([, store]) => store.chunk_ids && store.chunk_ids.length)
      .map(([name, store]) => el('details', {},
          el('summary', {}, `${store.chunk_ids.length} chunk ${store.chunk_ids.length === 1 ? 'id' : 'ids'}`
              + ` in ${name}`),
          el('ol', { class: 'chunk-ids' },
              store.chunk_ids.map((chunkId) => el('li', {}, el('code', {}, chunkId)))))));
}
