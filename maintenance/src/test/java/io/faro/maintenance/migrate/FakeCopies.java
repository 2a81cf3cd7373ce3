package io.faro.maintenance.migrate;

import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.VectorStore;
import io.faro.core.testing.InMemoryVectorStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Test double of a store's {@link StoreCopies}: copies named {@code <store>-v<n>}, each an
 * {@link InMemoryVectorStore}, the first one live. Discards, creations, openings of the live copy and
 * switches are noted in a log the test shares with its replay.
 */
final class FakeCopies implements StoreCopies {

    private final String name;
    private final List<String> log;
    private final Map<String, InMemoryVectorStore> copies = new LinkedHashMap<>();
    private final Map<String, String> models = new HashMap<>();
    private String live;
    private String previous;
    private int created;
    private Optional<EmbeddedChunk> stray = Optional.empty();

    FakeCopies(String name, String liveModel, List<String> log) {
        this.name = name;
        this.log = log;
        this.live = name + "-v0";
        copies.put(live, new InMemoryVectorStore(name));
        models.put(live, liveModel);
    }

    /** Leaves a copy behind, as a run killed before its switch does. */
    FakeCopies withUnfinishedCopy() {
        newCopy(models.get(live));
        return this;
    }

    /** Makes every copy created from now on hold this chunk from the start, as a copy that was not empty would. */
    FakeCopies withStrayChunkInNewCopies(EmbeddedChunk chunk) {
        stray = Optional.of(chunk);
        return this;
    }

    InMemoryVectorStore copy(String copy) {
        return copies.get(copy);
    }

    Set<String> copyNames() {
        return copies.keySet();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String live() {
        return live;
    }

    @Override
    public String liveModel() {
        return models.get(live);
    }

    @Override
    public Optional<String> previous() {
        return Optional.ofNullable(previous);
    }

    @Override
    public void discardUnfinished() {
        log.add("discard " + name);
        copies.keySet().removeIf(copy -> !copy.equals(live) && !copy.equals(previous));
    }

    @Override
    public Copy createCopy(String model, int dimension) {
        String copy = newCopy(model);
        log.add("create " + copy);
        stray.ifPresent(chunk -> copies.get(copy).upsert(List.of(chunk)));
        return new Copy(copy, copies.get(copy));
    }

    private String newCopy(String model) {
        String copy = name + "-v" + ++created;
        copies.put(copy, new InMemoryVectorStore(name));
        models.put(copy, model);
        return copy;
    }

    @Override
    public void finishCopy(String copy) {
        log.add("finish " + copy);
    }

    @Override
    public VectorStore openLive(String model, int dimension) {
        log.add("open live " + live);
        return copies.get(live);
    }

    @Override
    public void promote(String copy) {
        log.add("promote " + copy);
        previous = live;
        live = copy;
    }

    @Override
    public void rollback() {
        throw new UnsupportedOperationException("a migration never rolls back");
    }

    @Override
    public void dropPrevious() {
        throw new UnsupportedOperationException("a migration never drops a copy");
    }

    @Override
    public void close() {
    }
}
