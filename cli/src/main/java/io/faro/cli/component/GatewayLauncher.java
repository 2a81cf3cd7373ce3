package io.faro.cli.component;

import io.faro.core.config.FaroConfig;
import io.faro.core.store.StoreKind;
import io.faro.core.store.VectorStore;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.health.ReadinessCheck;
import io.faro.maintenance.reconcile.PeriodicReconciler;
import io.faro.maintenance.reconcile.Reconciler;
import io.faro.maintenance.replay.EmbeddingsSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway component: search and answers over HTTP, with Qdrant in front when it is configured and
 * pgvector as the shadow and fallback. Its port also serves the process's health and metrics.
 */
public final class GatewayLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayLauncher.class);

    private GatewayLauncher() {
    }

    public static GatewayServer start(Platform platform) {
        FaroConfig config = platform.config();
        String model = config.embeddingModel().id();
        platform.embedders().get(model); // loaded now rather than on the first question
        VectorStore durable = platform.store(StoreKind.PGVECTOR);
        Optional<VectorStore> qdrant = config.qdrant().map(q -> platform.store(StoreKind.QDRANT));
        qdrant.ifPresentOrElse(
                store -> LOG.info("vector stores: Qdrant at {} (alias {}) serves queries; pgvector (table {}) is"
                        + " the durable copy and the shadow", config.qdrant().get().url(),
                        config.qdrant().get().collection(), config.pg().table()),
                () -> LOG.info("no {} set: FARO runs on pgvector alone (table {})", FaroConfig.QDRANT_URL,
                        config.pg().table()));
        // With Qdrant in front, pgvector answers when Qdrant cannot: Qdrant down is degraded, not unready.
        qdrant.ifPresent(store -> platform.health().ready(ReadinessCheck.optional(store.name(), store::isReachable)));
        platform.health().ready(ReadinessCheck.critical(durable.name(), durable::isReachable));
        if (config.reconcileIntervalS() > 0) {
            List<VectorStore> stores = qdrant.isPresent() ? List.of(qdrant.get(), durable) : List.of(durable);
            platform.add(new PeriodicReconciler(new EmbeddingsSnapshot(config.kafka(), Duration.ofMinutes(10)),
                    stores, new Reconciler(platform.meters()), Duration.ofSeconds(config.reconcileIntervalS())));
        }
        GatewayServer gateway = GatewayServer.start(config, new GatewayServer.Dependencies(platform.embedders(), model,
                qdrant.orElse(durable), qdrant.map(q -> durable), new ExtractiveAnswerer(), platform.health(),
                platform.meters()));
        platform.addFront(gateway);
        return gateway;
    }
}
