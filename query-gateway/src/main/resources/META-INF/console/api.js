// FARO's public API as the console calls it: the key this tab holds, and problems (RFC 9457) as errors.

const KEY = 'faro.apiKey';

/** The API key this browser tab holds, or '' (kept in sessionStorage: gone when the tab closes). */
export function apiKey() {
  return sessionStorage.getItem(KEY) ?? '';
}

export function keepApiKey(key) {
  if (key) {
    sessionStorage.setItem(KEY, key);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

/** A refusal or failure of the API: its status and the problem's title and detail. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** 401 or 403: the key is missing, wrong, or lacks the role. */
  get auth() {
    return this.status === 401 || this.status === 403;
  }
}

const listeners = [];

/** Calls {@code listener(error)} on every 401 and 403, and {@code listener(null)} on every success. */
export function onAuth(listener) {
  listeners.push(listener);
}

function tell(error) {
  listeners.forEach((listener) => listener(error));
}

/**
 * One request to the gateway, with the key when this tab holds one. Resolves to the response when its status is
 * 2xx; rejects with an ApiError otherwise, holding the problem the gateway sent.
 */
export async function call(path, { method = 'GET', json, body, accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept };
  const key = apiKey();
  if (key) {
    headers.Authorization = `Bearer ${key}`;
  }
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, signal, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, { title: 'Gateway unreachable',
      detail: `the gateway did not answer (${e.message}); is FARO running?` });
  }
  if (response.ok) {
    tell(null);
    return response;
  }
  const error = new ApiError(response.status, await problem(response));
  if (error.auth) {
    tell(error);
  }
  throw error;
}

/** The JSON body of a 2xx answer. */
export async function callJson(path, options) {
  const response = await call(path, options);
  return response.json();
}

async function problem(response) {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      return parsed;
    }
  } catch {
    // not a problem body: say what came
  }
  return { title: `HTTP ${response.status}`, detail: text.slice(0, 300) || response.statusText };
}

/** {@code /v1/documents/{id}}, each segment of the id percent-encoded, and the tenant when one is named. */
export function documentPath(id, tenant) {
  const path = '/v1/documents/' + id.split('/').map(encodeURIComponent).join('/');
  return tenant ? `${path}?tenant=${encodeURIComponent(tenant)}` : path;
}

/**
 * What to tell a person about an error, in a sentence. {@code brief}: for a status line beside the alert that
 * already explains a refused key at length.
 */
export function describe(error, brief = false) {
  if (!(error instanceof ApiError)) {
    return error.message;
  }
  const { status, problem: p } = error;
  const detail = sentence(p.detail);
  if (status === 401) {
    return brief ? '401, the gateway refused the API key (see the message above).'
      : `The gateway did not accept ${apiKey() ? 'this API key' : 'a request without an API key'} (401`
        + ` ${p.title || 'Unauthenticated'}): ${detail} Enter a valid key at the top of the page.`;
  }
  if (status === 403) {
    return brief ? '403, the API key may not do this (see the message above).'
      : `This API key may not do that (403 ${p.title || 'Forbidden'}): ${detail}`;
  }
  if (status === 0) {
    return detail;
  }
  const retry = status === 429 || status === 503 ? ' Try again in a moment.' : '';
  return `${status} ${p.title || ''}: ${detail}${retry}`;
}

function sentence(text = '') {
  const trimmed = text.trim();
  return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
