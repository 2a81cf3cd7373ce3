package io.faro.embedders.openai;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.faro.core.llm.LlmException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call to an OpenAI-compatible endpoint, on the JDK's client; LangChain4j's models send through it by way
 * of {@link ThreadCallHttpClient}. It exists for what
 * LangChain4j's own JDK client does not give: the {@code Retry-After} of a refused call (its
 * {@link HttpException} carries only the status), a deadline that also bounds reading the body, a stream
 * that ends without {@code [DONE]} counted as broken rather than complete, and {@link #cancel()}, which
 * closes the connection so the endpoint stops generating.
 */
final class CallHttpClient implements HttpClient {

    /** A non-2xx answer, with the wait the endpoint asked for. */
    static final class StatusException extends HttpException {
        private final transient Optional<Duration> retryAfter;

        StatusException(int status, String body, Optional<Duration> retryAfter) {
            super(status, body);
            this.retryAfter = retryAfter;
        }

        Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    /** A call that failed below HTTP: deadline, broken connection, cut stream. */
    static final class CallFailure extends RuntimeException {
        private final Reason reason;

        CallFailure(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }
    }

    private final java.net.http.HttpClient http;
    private final long deadlineNanos;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile CompletableFuture<?> inFlight;
    private volatile InputStream body;

    CallHttpClient(java.net.http.HttpClient http, long deadlineNanos) {
        this.http = http;
        this.deadlineNanos = deadlineNanos;
    }

    /** Stops the call: the response body is closed, which closes the connection to the endpoint. */
    void cancel() {
        cancelled.set(true);
        CompletableFuture<?> future = inFlight;
        if (future != null) {
            future.cancel(true);
        }
        InputStream stream = body;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(jdkRequest(request, false),
                BodyHandlers.ofString(StandardCharsets.UTF_8));
        inFlight = future;
        HttpResponse<String> response;
        try {
            response = future.get(remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new CallFailure(Reason.TIMEOUT, "no answer within the deadline", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new CallFailure(Reason.CANCELLED, "interrupted", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
        if (response.statusCode() / 100 != 2) {
            throw new StatusException(response.statusCode(), response.body(), retryAfter(response));
        }
        return SuccessfulHttpResponse.builder().statusCode(response.statusCode())
                .headers(response.headers().map()).body(response.body()).build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        CompletableFuture<HttpResponse<InputStream>> future = http.sendAsync(jdkRequest(request, true),
                BodyHandlers.ofInputStream());
        inFlight = future;
        future.whenComplete((response, error) -> {
            if (error != null) {
                listener.onError(failure(error));
                return;
            }
            Thread.ofVirtual().name("faro-llm-stream").start(() -> read(response, parser, listener));
        });
    }

    private void read(HttpResponse<InputStream> response, ServerSentEventParser parser, ServerSentEventListener listener) {
        try (InputStream in = response.body()) {
            body = in;
            if (cancelled.get()) {
                return;
            }
            if (response.statusCode() / 100 != 2) {
                String text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                listener.onError(new StatusException(response.statusCode(), text, retryAfter(response)));
                return;
            }
            listener.onOpen(SuccessfulHttpResponse.builder().statusCode(response.statusCode())
                    .headers(response.headers().map()).build());
            DoneTracking tracking = new DoneTracking(listener);
            parser.parse(in, tracking);
            if (cancelled.get()) {
                return;
            }
            if (tracking.done) {
                listener.onClose();
            } else {
                listener.onError(new CallFailure(Reason.CONNECTION, "the stream ended before [DONE]", null));
            }
        } catch (IOException | RuntimeException e) {
            if (!cancelled.get()) {
                listener.onError(failure(e));
            }
        }
    }

    /** Notes the {@code [DONE]} that ends a complete OpenAI stream. */
    private static final class DoneTracking implements ServerSentEventListener {
        private final ServerSentEventListener delegate;
        private volatile boolean done;

        DoneTracking(ServerSentEventListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            if ("[DONE]".equals(event.data())) {
                done = true;
            }
            delegate.onEvent(event, context);
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            if ("[DONE]".equals(event.data())) {
                done = true;
            }
            delegate.onEvent(event);
        }

        @Override
        public void onError(Throwable error) {
            delegate.onError(error);
        }
    }

    private java.net.http.HttpRequest jdkRequest(HttpRequest request, boolean streaming) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(Duration.ofNanos(Math.max(1, remainingNanos())))
                .method(request.method().name(), request.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        if (streaming) {
            builder.setHeader("Accept", "text/event-stream");
        }
        return builder.build();
    }

    private long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    private static RuntimeException failure(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return new CallFailure(Reason.TIMEOUT, "no answer within the deadline", cause);
        }
        if (cause instanceof java.util.concurrent.CancellationException) {
            return new CallFailure(Reason.CANCELLED, "cancelled", cause);
        }
        if (cause instanceof IOException) {
            return new CallFailure(Reason.CONNECTION, "connection failed: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + cause.getMessage()), cause);
        }
        return cause instanceof RuntimeException runtime ? runtime : new CallFailure(Reason.BAD_RESPONSE,
                String.valueOf(cause), cause);
    }

    /** {@code Retry-After} in seconds or as an HTTP date (RFC 9110 §10.2.3). */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(CallHttpClient::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.strip();
        try {
            return Optional.of(Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(v) * 1000))));
        } catch (NumberFormatException e) {
            try {
                Duration wait = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
