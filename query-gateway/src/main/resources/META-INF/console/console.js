// The console's entry point: the API key, the tabs, the chunk dialog, and each tab's module.

import { apiKey, describe, keepApiKey, onAuth } from './api.js';
import { setUpAsk } from './ask.js';
import { setUpSearch } from './search.js';
import { lookUp, setUpDocuments } from './documents.js';
import { byId, facts, score, show } from './view.js';

function setUpKey() {
  const form = byId('key-form');
  const input = byId('api-key');
  const state = byId('key-state');
  const say = () => {
    state.textContent = apiKey() ? 'A key is set for this tab.' : 'No key set: requests go without one.';
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    keepApiKey(input.value.trim());
    input.value = '';
    hideAlert();
    say();
  });
  byId('key-forget').addEventListener('click', () => {
    keepApiKey('');
    input.value = '';
    say();
  });
  say();
  onAuth((error) => (error ? showAlert(describe(error)) : hideAlert()));
}

function showAlert(text) {
  const alert = byId('auth-alert');
  alert.textContent = text;
  alert.hidden = false;
}

function hideAlert() {
  const alert = byId('auth-alert');
  alert.hidden = true;
  alert.textContent = '';
}

/** Tabs as the ARIA authoring practices describe them: one tab stop, arrow keys move between tabs. */
function setUpTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const select = (tab, focus) => {
    for (const each of tabs) {
      const selected = each === tab;
      each.setAttribute('aria-selected', String(selected));
      each.tabIndex = selected ? 0 : -1;
      byId(each.getAttribute('aria-controls')).hidden = !selected;
    }
    if (focus) {
      tab.focus();
    }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab, true));
    tab.addEventListener('keydown', (event) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next !== undefined) {
        event.preventDefault();
        select(tabs[(next + tabs.length) % tabs.length], true);
      }
    });
  });
  return (id) => select(byId(id), true);
}

/** The dialog that shows one chunk: its document, where in it, its score and its text. */
function setUpChunkDialog(showTab) {
  const dialog = byId('chunk-dialog');
  let shown = null;
  let opener = null;
  byId('chunk-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    // back to the citation or hit that opened it (unless the dialog moved on to another tab)
    if (opener?.isConnected && !opener.closest('[hidden]')) {
      opener.focus();
    }
  });
  byId('chunk-document').addEventListener('click', () => {
    opener = null;
    dialog.close();
    showTab('tab-documents');
    lookUp(shown.doc_id, shown.tenant === 'default' ? '' : shown.tenant);
  });
  return (source, from) => {
    shown = source;
    opener = from;
    show(byId('chunk-title'), `[${source.ref}] ${source.title}`);
    facts(byId('chunk-facts'), [
      ['Document', source.doc_id],
      ['Tenant', source.tenant],
      ['Where', source.location || 'no page or heading (the document has none)'],
      ['Score', score(source.score)],
      ['Chunk', source.chunk_index === undefined ? source.chunk_id : `${source.chunk_id} (#${source.chunk_index})`],
    ]);
    show(byId('chunk-text'), source.text);
    dialog.showModal();
  };
}

const showTab = setUpTabs();
setUpKey();
const openChunk = setUpChunkDialog(showTab);
setUpAsk(openChunk);
setUpSearch(openChunk);
setUpDocuments();
document.body.dataset.ready = 'true';
