// The retrieval options the ask and search forms share: top_k, the search mode and a metadata filter.

import { status } from './view.js';

/** A field that holds what the API would refuse: names the field, so the form can point at it. */
export class FieldError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

/**
 * The request body's retrieval fields from the form's controls, named {prefix}-top-k, {prefix}-mode and
 * {prefix}-filter. `mode` goes only when one is picked: "Server default" leaves FARO_SEARCH_MODE to decide, and a
 * gateway that does not know the field yet is not sent it.
 */
export function retrievalFields(prefix) {
  const fields = {};
  const topK = document.getElementById(`${prefix}-top-k`);
  if (topK.value.trim() !== '') {
    const value = Number(topK.value);
    if (!Number.isInteger(value) || value < 1) {
      throw new FieldError(topK, 'top_k must be a whole number of 1 or more');
    }
    fields.top_k = value;
  }
  const mode = document.getElementById(`${prefix}-mode`).value;
  if (mode) {
    fields.mode = mode;
  }
  const filter = document.getElementById(`${prefix}-filter`);
  const parsed = jsonObject(filter, 'The filter');
  if (parsed) {
    fields.filter = parsed;
  }
  return fields;
}

/** The JSON object a text control holds, undefined when it is blank; a FieldError when it is no object. */
export function jsonObject(control, what) {
  const text = control.value.trim();
  if (text === '') {
    return undefined;
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new FieldError(control, `${what} is not valid JSON: ${e.message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FieldError(control, `${what} must be a JSON object, such as {"lang": "en"}`);
  }
  return parsed;
}

/**
 * What read() builds from the form's fields, with the form's marks cleared; undefined when read() finds a field
 * wrong (a FieldError), which is then marked, focused and said on the status line.
 */
export function readForm(form, line, read) {
  try {
    const value = read();
    markField(form, null);
    return value;
  } catch (e) {
    if (!(e instanceof FieldError)) {
      throw e;
    }
    markField(form, e);
    status(line, e.message, 'error');
    return undefined;
  }
}

/** Marks the field as invalid with the message, or clears every mark of the form when error is null. */
export function markField(form, error) {
  for (const control of form.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
  }
  for (const message of form.querySelectorAll('.field-error')) {
    message.hidden = true;
    message.textContent = '';
  }
  if (!error) {
    return;
  }
  error.field.setAttribute('aria-invalid', 'true');
  const message = document.getElementById(`${error.field.id}-error`);
  if (message) {
    message.textContent = error.message;
    message.hidden = false;
  }
  error.field.focus();
}
