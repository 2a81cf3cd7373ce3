package io.faro.gateway.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.model.SearchHit;
import io.faro.core.model.SearchHit.Ranks;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.SearchMode;
import io.faro.gateway.answer.Answerer;
import io.faro.gateway.answer.Answerer.Citation;
import io.faro.gateway.answer.Answerer.Generation;
import io.faro.gateway.auth.Callers;
import io.faro.gateway.http.JsonExchange;
import io.faro.gateway.http.RequestFields;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** {@code POST /v1/search} (ranked chunks) and {@code POST /v1/query} (an answer with citations). */
public final class SearchService implements HttpService {

    /** What {@code POST /v1/search} takes. */
    public static final RequestFields SEARCH_REQUEST = RequestFields.of("SearchRequest",
            Requests.QUERY, Requests.TOP_K, Requests.FILTER, Requests.MODE, Requests.EXPLAIN);
    /** What {@code POST /v1/query} takes. */
    public static final RequestFields QUERY_REQUEST = RequestFields.of("QueryRequest",
            Requests.QUESTION, Requests.TOP_K, Requests.FILTER, Requests.MODE);

    private final Retriever retriever;
    private final Answerer answerer;
    private final JsonExchange json;
    private final int maxTopK;
    private final SearchMode defaultMode;

    /** {@code defaultMode}: how a request that names no {@code mode} is searched (FARO_SEARCH_MODE). */
    public SearchService(Retriever retriever, Answerer answerer, JsonExchange json, int maxTopK,
                         SearchMode defaultMode) {
        this.retriever = retriever;
        this.answerer = answerer;
        this.json = json;
        this.maxTopK = maxTopK;
        this.defaultMode = defaultMode;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/search", this::search)
                .post("/query", this::query);
    }

    /**
     * {@code location}: where in its document the chunk lies ("page 4"), or null. {@code ranks}: the hit's dense and
     * keyword ranks and scores before fusion, only when the request asked to {@code explain}.
     */
    record Hit(String docId, String tenant, String chunkId, int chunkIndex, String title, String location, double score,
               String text, Map<String, Object> metadata, @JsonInclude(JsonInclude.Include.NON_NULL) Ranks ranks) {
        static Hit of(SearchHit hit) {
            return new Hit(hit.documentId(), hit.tenant(), hit.chunkId(), hit.chunkIndex(), hit.title(),
                    hit.location().orElse(null), hit.score(), hit.text(), hit.metadata(), hit.ranks());
        }
    }

    /**
     * {@code reranked} and {@code rerank_error} are there only when a reranker is configured: whether it set the
     * order, and why not when it did not.
     */
    record SearchResponse(List<Hit> hits, String mode, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean reranked,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String rerankError, String servedBy,
                          boolean degraded, String fallbackReason, Double overlap, Map<String, Double> timingsMs) {
    }

    record Source(int ref, String docId, String tenant, String chunkId, String title, String location, double score,
                  String text) {
    }

    record QueryResponse(String answer, boolean extractive, List<Citation> citations, String llmError, Generation llm,
                         List<Source> sources, String mode,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Boolean reranked,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String rerankError, String servedBy,
                         boolean degraded, String fallbackReason, Double overlap, Map<String, Double> timingsMs) {
    }

    private void search(ServerRequest request, ServerResponse response) {
        long start = System.nanoTime();
        JsonNode body = json.readObject(request, SEARCH_REQUEST);
        Question question = new Question(Requests.requiredText(body, Requests.QUERY),
                Requests.mode(body, defaultMode), Requests.topK(body, maxTopK), scoped(request, body),
                Requests.explain(body));
        Retriever.Retrieval retrieval = retriever.retrieve(question);
        DualSearch.Outcome outcome = retrieval.outcome();
        List<Hit> hits = retrieval.hits().stream().map(Hit::of).toList();
        JsonExchange.send(response, 200, new SearchResponse(hits, retrieval.mode().wireName(), reranked(retrieval),
                rerankError(retrieval), outcome.servedBy(), outcome.degraded(), outcome.fallbackReason().orElse(null),
                outcome.overlap().orElse(null), withTotal(retrieval.timingsMs(), start)));
    }

    private void query(ServerRequest request, ServerResponse response) {
        long start = System.nanoTime();
        JsonNode body = json.readObject(request, QUERY_REQUEST);
        String question = Requests.requiredText(body, Requests.QUESTION);
        Retriever.Retrieval retrieval = retriever.retrieve(new Question(question, Requests.mode(body, defaultMode),
                Requests.topK(body, maxTopK), scoped(request, body), false));
        if (wantsEvents(request)) {
            AnswerEvents.stream(response, answerer, question, retrieval, sources(retrieval.hits()), start);
            return;
        }
        DualSearch.Outcome outcome = retrieval.outcome();
        List<SearchHit> hits = retrieval.hits();
        long answerStart = System.nanoTime();
        Answerer.Answer answer = answerer.answer(question, hits);
        Map<String, Double> timings = new LinkedHashMap<>(retrieval.timingsMs());
        timings.put("answer", Retriever.millis(System.nanoTime() - answerStart));
        JsonExchange.send(response, 200, new QueryResponse(answer.text(), answer.extractive(), answer.citations(),
                answer.llmError().orElse(null), answer.generation().orElse(null), sources(hits),
                retrieval.mode().wireName(), reranked(retrieval), rerankError(retrieval), outcome.servedBy(),
                outcome.degraded(), outcome.fallbackReason().orElse(null), outcome.overlap().orElse(null),
                withTotal(timings, start)));
    }

    /** Whether the reranker set the order; null (not written) when no reranker is configured. */
    static Boolean reranked(Retriever.Retrieval retrieval) {
        return retrieval.rerank().map(RerankStep.Outcome::reranked).orElse(null);
    }

    /** Why the reranker did not set the order; null (not written) when it did, or when there is none. */
    static String rerankError(Retriever.Retrieval retrieval) {
        return retrieval.rerank().flatMap(RerankStep.Outcome::error).orElse(null);
    }

    /**
     * The request's metadata filter, limited to what the caller may see: each store applies it in its own query,
     * so the primary, the shadow, the fallback and the answer's context all hold permitted chunks only.
     */
    private static MetadataFilter scoped(ServerRequest request, JsonNode body) {
        return Requests.filter(body).within(Callers.scopeOf(request));
    }

    /** {@code Accept: text/event-stream}: the answer as server-sent events rather than one JSON body. */
    private static boolean wantsEvents(ServerRequest request) {
        return request.headers().values(HeaderNames.ACCEPT).stream()
                .anyMatch(value -> value.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream"));
    }

    static List<Source> sources(List<SearchHit> hits) {
        return IntStream.range(0, hits.size())
                .mapToObj(i -> {
                    SearchHit hit = hits.get(i);
                    return new Source(i + 1, hit.documentId(), hit.tenant(), hit.chunkId(), hit.title(),
                            hit.location().orElse(null), hit.score(), hit.text());
                })
                .toList();
    }

    static Map<String, Double> withTotal(Map<String, Double> timings, long startNanos) {
        Map<String, Double> all = new LinkedHashMap<>(timings);
        all.put("total", Retriever.millis(System.nanoTime() - startNanos));
        return all;
    }
}
