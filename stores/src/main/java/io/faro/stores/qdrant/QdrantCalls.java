package io.faro.stores.qdrant;

import io.faro.core.store.StoreException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a Qdrant call and turns its failure into a {@link StoreException} that says what failed. */
final class QdrantCalls {

    private QdrantCalls() {
    }

    static <T> T await(Future<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(what + " interrupted", e);
        } catch (ExecutionException e) {
            throw new StoreException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreException(what + " timed out after " + timeout.toMillis() + " ms", e);
        }
    }
}
