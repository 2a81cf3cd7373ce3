package io.faro.gateway.documents;

/** A document ready for {@code faro.documents}: the record key (its id) and value (its JSON), checked. */
record DocumentRecord(String id, byte[] value) {
}
