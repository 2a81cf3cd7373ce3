package io.faro.gateway;

import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.metrics.MetricNames;
import io.faro.core.store.VectorStore;
import io.faro.gateway.answer.Answerer;
import io.faro.gateway.auth.CallerGate;
import io.faro.gateway.console.ConsoleService;
import io.faro.gateway.documents.DocumentIntake;
import io.faro.gateway.documents.DocumentService;
import io.faro.gateway.documents.UploadService;
import io.faro.gateway.health.Health;
import io.faro.gateway.health.HealthService;
import io.faro.gateway.http.JsonExchange;
import io.faro.gateway.http.Problem;
import io.faro.gateway.http.ProblemException;
import io.faro.gateway.metrics.MetricsEndpoint;
import io.faro.gateway.openapi.OpenApiEndpoint;
import io.faro.gateway.search.Reranking;
import io.faro.gateway.search.Retriever;
import io.faro.gateway.search.SearchService;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Helidon SE gateway: search, answers with citations, document uploads and their state, health,
 * Prometheus metrics and the OpenAPI document of all of these ({@code META-INF/openapi.yaml}, which a test
 * holds to the routes registered here), and the console page that uses them ({@code FARO_CONSOLE}). Closing it lets
 * the requests in flight finish (within {@link #DRAIN_TIMEOUT}) before the server stops.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final WebServer server;
    private final Retriever retriever;
    private final AtomicInteger inFlight;

    private GatewayServer(WebServer server, Retriever retriever, AtomicInteger inFlight) {
        this.server = server;
        this.retriever = retriever;
        this.inFlight = inFlight;
    }

    /**
     * What the gateway serves from: the primary store answers; the shadow, when there is one, is
     * measured against it and answers when the primary cannot; the reranker, when there is one, reorders the hits.
     */
    public record Dependencies(Embedders embedders, String model, VectorStore primary, Optional<VectorStore> shadow,
                               Answerer answerer, Health health, PrometheusMeterRegistry meters,
                               DocumentIntake documents, Optional<Reranking> reranking) {

        /** No reranker: hits come in the order the store fused them. */
        public Dependencies(Embedders embedders, String model, VectorStore primary, Optional<VectorStore> shadow,
                            Answerer answerer, Health health, PrometheusMeterRegistry meters,
                            DocumentIntake documents) {
            this(embedders, model, primary, shadow, answerer, health, meters, documents, Optional.empty());
        }

        /** A gateway that only reads: search, answers, what the stores hold of a document. */
        public Dependencies(Embedders embedders, String model, VectorStore primary, Optional<VectorStore> shadow,
                            Answerer answerer, Health health, PrometheusMeterRegistry meters) {
            this(embedders, model, primary, shadow, answerer, health, meters, DocumentIntake.readOnly());
        }
    }

    public static GatewayServer start(FaroConfig config, Dependencies deps) {
        // first: a gateway that would be open to the network without being told so does not start at all
        CallerGate gate = CallerGate.create(config.auth(), config.http().host(), deps.meters());
        Retriever retriever = new Retriever(deps.embedders(), deps.model(), deps.primary(), deps.shadow(),
                config.search(), deps.reranking(), deps.meters());
        AtomicInteger inFlight = new AtomicInteger();
        // FARO stops the server itself, in its order (not ready, drain, stop): not Helidon's own shutdown hook.
        WebServer server = WebServer.builder()
                .shutdownHook(false)
                .host(config.http().host())
                .port(config.http().port())
                .routing(routing -> routing(routing, config, deps, retriever, gate, inFlight))
                .build()
                .start();
        LOG.info("gateway listening on http://{}:{}", config.http().host(), server.port());
        return new GatewayServer(server, retriever, inFlight);
    }

    static void routing(HttpRouting.Builder routing, FaroConfig config, Dependencies deps, Retriever retriever,
                        CallerGate gate, AtomicInteger inFlight) {
        JsonExchange json = new JsonExchange(config.maxRequestBytes());
        routing.addFilter((chain, req, res) -> {
                    Timer.Sample sample = Timer.start(deps.meters());
                    inFlight.incrementAndGet();
                    try {
                        // who calls, may it use this route, is it within its limits: else answered here
                        Optional<CallerGate.Admission> admission = gate.admit(req, res);
                        if (admission.isPresent()) {
                            try (CallerGate.Admission admitted = admission.get()) {
                                chain.proceed();
                                gate.answered(admitted, res.status().code());
                            }
                        }
                    } finally {
                        inFlight.decrementAndGet();
                        sample.stop(Timer.builder(MetricNames.HTTP_REQUEST_SECONDS)
                                .tag(MetricNames.TAG_ROUTE, routeOf(req.path().absolute().path()))
                                .tag(MetricNames.TAG_STATUS, Integer.toString(res.status().code()))
                                .publishPercentileHistogram()
                                .register(deps.meters()));
                    }
                })
                .register("/v1", new SearchService(retriever, deps.answerer(), json, config.maxTopK(),
                        config.search().defaultMode()))
                .register("/v1", new DocumentService(stores(deps), deps.documents().rejections()))
                .register("/v1", new UploadService(deps.documents().publisher(), config.maxDocumentBytes(),
                        deps.documents().rejections()))
                .register("/health", new HealthService(deps.health()))
                .get(MetricsEndpoint.PATH, MetricsEndpoint.handler(deps.meters()))
                .get(OpenApiEndpoint.PATH, OpenApiEndpoint.load().handler());
        if (config.http().console()) {
            routing.register(ConsoleService.load());
        }
        routing.any((req, res) -> JsonExchange.sendProblem(res, new Problem("/problems/not-found", "Not found", 404,
                        "no route for " + req.prologue().method().text() + " " + req.path().absolute().path()
                                + "; see the README for the API", req.path().absolute().path())))
                .error(ProblemException.class, (req, res, e) -> {
                    e.headers().forEach(res::header);
                    JsonExchange.sendProblem(res, e.toProblem(req.path().absolute().path()));
                })
                .error(Exception.class, (req, res, e) -> {
                    LOG.error("{} {} failed", req.prologue().method().text(), req.path().absolute().path(), e);
                    JsonExchange.sendProblem(res, new Problem("/problems/internal", "Internal error", 500,
                            "the request failed inside FARO; the server log has the details", req.path().absolute().path()));
                });
    }

    private static List<VectorStore> stores(Dependencies deps) {
        return deps.shadow().map(shadow -> List.of(deps.primary(), shadow)).orElse(List.of(deps.primary()));
    }

    /** Known routes by name, everything else as one label, so a scan cannot explode the series count. */
    private static String routeOf(String path) {
        return switch (path) {
            case "/v1/search", "/v1/query", "/v1/documents", "/health/live", "/health/ready", "/metrics", "/openapi",
                 ConsoleService.PAGE -> path;
            default -> path.startsWith("/v1/documents/") ? "/v1/documents/{id}"
                    : path.startsWith(ConsoleService.FILE_PREFIX) ? ConsoleService.FILE_PREFIX + "{file}" : "other";
        };
    }

    public int port() {
        return server.port();
    }

    /** Requests being served right now. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("stopping the gateway with {} requests still in flight after {} s", inFlight.get(),
                    DRAIN_TIMEOUT.toSeconds());
        }
        server.stop();
        retriever.close();
    }
}
