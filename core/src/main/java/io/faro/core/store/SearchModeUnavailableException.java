package io.faro.core.store;

/**
 * A store cannot answer a search in this mode at all, as opposed to failing for a moment: its live copy was
 * built before it had a keyword side, say. Trying again does not help; a {@code faro rebuild} of the store, or
 * another mode, does. The gateway answers from the other store when it can, and otherwise tells the caller so
 * (409), without counting it as the store being down.
 */
public final class SearchModeUnavailableException extends StoreException {

    private final SearchMode mode;

    /** {@code why} finishes "{store} cannot answer {mode} searches: ", and says what to do. */
    public SearchModeUnavailableException(String store, SearchMode mode, String why) {
        super(store + " cannot answer " + mode.wireName() + " searches: " + why);
        this.mode = mode;
    }

    public SearchMode mode() {
        return mode;
    }
}
