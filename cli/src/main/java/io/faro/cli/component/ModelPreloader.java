package io.faro.cli.component;

import io.faro.core.embed.Embedders;
import io.faro.core.store.VectorStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the model each store holds as soon as {@code faro reembed} switches it, off the request path: the
 * gateway embeds questions with the store's model, and loading an in-process model takes seconds, longer
 * than a search may wait.
 */
final class ModelPreloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPreloader.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable ->
            Thread.ofPlatform().name("faro-model-preloader").daemon().unstarted(runnable));
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    ModelPreloader(List<VectorStore> stores, Embedders embedders, Duration every) {
        timer.scheduleWithFixedDelay(() -> stores.forEach(store -> preload(store, embedders)), every.toMillis(),
                every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void preload(VectorStore store, Embedders embedders) {
        String model;
        try {
            model = store.liveModel();
        } catch (RuntimeException unreachable) {
            return; // the store's own health check reports it
        }
        try {
            embedders.get(model);
        } catch (RuntimeException e) {
            if (refused.add(model)) {
                LOG.error("{} now holds vectors of model {}, which this process cannot load: {}", store.name(), model,
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
