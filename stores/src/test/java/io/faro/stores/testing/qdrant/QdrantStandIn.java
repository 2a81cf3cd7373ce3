package io.faro.stores.testing.qdrant;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Qdrant node for tests: an in-JVM gRPC server speaking Qdrant's own protocol (health, collections, aliases,
 * points, the Query API with sparse vectors, the IDF modifier and reciprocal rank fusion) that the real Qdrant Java
 * client talks to unchanged. It can go down and come back on the same port
 * with its data, and can inject delays and UNAVAILABLE answers the way a struggling node does.
 */
public final class QdrantStandIn implements AutoCloseable {

    private static final Duration REBIND_PATIENCE = Duration.ofSeconds(10);

    private final StandInCatalog catalog = new StandInCatalog();
    private final FaultInjection faults = new FaultInjection();
    private final List<BindableService> services =
            List.of(new StandInHealth(), new StandInCollections(catalog), new StandInPoints(catalog));
    private final int port;
    private Server server;
    private boolean closed;

    private QdrantStandIn() {
        this.server = serve(0);
        this.port = server.getPort();
    }

    /** Starts a stand-in on a free port. */
    public static QdrantStandIn start() {
        return new QdrantStandIn();
    }

    public int port() {
        return port;
    }

    /** The gRPC address, {@code http://localhost:PORT}. */
    public String url() {
        return "http://localhost:" + port;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Goes down like a crashed node: connections drop and calls fail UNAVAILABLE; the data is kept. */
    public synchronized void stop() {
        if (server != null) {
            shutdown(server);
            server = null;
        }
    }

    /** Comes back on the same port with the same data (stopping first when running). */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the Qdrant stand-in is closed");
        }
        stop();
        long deadline = System.nanoTime() + REBIND_PATIENCE.toNanos();
        while (true) {
            try {
                server = serve(port);
                return;
            } catch (UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    /** Shuts down for good. */
    @Override
    public synchronized void close() {
        stop();
        closed = true;
    }

    /** While on, every second RPC counted from this call (the 2nd, 4th, ...) answers UNAVAILABLE. */
    public void failEveryOtherCall(boolean on) {
        faults.failEveryOtherCall(on);
    }

    /** While on, every RPC answers UNAVAILABLE. */
    public void failAll(boolean on) {
        faults.failAll(on);
    }

    /** Every RPC waits this long before it is answered; {@link Duration#ZERO} turns this off. */
    public void delay(Duration delay) {
        faults.delay(delay);
    }

    /** RPCs received so far, failed ones included (the client's connect-time health check counts too). */
    public int calls() {
        return faults.calls();
    }

    /** Collection names, in creation order. */
    public Set<String> collections() {
        return new LinkedHashSet<>(catalog.names());
    }

    /** Alias name to collection name. */
    public Map<String, String> aliases() {
        return catalog.aliases();
    }

    /** Ids (UUID text or decimal number) of the points in a collection, in Qdrant's id order. */
    public Set<String> pointIds(String collectionOrAlias) {
        Set<String> ids = new LinkedHashSet<>();
        collection(collectionOrAlias).keys().forEach(key -> ids.add(key.toString()));
        return ids;
    }

    /** A point's payload as plain Java values. */
    public Map<String, Object> payload(String collectionOrAlias, String pointId) {
        return PayloadValues.toJava(point(collectionOrAlias, pointId).payload());
    }

    /** A point's vector as stored (normalised for Cosine collections). */
    public float[] vector(String collectionOrAlias, String pointId) {
        return point(collectionOrAlias, pointId).vector().clone();
    }

    /** A point's sparse vector of this name as index to value, in index order; empty when it has none. */
    public Map<Integer, Float> sparseVector(String collectionOrAlias, String pointId, String name) {
        SparseVec sparse = point(collectionOrAlias, pointId).sparse().getOrDefault(name, SparseVec.EMPTY);
        Map<Integer, Float> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < sparse.indices().length; i++) {
            values.put(sparse.indices()[i], sparse.values()[i]);
        }
        return values;
    }

    private StoredPoint point(String collectionOrAlias, String pointId) {
        return collection(collectionOrAlias).point(PointKey.parse(pointId)).orElseThrow(
                () -> new NoSuchElementException("no point " + pointId + " in " + collectionOrAlias));
    }

    private StandInCollection collection(String collectionOrAlias) {
        try {
            return catalog.resolve(collectionOrAlias);
        } catch (StatusRuntimeException e) {
            throw new NoSuchElementException("no collection or alias " + collectionOrAlias);
        }
    }

    private Server serve(int onPort) {
        ServerBuilder<?> builder = ServerBuilder.forPort(onPort);
        services.forEach(service -> builder.addService(ServerInterceptors.intercept(service, faults)));
        try {
            return builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the Qdrant stand-in on port " + onPort, e);
        }
    }

    private static void shutdown(Server server) {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the Qdrant stand-in", e);
        }
    }
}
