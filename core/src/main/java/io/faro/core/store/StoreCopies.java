package io.faro.core.store;

import java.util.Optional;

/**
 * The copies of one store that a rebuild works with: the live copy that queries and the sink use, a
 * new copy being built, and the previous copy kept for rollback. Switching between them is atomic
 * (a Qdrant alias swap, table renames in one PostgreSQL transaction), so a reader always sees one
 * whole copy.
 */
public interface StoreCopies extends AutoCloseable {

    /** Store name, as in {@link VectorStore#name()}. */
    String name();

    /** The name of the live copy (a collection, a table). */
    String live();

    /** The model whose vectors the live copy holds. */
    String liveModel();

    /** The copy kept from the last switch, if any. */
    Optional<String> previous();

    /** Removes a copy left by a rebuild that did not finish, if there is one. */
    void discardUnfinished();

    /** A copy being built: its name, and the store that writes to it. */
    record Copy(String name, VectorStore store) {
    }

    /** Creates a new, empty copy for the model and dimension, and opens it for writing. */
    Copy createCopy(String model, int dimension);

    /** Opens the live copy for writing, under its live name (the alias, the live table). */
    VectorStore openLive(String model, int dimension);

    /**
     * Readies a filled copy to be searched, before it is verified and made live: a store that leaves its search
     * indexes out while a copy fills (they cost more row by row than built once) builds them here.
     */
    default void finishCopy(String copy) {
    }

    /** Makes the copy live; the copy that was live becomes the previous one (replacing any older previous). */
    void promote(String copy);

    /** Makes the previous copy live again, and the live one previous. */
    void rollback();

    /** Deletes the previous copy. */
    void dropPrevious();

    @Override
    void close();
}
