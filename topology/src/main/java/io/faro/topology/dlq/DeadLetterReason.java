package io.faro.topology.dlq;

import io.faro.core.document.InvalidDocumentException;
import java.util.Locale;

/**
 * Why a record went to {@code faro.dlq}, in a few words: a bounded label for the dead-letter counter.
 * The record's {@link DeadLetters#REASON} header carries the full sentence.
 */
public enum DeadLetterReason {
    /** parse: over {@code FARO_MAX_DOCUMENT_BYTES}. */
    TOO_LARGE,
    /** parse: empty, or not JSON. */
    INVALID_JSON,
    /** parse: JSON that breaks the document contract. */
    CONTRACT,
    /** fetch: a claim check whose object cannot be had, ever: missing, refused, changed, too large. */
    CONTENT_UNAVAILABLE,
    /** fetch: a claim check reached an ingest that has no S3 configured. */
    NO_S3,
    /** split: the splitter refused the text. */
    UNSPLITTABLE,
    /** embed: the model refused the text, alone as well as in its batch. */
    MODEL_REFUSED,
    /** sink: an embeddings record without a key (the chunk id). */
    MISSING_KEY,
    /** sink: an embeddings record that is not an embedding. */
    NOT_AN_EMBEDDING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeadLetterReason of(InvalidDocumentException e) {
        return switch (e.kind()) {
            case TOO_LARGE -> TOO_LARGE;
            case NOT_JSON -> INVALID_JSON;
            case CONTRACT -> CONTRACT;
        };
    }
}
