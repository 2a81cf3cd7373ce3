package io.faro.s3.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of the S3 server of {@link TestS3} that passes requests on, except that the next
 * requests may be given a fault first ({@link #inject}): S3's own error answers (503 SlowDown, 500), a delay, a
 * hold until the test releases it, or a dropped connection. It counts the requests it saw.
 */
public final class S3FaultProxy implements AutoCloseable {

    private static final Duration MAX_HOLD = Duration.ofMinutes(1);

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Faults not met yet, in order; each for requests of one method, or of any (null). */
    private final Deque<Pending> faults = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger faulted = new AtomicInteger();

    private S3FaultProxy(URI upstream, HttpServer server) {
        this.upstream = upstream;
        this.server = server;
    }

    static S3FaultProxy start(URI upstream) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        S3FaultProxy proxy = new S3FaultProxy(upstream, server);
        server.createContext("/", proxy::handle);
        server.setExecutor(proxy.threads);
        server.start();
        return proxy;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    URI upstream() {
        return upstream;
    }

    private record Pending(S3Fault fault, String method) {
    }

    /** The next {@code times} requests meet {@code fault}, after any faults injected before. */
    public S3FaultProxy inject(S3Fault fault, int times) {
        return inject(fault, times, null);
    }

    /** The next {@code times} requests of {@code method} ({@code GET}, {@code PUT}, ...) meet {@code fault}. */
    public synchronized S3FaultProxy inject(S3Fault fault, int times, String method) {
        for (int i = 0; i < times; i++) {
            faults.add(new Pending(fault, method));
        }
        return this;
    }

    /** Drops the faults no request has met yet. */
    public synchronized void clear() {
        faults.clear();
    }

    private synchronized S3Fault take(String method) {
        for (Iterator<Pending> it = faults.iterator(); it.hasNext(); ) {
            Pending pending = it.next();
            if (pending.method() == null || pending.method().equals(method)) {
                it.remove();
                return pending.fault();
            }
        }
        return null;
    }

    /** Requests seen since the start, faulted ones included. */
    public int requests() {
        return requests.get();
    }

    /** Requests that met a fault. */
    public int faulted() {
        return faulted.get();
    }

    /** Faults injected that no request has met yet. */
    public synchronized int pending() {
        return faults.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            S3Fault fault = take(exchange.getRequestMethod());
            if (fault != null) {
                faulted.incrementAndGet();
                if (!meet(fault, exchange)) {
                    return;
                }
            }
            forward(exchange, body);
        }
    }

    /** Applies the fault; true when the request goes on to the server afterwards. */
    private boolean meet(S3Fault fault, HttpExchange exchange) throws IOException {
        switch (fault) {
            case S3Fault.Error error -> {
                byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + error.code()
                        + "</Code><Message>" + error.message() + "</Message><RequestId>faro-test</RequestId>"
                        + "</Error>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml");
                exchange.sendResponseHeaders(error.status(), xml.length);
                exchange.getResponseBody().write(xml);
                return false;
            }
            case S3Fault.Delay delay -> {
                sleep(delay.delay());
                return true;
            }
            case S3Fault.Gate gate -> {
                await(gate);
                return true;
            }
            case S3Fault.Disconnect disconnect -> {
                return false; // closed with no answer at all
            }
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        S3Forwarding.forward(client, upstream, exchange, body, Set.of());
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(S3Fault.Gate gate) {
        try {
            if (!gate.latch().await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new UncheckedIOException(new IOException("a gate held a request for a minute; open it"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        clear();
        server.stop(0);
        threads.shutdownNow();
        client.close();
    }
}
