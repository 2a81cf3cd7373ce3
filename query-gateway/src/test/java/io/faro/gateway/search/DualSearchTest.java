package io.faro.gateway.search;

import io.faro.core.store.SearchMode;
import io.faro.core.store.SearchModeUnavailableException;
import io.faro.core.store.StoreQuery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import io.faro.core.config.FaroConfig.SearchSettings;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import io.faro.gateway.http.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DualSearchTest {

    private static final String MODEL = "m";
    /** The question as every model embeds it; which models were asked for is recorded. */
    private final List<String> embeddedWith = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final QueryVectors QUERY = new QueryVectors(model -> {
        embeddedWith.add(model);
        return new float[] {1, 0};
    });
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final ScriptedStore qdrant = new ScriptedStore("qdrant");
    private final ScriptedStore pgvector = new ScriptedStore("pgvector");
    private DualSearch search;

    @AfterEach
    void close() {
        if (search != null) {
            search.close();
        }
    }

    private DualSearch dual(double sampleRate, int shadowTimeoutMs, int primaryTimeoutMs) {
        search = new DualSearch(qdrant, Optional.of(pgvector), MODEL,
                new SearchSettings(sampleRate, shadowTimeoutMs, primaryTimeoutMs), new SearchMetrics(meters),
                RandomGenerator.getDefault());
        return search;
    }

    /** A dense search for {@code topK} hits, without a filter. */
    private static Question asked(int topK) {
        return Question.dense("q", topK, MetadataFilter.NONE);
    }

    private static Question asked(SearchMode mode, int topK) {
        return new Question("falcon project", mode, topK, MetadataFilter.NONE, true);
    }

    private static List<SearchHit> hits(String... chunkIds) {
        return hitsOf(MODEL, chunkIds);
    }

    private static List<SearchHit> hitsOf(String model, String... chunkIds) {
        return java.util.Arrays.stream(chunkIds)
                .map(id -> new SearchHit("doc", id, 0, "t", "text " + id, Map.of(), 0.9, model))
                .toList();
    }

    private double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldServeFromPrimaryAndMeasureOverlapWithShadow() {
        qdrant.answer(hits("a", "b", "c", "d"));
        pgvector.answer(hits("a", "c", "x", "y"));
        DualSearch search = dual(1.0, 1_000, 1_000);

        DualSearch.Outcome outcome = search.search(QUERY, asked(4));

        assertThat(outcome.servedBy()).isEqualTo("qdrant");
        assertThat(outcome.degraded()).isFalse();
        assertThat(outcome.hits()).extracting(SearchHit::chunkId).containsExactly("a", "b", "c", "d");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            var overlap = meters.find("rag_search_overlap_ratio").summary();
            assertThat(overlap).isNotNull();
            assertThat(overlap.count()).isEqualTo(1);
            assertThat(overlap.totalAmount()).isEqualTo(0.5);
        });
        assertThat(meters.find("rag_search_latency_seconds").tag("store", "pgvector").timer().count()).isEqualTo(1);
        assertThat(meters.find("rag_search_latency_seconds").tag("store", "qdrant").timer().count()).isEqualTo(1);
    }

    @Test
    void shouldExposeFallbackAndShadowFailureCountersAtZeroBeforeAnyHappens() {
        dual(1.0, 1_000, 1_000);

        for (String reason : List.of("error", "timeout", "circuit_open", "mode_unavailable")) {
            assertThat(meters.find("rag_search_fallback").tag("reason", reason).counter()).as(reason).isNotNull()
                    .extracting(c -> c.count()).isEqualTo(0.0);
        }
        assertThat(meters.find("rag_search_shadow_failures").tag("store", "pgvector").counters()).hasSize(3);
    }

    @Test
    void shouldExposeTheCountersAtZeroWithoutAShadowToo() {
        // pgvector alone: no fallback and no shadow failure can happen, and the panels show that as 0
        search = new DualSearch(pgvector, Optional.empty(), MODEL, new SearchSettings(1.0, 1_000, 1_000),
                new SearchMetrics(meters), RandomGenerator.getDefault());

        for (String reason : List.of("error", "timeout", "circuit_open", "mode_unavailable")) {
            assertThat(meters.find("rag_search_fallback").tag("reason", reason).counter()).as(reason).isNotNull()
                    .extracting(c -> c.count()).isEqualTo(0.0);
        }
        assertThat(meters.find("rag_search_shadow_failures").tag("store", "none").counters()).hasSize(3);
    }

    @Test
    void shouldFallBackToShadowWhenPrimaryFails() {
        qdrant.failing(true);
        pgvector.answer(hits("p1", "p2"));
        DualSearch search = dual(1.0, 1_000, 1_000);

        DualSearch.Outcome outcome = search.search(QUERY, asked(2));

        assertThat(outcome.servedBy()).isEqualTo("pgvector");
        assertThat(outcome.degraded()).isTrue();
        assertThat(outcome.fallbackReason()).contains("error");
        assertThat(outcome.hits()).extracting(SearchHit::chunkId).containsExactly("p1", "p2");
        assertThat(counter("rag_search_fallback", "reason", "error")).isEqualTo(1);
    }

    @Test
    void shouldAnswerAFallbackFromTheShadowSearchUnderWayEvenWhenItOutlivesTheShadowDeadline() {
        // given a failing primary, and a shadow slower than its 50 ms measurement deadline
        qdrant.failing(true);
        pgvector.answer(hits("p1"));
        pgvector.hold();
        DualSearch search = dual(1.0, 50, 2_000);
        java.util.concurrent.CompletableFuture.runAsync(pgvector::release,
                java.util.concurrent.CompletableFuture.delayedExecutor(300, java.util.concurrent.TimeUnit.MILLISECONDS));

        // when the search falls back
        DualSearch.Outcome outcome = search.search(QUERY, asked(1));

        // then the answer is that same search's, not a second one started after the shadow's deadline
        assertThat(outcome.servedBy()).isEqualTo("pgvector");
        assertThat(outcome.hits()).extracting(SearchHit::chunkId).containsExactly("p1");
        assertThat(pgvector.calls.get()).isEqualTo(1);
    }

    @Test
    void shouldFallBackWhenPrimaryTimesOutEvenIfShadowWasNotSampled() {
        qdrant.hold();
        pgvector.answer(hits("p1"));
        DualSearch search = dual(0.0, 1_000, 100);

        DualSearch.Outcome outcome;
        try {
            outcome = search.search(QUERY, asked(1));
        } finally {
            qdrant.release();
        }

        assertThat(outcome.servedBy()).isEqualTo("pgvector");
        assertThat(outcome.fallbackReason()).contains("timeout");
        assertThat(counter("rag_search_fallback", "reason", "timeout")).isEqualTo(1);
    }

    @Test
    void shouldOpenCircuitAfterRepeatedFailuresAndStopCallingPrimary() {
        qdrant.failing(true);
        pgvector.answer(hits("p1"));
        DualSearch search = dual(0.0, 1_000, 1_000);

        for (int i = 0; i < 20; i++) {
            search.search(QUERY, asked(1));
        }

        assertThat(counter("rag_search_fallback", "reason", "circuit_open")).isPositive();
        assertThat(qdrant.calls.get()).isLessThan(20);
        assertThat(counter("rag_search_fallback", "reason", "error")
                + counter("rag_search_fallback", "reason", "circuit_open")).isEqualTo(20);
    }

    @Test
    void shouldNotWaitForASlowShadow() {
        qdrant.answer(hits("a"));
        pgvector.answer(hits("a"));
        pgvector.hold();
        // a shadow deadline far beyond the test's: an answer that waited for the shadow would never come
        DualSearch search = dual(1.0, 600_000, 1_000);

        DualSearch.Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> search.search(QUERY, asked(1)));

        assertThat(outcome.overlap()).isEmpty();
        assertThat(outcome.storeMillis()).containsOnlyKeys("qdrant");
        pgvector.release();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(meters.find("rag_search_overlap_ratio").summary().totalAmount()).isEqualTo(1.0));
    }

    @Test
    void shouldCountShadowTimeoutsWithoutFailingTheAnswer() {
        qdrant.answer(hits("a"));
        pgvector.hold();
        DualSearch search = dual(1.0, 50, 1_000);
        try {
            assertThat(search.search(QUERY, asked(1)).servedBy()).isEqualTo("qdrant");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(counter("rag_search_shadow_failures", "store", "pgvector", "reason", "timeout"))
                            .isEqualTo(1));
        } finally {
            pgvector.release();
        }
    }

    @Test
    void shouldSkipShadowWhenNotSampled() {
        qdrant.answer(hits("a"));
        DualSearch search = dual(0.0, 1_000, 1_000);

        search.search(QUERY, asked(1));

        assertThat(pgvector.calls.get()).isZero();
    }

    @Test
    void shouldAnswer503WhenBothStoresFail() {
        qdrant.failing(true);
        pgvector.failing(true);
        DualSearch search = dual(1.0, 1_000, 1_000);

        assertThatThrownBy(() -> search.search(QUERY, asked(1)))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("neither store");
    }

    @Test
    void shouldPassFilterAndTopKToBothStores() {
        qdrant.answer(hits("a"));
        pgvector.answer(hits("a"));
        DualSearch search = dual(1.0, 1_000, 1_000);
        MetadataFilter filter = new MetadataFilter(Map.of("lang", "en"));

        search.search(QUERY, Question.dense("q", 7, filter));

        await().atMost(Duration.ofSeconds(5)).until(() -> pgvector.lastFilter != null);
        assertThat(qdrant.lastFilter).isEqualTo(filter);
        assertThat(pgvector.lastFilter).isEqualTo(filter);
        assertThat(qdrant.lastTopK).isEqualTo(7);
    }

    @Test
    void shouldFollowAStoreThatReembeddingSwitchedToAnotherModelWithoutFailingTheQuery() {
        qdrant.answer(hitsOf("m2", "a", "b"));
        pgvector.answer(hits("a", "b"));
        DualSearch search = dual(0.0, 1_000, 1_000);

        DualSearch.Outcome first = search.search(QUERY, asked(2));

        // the hits said the store holds m2 now: the question was embedded again with m2 and searched again
        assertThat(first.servedBy()).isEqualTo("qdrant");
        assertThat(first.degraded()).isFalse();
        assertThat(embeddedWith).containsExactly(MODEL, "m2");
        assertThat(qdrant.calls.get()).isEqualTo(2);
        assertThat(search.primaryModel()).isEqualTo("m2");

        search.search(QUERY, asked(2));

        assertThat(qdrant.calls.get()).isEqualTo(3); // later searches ask with m2 at once
    }

    @Test
    void shouldRetryWithTheNewModelWhenTheStoreRefusesAVectorOfTheOldDimension() {
        qdrant.failing(true);
        qdrant.liveModel("m2");
        pgvector.answer(hits("a"));
        DualSearch search = dual(0.0, 1_000, 1_000);
        qdrant.failUnlessAsked(() -> embeddedWith.contains("m2"));

        DualSearch.Outcome outcome = search.search(QUERY, asked(1));

        assertThat(outcome.servedBy()).isEqualTo("qdrant");
        assertThat(outcome.degraded()).isFalse();
        assertThat(embeddedWith).containsExactly(MODEL, "m2");
    }

    @Test
    void shouldFallBackWhenTheStoreFailsAndStillHoldsTheSameModel() {
        qdrant.failing(true);
        pgvector.answer(hits("a"));
        DualSearch search = dual(0.0, 1_000, 1_000);

        DualSearch.Outcome outcome = search.search(QUERY, asked(1));

        assertThat(outcome.servedBy()).isEqualTo("pgvector");
        assertThat(outcome.fallbackReason()).contains(DualSearch.REASON_ERROR);
        assertThat(qdrant.calls.get()).isEqualTo(1);
    }

    @Test
    void shouldAskTheShadowTheSameQueryInTheSameModeAsThePrimary() {
        qdrant.answer(hits("a"));
        pgvector.answer(hits("a"));
        DualSearch search = dual(1.0, 1_000, 1_000);

        search.search(QUERY, asked(SearchMode.HYBRID, 6));

        await().atMost(Duration.ofSeconds(5)).until(() -> pgvector.lastQuery != null);
        for (ScriptedStore store : List.of(qdrant, pgvector)) {
            assertThat(store.lastQuery.mode()).as(store.name()).isEqualTo(SearchMode.HYBRID);
            assertThat(store.lastQuery.text()).as(store.name()).isEqualTo("falcon project");
            assertThat(store.lastQuery.topK()).as(store.name()).isEqualTo(6);
            assertThat(store.lastQuery.explain()).as(store.name()).isTrue();
            assertThat(store.lastQuery.vector()).as(store.name()).containsExactly(1, 0);
        }
    }

    @Test
    void shouldSearchByKeywordsWithoutEmbeddingTheQuestion() {
        qdrant.answer(hits("a"));
        pgvector.answer(hits("a"));
        DualSearch search = dual(1.0, 1_000, 1_000);

        search.search(QUERY, asked(SearchMode.KEYWORD, 3));

        await().atMost(Duration.ofSeconds(5)).until(() -> pgvector.lastQuery != null);
        assertThat(embeddedWith).isEmpty();
        assertThat(qdrant.lastQuery.mode()).isEqualTo(SearchMode.KEYWORD);
        assertThat(qdrant.lastQuery.vector()).isNull();
        assertThat(pgvector.lastQuery.vector()).isNull();
    }

    @Test
    void shouldTagTheSearchLatencyWithTheMode() {
        qdrant.answer(hits("a"));
        DualSearch search = dual(0.0, 1_000, 1_000);

        search.search(QUERY, asked(SearchMode.KEYWORD, 1));
        search.search(QUERY, asked(SearchMode.HYBRID, 1));
        search.search(QUERY, asked(SearchMode.HYBRID, 1));

        assertThat(meters.find("rag_search_latency_seconds").tags("store", "qdrant", "mode", "keyword").timer()
                .count()).isEqualTo(1);
        assertThat(meters.find("rag_search_latency_seconds").tags("store", "qdrant", "mode", "hybrid").timer()
                .count()).isEqualTo(2);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(SearchMode.class)
    void shouldFallBackToTheShadowInEveryMode(SearchMode mode) {
        qdrant.failing(true);
        pgvector.answer(hits("p1"));
        DualSearch search = dual(0.0, 1_000, 1_000);

        DualSearch.Outcome outcome = search.search(QUERY, asked(mode, 1));

        assertThat(outcome.servedBy()).isEqualTo("pgvector");
        assertThat(outcome.fallbackReason()).contains(DualSearch.REASON_ERROR);
        assertThat(pgvector.lastQuery.mode()).isEqualTo(mode);
    }

    @Test
    void shouldAnswerFromTheShadowAModeThePrimaryCannotWithoutOpeningTheCircuitForOtherModes() {
        // given a primary whose copy has no keyword side
        qdrant.refuse(SearchMode.KEYWORD);
        qdrant.answer(hits("q1"));
        pgvector.answer(hits("p1"));
        DualSearch search = dual(0.0, 1_000, 1_000);

        // when many keyword searches come
        for (int i = 0; i < 20; i++) {
            DualSearch.Outcome outcome = search.search(QUERY, asked(SearchMode.KEYWORD, 1));
            assertThat(outcome.servedBy()).isEqualTo("pgvector");
            assertThat(outcome.fallbackReason()).contains(DualSearch.REASON_MODE_UNAVAILABLE);
        }

        // then the primary still serves dense searches: refusing a mode is not being down
        assertThat(search.search(QUERY, asked(SearchMode.DENSE, 1)).servedBy()).isEqualTo("qdrant");
        assertThat(counter("rag_search_fallback", "reason", "mode_unavailable")).isEqualTo(20);
        assertThat(counter("rag_search_fallback", "reason", "circuit_open")).isZero();
    }

    @Test
    void shouldAnswer409NamingTheRebuildWhenNeitherStoreCanAnswerTheMode() {
        qdrant.refuse(SearchMode.HYBRID);
        pgvector.refuse(SearchMode.HYBRID);
        DualSearch search = dual(1.0, 1_000, 1_000);

        assertThatThrownBy(() -> search.search(QUERY, asked(SearchMode.HYBRID, 1)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("qdrant cannot answer hybrid searches")
                .hasMessageContaining("pgvector cannot answer hybrid searches")
                .hasMessageContaining("faro rebuild");
    }

    @Test
    void shouldAnswer409WhenTheOnlyStoreCannotAnswerTheMode() {
        pgvector.refuse(SearchMode.KEYWORD);
        search = new DualSearch(pgvector, Optional.empty(), MODEL, new SearchSettings(1.0, 1_000, 1_000),
                new SearchMetrics(meters), RandomGenerator.getDefault());

        assertThatThrownBy(() -> search.search(QUERY, asked(SearchMode.KEYWORD, 1)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("pgvector cannot answer keyword searches")
                .hasMessageContaining("\"mode\"");
    }

    @Test
    void shouldCountAShadowThatCannotAnswerTheModeApartFromErrors() {
        qdrant.answer(hits("a"));
        pgvector.refuse(SearchMode.KEYWORD);
        DualSearch search = dual(1.0, 1_000, 1_000);

        assertThat(search.search(QUERY, asked(SearchMode.KEYWORD, 1)).servedBy()).isEqualTo("qdrant");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(counter("rag_search_shadow_failures",
                "store", "pgvector", "reason", "mode_unavailable")).isEqualTo(1));
        assertThat(counter("rag_search_shadow_failures", "store", "pgvector", "reason", "error")).isZero();
    }

    @Test
    void shouldComputeOverlapOverTheLongerAnswer() {
        assertThat(DualSearch.overlap(hits("a", "b"), hits("b", "c"))).isEqualTo(0.5);
        assertThat(DualSearch.overlap(hits("a", "b", "c", "d"), hits("a"))).isEqualTo(0.25);
        assertThat(DualSearch.overlap(hits(), hits())).isEqualTo(1.0);
    }

    /** A store whose answers and failures the test decides, and whose searches it can hold back. */
    static final class ScriptedStore implements VectorStore {

        private final String name;
        private volatile List<SearchHit> answer = List.of();
        private volatile boolean failing;
        private volatile String liveModel = MODEL;
        private volatile java.util.function.BooleanSupplier recovered = () -> false;
        private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
        final AtomicInteger calls = new AtomicInteger();
        volatile MetadataFilter lastFilter;
        volatile int lastTopK;
        volatile StoreQuery lastQuery;
        private volatile SearchMode refused;

        ScriptedStore(String name) {
            this.name = name;
        }

        void answer(List<SearchHit> hits) {
            this.answer = hits;
        }

        void failing(boolean failing) {
            this.failing = failing;
        }

        /** Searches in this mode are refused, as by a copy built before it had a keyword side. */
        void refuse(SearchMode mode) {
            this.refused = mode;
        }

        void liveModel(String model) {
            this.liveModel = model;
        }

        /** While failing, answers anyway once this holds (the question was embedded with the right model). */
        void failUnlessAsked(java.util.function.BooleanSupplier recovered) {
            this.recovered = recovered;
        }

        @Override
        public String liveModel() {
            return liveModel;
        }

        /** Searches wait, as on a hung store, until {@link #release()}. */
        void hold() {
            this.gate = new java.util.concurrent.CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<SearchHit> search(StoreQuery query) {
            int topK = query.topK();
            MetadataFilter filter = query.filter();
            calls.incrementAndGet();
            lastTopK = topK;
            lastFilter = filter;
            lastQuery = query;
            if (query.mode() == refused) {
                throw new SearchModeUnavailableException(name, query.mode(), "its copy has no keyword side; run"
                        + " faro rebuild " + name);
            }
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(name + " interrupted");
            }
            if (failing && !recovered.getAsBoolean()) {
                throw new StoreException(name + " is down");
            }
            return answer;
        }

        @Override
        public void upsert(List<EmbeddedChunk> batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(Collection<String> chunkIds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void visitVersions(int pageSize,
                                  java.util.function.Consumer<List<io.faro.core.store.ChunkVersion>> page) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.faro.core.store.StoredDocument describe(String docId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteDocument(String docId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long count() {
            return answer.size();
        }

        @Override
        public boolean isReachable() {
            return !failing;
        }

        @Override
        public void close() {
        }
    }

}
