package io.faro.core.store;

/**
 * A write carried vectors of another model than the store's live copy holds, so the store refused it
 * rather than mix two models. Happens after {@code faro reembed} switched a store to a new model while
 * records made with the old one were still on their way; the writer re-embeds them with {@link #liveModel()}.
 */
public final class ModelMismatchException extends StoreException {

    private final String liveModel;

    public ModelMismatchException(String store, String liveModel, String writtenModel) {
        super(store + " holds vectors of model " + liveModel + "; refusing vectors of model " + writtenModel);
        this.liveModel = liveModel;
    }

    /** The model the store's live copy holds. */
    public String liveModel() {
        return liveModel;
    }
}
