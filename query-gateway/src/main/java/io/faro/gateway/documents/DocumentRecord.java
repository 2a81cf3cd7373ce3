package io.faro.gateway.documents;

/**
 * A document ready for {@code faro.documents}: its id and tenant, its record key (the document's key: the id,
 * prefixed by the tenant outside the default one) and value (its JSON), checked.
 */
record DocumentRecord(String id, String tenant, String key, byte[] value) {
}
