// Ask: POST /v1/query with Accept: text/event-stream; the answer is drawn as its pieces arrive.

import { call, describe } from './api.js';
import { serverSentEvents } from './events.js';
import { byId, el, show, status, retrievalFacts, score, snippet, where, ms } from './view.js';
import { FieldError, readForm, retrievalFields } from './retrieval.js';

let running = null;

/** Wires the ask form; {@code openChunk(source, opener)} shows one source in the chunk dialog. */
export function setUpAsk(openChunk) {
  const form = byId('ask-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ask(form, openChunk);
  });
  // Enter asks, Shift+Enter starts a new line, as in most chat boxes
  byId('ask-question').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  byId('ask-stop').addEventListener('click', () => running?.abort());
}

async function ask(form, openChunk) {
  const line = byId('ask-status');
  const question = byId('ask-question');
  const body = readForm(form, line, () => {
    if (!question.value.trim()) {
      throw new FieldError(question, 'Type a question first.');
    }
    return { question: question.value.trim(), ...retrievalFields('ask') };
  });
  if (!body) {
    return;
  }
  running?.abort();
  const controller = new AbortController();
  running = controller;
  const answer = byId('ask-answer');
  const stop = byId('ask-stop');
  const result = byId('ask-result');
  form.dataset.state = 'asking';
  show(answer);
  show(byId('ask-sources'));
  show(byId('ask-retrieval'));
  show(byId('ask-answer-meta'));
  result.hidden = false;
  answer.setAttribute('aria-busy', 'true');
  stop.disabled = false;
  status(line, 'Finding sources…');
  let sources = [];
  let outcome = null;
  let text = '';
  let pieces = 0;
  let finished = false;
  try {
    const response = await call('/v1/query', { method: 'POST', json: body, accept: 'text/event-stream',
      signal: controller.signal });
    for await (const { event, data } of serverSentEvents(response)) {
      if (event === 'sources') {
        sources = data.sources;
        outcome = data;
        showSources(sources, openChunk);
        retrievalFacts(byId('ask-retrieval'), outcome);
        status(line, sources.length ? 'Writing the answer…' : 'No source matched; writing the answer…');
      } else if (event === 'delta') {
        text += data.text;
        pieces += 1;
        showAnswer(answer, text, sources, openChunk);
      } else if (event === 'error') {
        // the LLM failed: what it wrote so far is discarded, done brings the extractive answer
        text = '';
        showAnswer(answer, text, sources, openChunk);
        status(line, `The LLM failed (${data.llm_error}); quoting the sources instead…`, 'warning');
      } else if (event === 'done') {
        finished = true;
        showAnswer(answer, data.answer, sources, openChunk);
        show(byId('ask-answer-meta'), describeAnswer(data, pieces));
        retrievalFacts(byId('ask-retrieval'), { ...outcome, timings_ms: data.timings_ms },
            [['Citations', data.citations.length ? data.citations.map((c) => `[${c.ref}]`).join(' ') : 'none']]);
        status(line, `Answered in ${ms(data.timings_ms.total)}.`, 'done');
        form.dataset.state = 'done';
      }
    }
    if (!finished) {
      status(line, 'The answer stopped before it was complete; ask again.', 'error');
      form.dataset.state = 'failed';
    }
  } catch (e) {
    if (e.name === 'AbortError') {
      status(line, 'Stopped.', 'warning');
      form.dataset.state = 'stopped';
    } else {
      status(line, `Not answered: ${describe(e, true)}`, 'error');
      form.dataset.state = 'failed';
      if (!text) {
        result.hidden = true;
      }
    }
  } finally {
    answer.setAttribute('aria-busy', 'false');
    stop.disabled = true;
    if (running === controller) {
      running = null;
    }
  }
}

/** The answer's text in paragraphs, each [n] that names a source a button that opens it. */
function showAnswer(node, text, sources, openChunk) {
  const byRef = new Map(sources.map((source) => [source.ref, source]));
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim() !== '');
  show(node, paragraphs.map((paragraph) => el('p', {}, cited(paragraph, byRef, openChunk))));
}

function cited(paragraph, byRef, openChunk) {
  const parts = [];
  let last = 0;
  for (const match of paragraph.matchAll(/\[(\d+)\]/g)) {
    const source = byRef.get(Number(match[1]));
    if (!source) {
      continue;
    }
    parts.push(paragraph.slice(last, match.index));
    const button = el('button', { type: 'button', class: 'cite', dataset: { ref: source.ref },
      'aria-label': `Source ${source.ref}: ${source.title}${where(source.location)}`,
      onclick: () => openChunk(source, button) }, `[${source.ref}]`);
    parts.push(button);
    last = match.index + match[0].length;
  }
  parts.push(paragraph.slice(last));
  return parts;
}

function describeAnswer(done, pieces) {
  const streamed = `streamed in ${pieces} ${pieces === 1 ? 'piece' : 'pieces'}`;
  if (done.extractive) {
    const why = done.llm_error ? `the LLM failed: ${done.llm_error}` : 'no LLM is configured';
    return `Extractive answer, quoting the sources (${why}); ${streamed}.`;
  }
  const llm = done.llm || {};
  // the endpoint is named as "model@host/path"
  const prefix = `${llm.model}@`;
  const endpoint = llm.endpoint?.startsWith(prefix) ? llm.endpoint.slice(prefix.length) : llm.endpoint;
  return `Generated by ${llm.model} at ${endpoint} in ${ms(llm.llm_ms)}, ${llm.prompt_tokens} prompt and`
      + ` ${llm.completion_tokens} answer tokens; ${streamed}.`;
}

function showSources(sources, openChunk) {
  show(byId('ask-sources'), sources.map((source) => {
    const open = el('button', { type: 'button', class: 'link', dataset: { ref: source.ref },
      onclick: () => openChunk(source, open) }, `[${source.ref}] ${source.title}`);
    return el('li', { dataset: { ref: source.ref } }, open,
        el('span', { class: 'where' }, `${where(source.location)} · score ${score(source.score)}`),
        el('p', { class: 'snippet' }, snippet(source.text)));
  }));
}
