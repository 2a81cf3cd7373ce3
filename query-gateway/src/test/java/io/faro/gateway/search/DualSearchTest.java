package io.faro.gateway.search;

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

        DualSearch.Outcome outcome = search.search(QUERY, 4, MetadataFilter.NONE);

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

        for (String reason : List.of("error", "timeout", "circuit_open")) {
            assertThat(meters.find("rag_search_fallback").tag("reason", reason).counter()).as(reason).isNotNull()
                    .extracting(c -> c.count()).isEqualTo(0.0);
        }
        assertThat(meters.find("rag_search_shadow_failures").tag("store", "pgvector").counters()).hasSize(2);
    }

    @Test
    void shouldExposeTheCountersAtZeroWithoutAShadowToo() {
        // pgvector alone: no fallback and no shadow failure can happen, and the panels show that as 0
        search = new DualSearch(pgvector, Optional.empty(), MODEL, new SearchSettings(1.0, 1_000, 1_000),
                new SearchMetrics(meters), RandomGenerator.getDefault());

        for (String reason : List.of("error", "timeout", "circuit_open")) {
            assertThat(meters.find("rag_search_fallback").tag("reason", reason).counter()).as(reason).isNotNull()
                    .extracting(c -> c.count()).isEqualTo(0.0);
        }
        assertThat(meters.find("rag_search_shadow_failures").tag("store", "none").counters()).hasSize(2);
    }

    @Test
    void shouldFallBackToShadowWhenPrimaryFails() {
        qdrant.failing(true);
        pgvector.answer(hits("p1", "p2"));
        DualSearch search = dual(1.0, 1_000, 1_000);

        DualSearch.Outcome outcome = search.search(QUERY, 2, MetadataFilter.NONE);

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
        DualSearch.Outcome outcome = search.search(QUERY, 1, MetadataFilter.NONE);

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
            outcome = search.search(QUERY, 1, MetadataFilter.NONE);
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
            search.search(QUERY, 1, MetadataFilter.NONE);
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
                () -> search.search(QUERY, 1, MetadataFilter.NONE));

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
            assertThat(search.search(QUERY, 1, MetadataFilter.NONE).servedBy()).isEqualTo("qdrant");

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

        search.search(QUERY, 1, MetadataFilter.NONE);

        assertThat(pgvector.calls.get()).isZero();
    }

    @Test
    void shouldAnswer503WhenBothStoresFail() {
        qdrant.failing(true);
        pgvector.failing(true);
        DualSearch search = dual(1.0, 1_000, 1_000);

        assertThatThrownBy(() -> search.search(QUERY, 1, MetadataFilter.NONE))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("neither store");
    }

    @Test
    void shouldPassFilterAndTopKToBothStores() {
        qdrant.answer(hits("a"));
        pgvector.answer(hits("a"));
        DualSearch search = dual(1.0, 1_000, 1_000);
        MetadataFilter filter = new MetadataFilter(Map.of("lang", "en"));

        search.search(QUERY, 7, filter);

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

        DualSearch.Outcome first = search.search(QUERY, 2, MetadataFilter.NONE);

        // the hits said the store holds m2 now: the question was embedded again with m2 and searched again
        assertThat(first.servedBy()).isEqualTo("qdrant");
        assertThat(first.degraded()).isFalse();
        assertThat(embeddedWith).containsExactly(MODEL, "m2");
        assertThat(qdrant.calls.get()).isEqualTo(2);
        assertThat(search.primaryModel()).isEqualTo("m2");

        search.search(QUERY, 2, MetadataFilter.NONE);

        assertThat(qdrant.calls.get()).isEqualTo(3); // later searches ask with m2 at once
    }

    @Test
    void shouldRetryWithTheNewModelWhenTheStoreRefusesAVectorOfTheOldDimension() {
        qdrant.failing(true);
        qdrant.liveModel("m2");
        pgvector.answer(hits("a"));
        DualSearch search = dual(0.0, 1_000, 1_000);
        qdrant.failUnlessAsked(() -> embeddedWith.contains("m2"));

        DualSearch.Outcome outcome = search.search(QUERY, 1, MetadataFilter.NONE);

        assertThat(outcome.servedBy()).isEqualTo("qdrant");
        assertThat(outcome.degraded()).isFalse();
        assertThat(embeddedWith).containsExactly(MODEL, "m2");
    }

    @Test
    void shouldFallBackWhenTheStoreFailsAndStillHoldsTheSameModel() {
        qdrant.failing(true);
        pgvector.answer(hits("a"));
        DualSearch search = dual(0.0, 1_000, 1_000);

        DualSearch.Outcome outcome = search.search(QUERY, 1, MetadataFilter.NONE);

        assertThat(outcome.servedBy()).isEqualTo("pgvector");
        assertThat(outcome.fallbackReason()).contains(DualSearch.REASON_ERROR);
        assertThat(qdrant.calls.get()).isEqualTo(1);
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

        ScriptedStore(String name) {
            this.name = name;
        }

        void answer(List<SearchHit> hits) {
            this.answer = hits;
        }

        void failing(boolean failing) {
            this.failing = failing;
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
