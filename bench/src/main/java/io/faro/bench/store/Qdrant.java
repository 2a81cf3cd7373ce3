package io.faro.bench.store;

import io.faro.core.store.StoreException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A Qdrant client for what the benchmarks do beside FARO, and removing the collections they made. */
public final class Qdrant {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Qdrant() {
    }

    /** A client for FARO's form of the address, {@code http(s)://HOST:GRPC_PORT}. */
    public static QdrantClient connect(String url, Optional<String> apiKey) {
        URI uri = URI.create(url);
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(uri.getHost(),
                uri.getPort() > 0 ? uri.getPort() : 6334, "https".equals(uri.getScheme())).withTimeout(TIMEOUT);
        apiKey.ifPresent(grpc::withApiKey);
        return new QdrantClient(grpc.build());
    }

    /** Deletes every collection whose name starts with the prefix (their aliases go with them). */
    public static void deleteCollectionsStartingWith(String url, Optional<String> apiKey, String prefix) {
        try (QdrantClient client = connect(url, apiKey)) {
            List<String> names = await(client.listCollectionsAsync(TIMEOUT), "list collections");
            for (String name : names) {
                if (name.startsWith(prefix)) {
                    await(client.deleteCollectionAsync(name, TIMEOUT), "delete collection " + name);
                }
            }
        }
    }

    static <T> T await(Future<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("qdrant: interrupted during " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StoreException("qdrant: " + what + " failed: " + e.getMessage(), e);
        }
    }
}
