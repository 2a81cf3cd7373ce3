package io.faro.core.store;

/** The vector stores FARO writes, by the name used in logs, metrics, responses and {@code faro rebuild}. */
public enum StoreKind {
    /** The durable copy, always there; the fallback and shadow of the gateway's search. */
    PGVECTOR("pgvector"),
    /** The fast path, when {@code FARO_QDRANT_URL} is set. */
    QDRANT("qdrant");

    private final String id;

    StoreKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
