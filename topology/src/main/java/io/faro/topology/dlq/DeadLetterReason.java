package io.faro.topology.dlq;

import io.faro.core.document.InvalidDocumentException;
import io.faro.documents.ExtractionException;
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
    /** extract: protected by a password. */
    ENCRYPTED,
    /** extract: truncated, damaged, or not the format its content type says. */
    CORRUPT,
    /** extract: no text in it (a scanned PDF, an empty page). */
    NO_TEXT,
    /** extract: a content type FARO does not read, or a claim check this ingest cannot fetch. */
    UNSUPPORTED_TYPE,
    /** extract: expands past FARO_MAX_EXTRACTED_CHARS or FARO_MAX_COMPRESSION_RATIO (a zip bomb). */
    EXPANDS_TOO_FAR,
    /** extract: parsing ran past FARO_PARSE_TIMEOUT_MS. */
    PARSE_TIMEOUT,
    /** split: the splitter refused the text. */
    UNSPLITTABLE,
    /** embed: the model refused the text, alone as well as in its batch. */
    MODEL_REFUSED,
    /** parse: a document record without a key (its id); sink: an embeddings record without a key (the chunk id). */
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

    public static DeadLetterReason of(ExtractionException e) {
        return switch (e.reason()) {
            case ENCRYPTED -> ENCRYPTED;
            case CORRUPT -> CORRUPT;
            case EMPTY -> NO_TEXT;
            case UNSUPPORTED -> UNSUPPORTED_TYPE;
            case TOO_LARGE -> EXPANDS_TOO_FAR;
            case TIMEOUT -> PARSE_TIMEOUT;
        };
    }
}
