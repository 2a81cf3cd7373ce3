package io.faro.gateway.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.faro.core.json.Json;
import io.faro.gateway.answer.Answerer;
import io.faro.gateway.answer.Answerer.Citation;
import io.faro.gateway.answer.Answerer.Generation;
import io.faro.gateway.search.SearchService.Source;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/query} as server-sent events: {@code sources} first, then {@code delta} events with the
 * answer as it is generated, then {@code done} with the final answer, its citations, token usage and timings.
 * When the LLM fails, an {@code error} event comes before {@code done}, and {@code done} holds the extractive
 * answer (text already streamed is to be discarded). A client that goes away makes the next write fail, which
 * cancels the upstream request.
 */
final class AnswerEvents {

    record SourcesEvent(List<Source> sources, String mode, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean reranked,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String rerankError, String servedBy,
                        boolean degraded, String fallbackReason, Double overlap, Map<String, Double> timingsMs) {
    }

    record DeltaEvent(String text) {
    }

    record ErrorEvent(String llmError) {
    }

    record DoneEvent(String answer, boolean extractive, List<Citation> citations, String llmError, Generation llm,
                     Map<String, Double> timingsMs) {
    }

    private AnswerEvents() {
    }

    static void stream(ServerResponse response, Answerer answerer, String question, Retriever.Retrieval retrieval,
                       List<Source> sources, long start) {
        DualSearch.Outcome outcome = retrieval.outcome();
        Emitter events = new Emitter();
        try (SseSink sink = response.sink(SseSink.TYPE)) {
            events.sink = sink;
            events.emit("sources", new SourcesEvent(sources, retrieval.mode().wireName(),
                    SearchService.reranked(retrieval), SearchService.rerankError(retrieval), outcome.servedBy(),
                    outcome.degraded(), outcome.fallbackReason().orElse(null), outcome.overlap().orElse(null),
                    retrieval.timingsMs()));
            long answerStart = System.nanoTime();
            Answerer.Answer answer = answerer.answer(question, retrieval.hits(),
                    text -> events.emit("delta", new DeltaEvent(text)));
            Map<String, Double> timings = new LinkedHashMap<>(retrieval.timingsMs());
            timings.put("answer", Retriever.millis(System.nanoTime() - answerStart));
            answer.llmError().ifPresent(error -> events.emit("error", new ErrorEvent(error)));
            events.emit("done", new DoneEvent(answer.text(), answer.extractive(), answer.citations(),
                    answer.llmError().orElse(null), answer.generation().orElse(null),
                    SearchService.withTotal(timings, start)));
        } catch (RuntimeException e) {
            if (!events.gone) {
                throw e;
            }
            // The client closed the connection: nobody to answer. The answerer has cancelled the upstream call.
        }
    }

    /** Writes events until one fails; after that the client is known to be gone. */
    private static final class Emitter {
        private SseSink sink;
        private boolean gone;

        void emit(String name, Object data) {
            if (gone) {
                throw new IllegalStateException("the client has gone away");
            }
            String json;
            try {
                json = Json.mapper().writeValueAsString(data);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            try {
                sink.emit(SseEvent.builder().name(name).data(json).build());
            } catch (RuntimeException e) {
                gone = true;
                throw e;
            }
        }
    }
}
