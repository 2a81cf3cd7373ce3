package io.faro.embedders.openai;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The HTTP client a LangChain4j model is built with once, for the life of the endpoint: each request it sends
 * goes through the {@link CallHttpClient} that the calling thread opened with {@link #within}, so every call
 * keeps its own deadline and its own cancel. Building a model per call instead costs a service-loader scan of
 * the class path each time (measured: a third of a generated answer's CPU in FARO).
 */
final class ThreadCallHttpClient implements HttpClient {

    private final ThreadLocal<CallHttpClient> current = new ThreadLocal<>();

    /** Runs {@code work}, whose requests (sent on this thread) go through {@code call}. */
    <T> T within(CallHttpClient call, Supplier<T> work) {
        current.set(call);
        try {
            return work.get();
        } finally {
            current.remove();
        }
    }

    private CallHttpClient call() {
        CallHttpClient call = current.get();
        if (call == null) {
            throw new IllegalStateException("a request was sent outside a call: LangChain4j sent it on another thread");
        }
        return call;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        return call().execute(request);
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        call().execute(request, parser, listener);
    }

    /** A builder that hands this client to a LangChain4j model; its timeouts are ignored: each call has a deadline. */
    HttpClientBuilder builder() {
        ThreadCallHttpClient self = this;
        return new HttpClientBuilder() {
            private Duration connect;
            private Duration read;

            @Override
            public Duration connectTimeout() {
                return connect;
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration timeout) {
                connect = timeout;
                return this;
            }

            @Override
            public Duration readTimeout() {
                return read;
            }

            @Override
            public HttpClientBuilder readTimeout(Duration timeout) {
                read = timeout;
                return this;
            }

            @Override
            public HttpClient build() {
                return self;
            }
        };
    }
}
