package io.faro.topology.fetch;

import io.faro.core.document.ContentUnavailableException;

/** How a claim-check fetch ended: with the bytes, or with a failure that retrying will not mend. */
public sealed interface FetchOutcome {

    record Fetched(byte[] bytes) implements FetchOutcome {
    }

    record Failed(ContentUnavailableException error) implements FetchOutcome {
    }
}
