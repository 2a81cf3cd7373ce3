package io.faro.stores.testing.qdrant;

import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.ConditionFactory.isEmpty;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.fusion;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.QueryFactory.rrf;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorFactory.vector;
import static io.qdrant.client.VectorsFactory.namedVectors;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.Fusion;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.Rrf;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.SearchPointGroups;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.Vectors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the Qdrant stand-in only through the real Qdrant Java client. */
class QdrantStandInTest {

    private static final String DOCS = "docs";

    private QdrantStandIn qdrant;
    private QdrantClient client;

    @BeforeEach
    void start() {
        qdrant = QdrantStandIn.start();
        client = new QdrantClient(QdrantGrpcClient.newBuilder("localhost", qdrant.port(), false).build());
    }

    @AfterEach
    void stop() {
        client.close();
        qdrant.close();
    }

    @Test
    void healthCheckIdentifiesQdrant() throws Exception {
        var reply = await(client.healthCheckAsync());

        assertThat(reply.getTitle()).isEqualTo("qdrant - vector search engine");
        assertThat(reply.getVersion()).startsWith("1.");
        assertThat(qdrant.url()).isEqualTo("http://localhost:" + qdrant.port());
    }

    @Test
    void createsAndDescribesACollection() throws Exception {
        createCollection(DOCS, 4, Distance.Cosine);

        CollectionInfo info = await(client.getCollectionInfoAsync(DOCS));
        VectorParams params = info.getConfig().getParams().getVectorsConfig().getParams();
        assertThat(params.getSize()).isEqualTo(4);
        assertThat(params.getDistance()).isEqualTo(Distance.Cosine);
        assertThat(info.getStatus()).isEqualTo(CollectionStatus.Green);
        assertThat(info.getPointsCount()).isZero();
        assertThat(await(client.collectionExistsAsync(DOCS))).isTrue();
        assertThat(await(client.collectionExistsAsync("other"))).isFalse();
        assertThat(await(client.listCollectionsAsync())).containsExactly(DOCS);

        StatusRuntimeException again = rpcFailure(
                client.createCollectionAsync(DOCS, vectorParams(4, Distance.Cosine)));
        assertThat(again.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(again.getStatus().getDescription())
                .isEqualTo("Wrong input: Collection `docs` already exists!");

        await(client.upsertAsync(DOCS, List.of(point(1, Map.of(), 1, 0, 0, 0))));
        assertThat(await(client.getCollectionInfoAsync(DOCS)).getPointsCount()).isEqualTo(1);

        assertThat(await(client.deleteCollectionAsync(DOCS)).getResult()).isTrue();
        assertThat(await(client.collectionExistsAsync(DOCS))).isFalse();
    }

    @Test
    void aliasesResolveForDataButAreNotCollections() throws Exception {
        createCollection("docs_v1", 2, Distance.Cosine);
        createCollection("docs_v2", 2, Distance.Cosine);
        await(client.createAliasAsync(DOCS, "docs_v1"));

        assertThat(await(client.collectionExistsAsync(DOCS))).isFalse();
        assertThat(await(client.getCollectionInfoAsync(DOCS)).getConfig().getParams().getVectorsConfig()
                .getParams().getSize()).isEqualTo(2);
        await(client.upsertAsync(DOCS, List.of(point(1, Map.of(), 1, 0))));
        assertThat(qdrant.pointIds("docs_v1")).containsExactly("1");
        assertThat(search(DOCS, new float[] {1, 0}, null)).extracting(p -> p.getId().getNum()).containsExactly(1L);

        await(client.createAliasAsync(DOCS, "docs_v2"));
        assertThat(await(client.listAliasesAsync())).singleElement()
                .satisfies(a -> assertThat(a.getCollectionName()).isEqualTo("docs_v2"));
        assertThat(search(DOCS, new float[] {1, 0}, null)).isEmpty();

        StatusRuntimeException partial = rpcFailure(client.updateAliasesAsync(List.of(
                createAlias("docs_next", "docs_v1"), createAlias("broken", "missing"))));
        assertThat(partial.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(qdrant.aliases()).containsOnlyKeys(DOCS);

        await(client.updateAliasesAsync(List.of(
                AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder().setAliasName(DOCS)).build(),
                createAlias(DOCS, "docs_v1"))));
        assertThat(qdrant.aliases()).containsExactlyEntriesOf(Map.of(DOCS, "docs_v1"));
        assertThat(await(client.listCollectionAliasesAsync("docs_v1"))).containsExactly(DOCS);

        await(client.deleteCollectionAsync("docs_v1"));
        assertThat(qdrant.aliases()).isEmpty();
        assertThat(rpcFailure(client.getCollectionInfoAsync(DOCS)).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void cosineScoresUseNormalisedVectors() throws Exception {
        createCollection(DOCS, 4, Distance.Cosine);
        await(client.upsertAsync(DOCS, List.of(
                point(1, Map.of(), 2, 0, 0, 0),
                point(2, Map.of(), 0, 3, 0, 0),
                point(3, Map.of(), 1, 1, 0, 0),
                point(4, Map.of(), -1, 0, 0, 0))));

        List<ScoredPoint> hits = search(DOCS, new float[] {1, 0, 0, 0}, null);
        assertThat(hits).extracting(p -> p.getId().getNum()).containsExactly(1L, 3L, 2L, 4L);
        assertThat(hits.get(0).getScore()).isCloseTo(1.0f, within(1e-6f));
        assertThat(hits.get(1).getScore()).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        assertThat(hits.get(2).getScore()).isCloseTo(0f, within(1e-6f));
        assertThat(hits.get(3).getScore()).isCloseTo(-1f, within(1e-6f));

        List<ScoredPoint> scaled = search(DOCS, new float[] {7, 0, 0, 0}, null);
        assertThat(scaled.get(0).getScore()).isCloseTo(1.0f, within(1e-6f));
        assertThat(qdrant.vector(DOCS, "2")).containsExactly(0f, 1f, 0f, 0f);

        List<ScoredPoint> above = await(client.searchAsync(SearchPoints.newBuilder().setCollectionName(DOCS)
                .addAllVector(List.of(1f, 0f, 0f, 0f)).setLimit(10).setScoreThreshold(0.5f).build()));
        assertThat(above).extracting(p -> p.getId().getNum()).containsExactly(1L, 3L);

        List<ScoredPoint> queried = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .setQuery(nearest(0f, 5f, 0f, 0f)).setLimit(1).build()));
        assertThat(queried).extracting(p -> p.getId().getNum()).containsExactly(2L);
        assertThat(queried.get(0).getScore()).isCloseTo(1.0f, within(1e-6f));
    }

    @Test
    @SuppressWarnings("deprecation")
    void acceptsTheDeprecatedVectorDataFieldAndDotProduct() throws Exception {
        createCollection(DOCS, 2, Distance.Dot);
        Vector legacy = Vector.newBuilder().addAllData(List.of(3f, 4f)).build();
        await(client.upsertAsync(DOCS, List.of(PointStruct.newBuilder().setId(id(1))
                .setVectors(Vectors.newBuilder().setVector(legacy)).build())));

        assertThat(qdrant.vector(DOCS, "1")).containsExactly(3f, 4f);
        assertThat(search(DOCS, new float[] {2, 0}, null).get(0).getScore()).isCloseTo(6f, within(1e-6f));
    }

    @Test
    void rejectsWrongDimensions() throws Exception {
        createCollection(DOCS, 4, Distance.Cosine);

        StatusRuntimeException upsert = rpcFailure(client.upsertAsync(DOCS, List.of(point(1, Map.of(), 1, 0, 0))));
        assertThat(upsert.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(upsert.getStatus().getDescription())
                .isEqualTo("Wrong input: Vector dimension error: expected dim: 4, got 3");

        StatusRuntimeException query = rpcFailure(client.searchAsync(SearchPoints.newBuilder()
                .setCollectionName(DOCS).addAllVector(List.of(1f, 0f)).setLimit(3).build()));
        assertThat(query.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(query.getStatus().getDescription()).contains("expected dim: 4, got 2");
    }

    @Test
    void missingCollectionsAreNotFound() {
        for (ListenableFuture<?> call : List.of(
                client.getCollectionInfoAsync("nope"),
                client.upsertAsync("nope", List.of(point(1, Map.of(), 1f))),
                client.searchAsync(SearchPoints.newBuilder().setCollectionName("nope").addVector(1f).setLimit(1)
                        .build()),
                client.countAsync("nope"),
                client.deleteAsync("nope", List.of(id(1))))) {
            StatusRuntimeException e = rpcFailure(call);
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(e.getStatus().getDescription()).isEqualTo("Not found: Collection `nope` doesn't exist!");
        }
    }

    @Test
    void filtersOnTopLevelAndNestedKeys() throws Exception {
        createCollection(DOCS, 2, Distance.Cosine);
        await(client.createPayloadIndexAsync(DOCS, "metadata.lang", PayloadSchemaType.Keyword, null, true, null,
                null));
        await(client.upsertAsync(DOCS, List.of(
                point(1, Map.of("source", value("a.pdf"), "metadata", value(Map.of("lang", value("en"))),
                        "page", value(1))),
                point(2, Map.of("source", value("a.pdf"), "metadata", value(Map.of("lang", value("de"))),
                        "page", value(2))),
                point(3, Map.of("source", value("b.pdf"), "metadata", value(Map.of("lang", value("en"))),
                        "tags", value(List.of(value("x"), value("y"))))))));

        assertThat(ids(searchFiltered(Filter.newBuilder().addMust(matchKeyword("source", "a.pdf")).build())))
                .containsExactlyInAnyOrder(1L, 2L);
        assertThat(ids(searchFiltered(Filter.newBuilder().addMust(matchKeyword("metadata.lang", "en")).build())))
                .containsExactlyInAnyOrder(1L, 3L);
        assertThat(ids(searchFiltered(Filter.newBuilder().addMust(matchKeyword("source", "a.pdf"))
                .addMustNot(matchKeyword("metadata.lang", "en")).build()))).containsExactly(2L);
        assertThat(ids(searchFiltered(Filter.newBuilder().addShould(match("page", 2))
                .addShould(matchKeywords("tags", List.of("y", "z"))).build()))).containsExactlyInAnyOrder(2L, 3L);
        assertThat(ids(searchFiltered(Filter.newBuilder().addMust(hasId(List.of(id(3), id(1)))).build())))
                .containsExactlyInAnyOrder(1L, 3L);

        List<ScoredPoint> withPayload = search(DOCS, new float[] {1, 0},
                Filter.newBuilder().addMust(matchKeyword("metadata.lang", "de")).build());
        assertThat(withPayload.get(0).getPayloadMap().get("source").getStringValue()).isEqualTo("a.pdf");
        assertThat(qdrant.payload(DOCS, "2")).containsEntry("page", 2L)
                .containsEntry("metadata", Map.of("lang", "de"));
        assertThat(await(client.getCollectionInfoAsync(DOCS)).getPayloadSchemaMap()).containsKey("metadata.lang");

        StatusRuntimeException unsupported = rpcFailure(client.countAsync(DOCS,
                Filter.newBuilder().addMust(range("page", Range.newBuilder().setGte(1).build())).build(), true));
        assertThat(unsupported.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(unsupported.getStatus().getDescription()).contains("unsupported condition");
    }

    @Test
    void matchesIsEmptyWhenTheFieldIsMissingNullOrAnEmptyArrayAsQdrantDoes() throws Exception {
        createCollection(DOCS, 2, Distance.Cosine);
        await(client.upsertAsync(DOCS, List.of(
                point(1, Map.of()),
                point(2, Map.of("acl", io.qdrant.client.ValueFactory.nullValue())),
                point(3, Map.of("acl", io.qdrant.client.ValueFactory.list(List.of()))),
                point(4, Map.of("acl", value(List.of(value("hr"))))),
                point(5, Map.of("acl", value("board"))))));

        assertThat(ids(searchFiltered(Filter.newBuilder().addMust(isEmpty("acl")).build())))
                .containsExactlyInAnyOrder(1L, 2L, 3L);
        // FARO's ACL condition: open to all, or naming one of the caller's groups
        assertThat(ids(searchFiltered(Filter.newBuilder().addMust(io.qdrant.client.ConditionFactory.filter(
                Filter.newBuilder().addShould(isEmpty("acl")).addShould(matchKeywords("acl", List.of("hr", "x")))
                        .build())).build()))).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    }

    @Test
    void deletesByIdsAndByFilterAndCounts() throws Exception {
        createCollection(DOCS, 2, Distance.Cosine);
        List<PointStruct> points = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            points.add(point(i, Map.of("doc", value(i <= 3 ? "a" : "b")), 1, i));
        }
        await(client.upsertAsync(DOCS, points));
        Filter docB = Filter.newBuilder().addMust(matchKeyword("doc", "b")).build();
        assertThat(await(client.countAsync(DOCS))).isEqualTo(6);
        assertThat(await(client.countAsync(DOCS, docB, true))).isEqualTo(3);

        var byIds = await(client.deleteAsync(DOCS, List.of(id(1), id(2), id(99))));
        assertThat(byIds.getStatus()).isEqualTo(UpdateStatus.Completed);
        assertThat(qdrant.pointIds(DOCS)).containsExactly("3", "4", "5", "6");

        await(client.deleteAsync(DOCS, docB));
        assertThat(qdrant.pointIds(DOCS)).containsExactly("3");
        assertThat(await(client.countAsync(DOCS))).isEqualTo(1);
    }

    @Test
    void upsertReplacesWholePointsAndHonoursWait() throws Exception {
        createCollection(DOCS, 2, Distance.Cosine);
        await(client.upsertAsync(DOCS, List.of(point(7, Map.of("old", value(true), "v", value(1)), 1, 0))));
        var acknowledged = await(client.upsertAsync(UpsertPoints.newBuilder().setCollectionName(DOCS)
                .setWait(false).addPoints(point(7, Map.of("v", value(2)), 0, 1)).build()));

        assertThat(acknowledged.getStatus()).isEqualTo(UpdateStatus.Acknowledged);
        assertThat(qdrant.payload(DOCS, "7")).containsExactlyEntriesOf(Map.of("v", 2L));
        assertThat(qdrant.vector(DOCS, "7")).containsExactly(0f, 1f);
        assertThat(search(DOCS, new float[] {0, 1}, null).get(0).getVersion()).isEqualTo(1);
    }

    @Test
    void scrollPagesThroughAllIdsInQdrantOrder() throws Exception {
        createCollection(DOCS, 2, Distance.Cosine);
        List<PointStruct> points = new ArrayList<>();
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID uuid = UUID.randomUUID();
            uuids.add(uuid.toString());
            points.add(PointStruct.newBuilder().setId(id(uuid)).setVectors(vectors(1f, i)).build());
        }
        points.add(point(42, Map.of(), 1, 1));
        await(client.upsertAsync(DOCS, points));

        List<String> seen = new ArrayList<>();
        PointId offset = null;
        do {
            ScrollPoints.Builder request = ScrollPoints.newBuilder().setCollectionName(DOCS).setLimit(2);
            if (offset != null) {
                request.setOffset(offset);
            }
            ScrollResponse page = await(client.scrollAsync(request.build()));
            assertThat(page.getResultCount()).isLessThanOrEqualTo(2);
            page.getResultList().forEach(p -> seen.add(
                    p.getId().hasUuid() ? p.getId().getUuid() : Long.toString(p.getId().getNum())));
            offset = page.hasNextPageOffset() ? page.getNextPageOffset() : null;
        } while (offset != null);

        List<String> expected = new ArrayList<>(List.of("42"));
        expected.addAll(uuids.stream().sorted().toList());
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(qdrant.pointIds(DOCS)).containsExactlyElementsOf(expected);
    }

    @Test
    void stopFailsCallsAndRestartServesTheSameData() throws Exception {
        createCollection(DOCS, 2, Distance.Cosine);
        await(client.upsertAsync(DOCS, List.of(point(1, Map.of(), 1, 0))));

        qdrant.stop();
        assertThat(qdrant.isRunning()).isFalse();
        assertThat(rpcFailure(client.countAsync(DOCS)).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

        qdrant.restart();
        assertThat(qdrant.isRunning()).isTrue();
        // the client reconnects on its own; wait for it
        Long count = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(ExecutionException.class)
                .until(() -> client.countAsync(DOCS).get(10, SECONDS), java.util.Objects::nonNull);
        assertThat(count).isEqualTo(1);
        assertThat(search(DOCS, new float[] {1, 0}, null)).hasSize(1);
    }

    @Test
    void failEveryOtherCallAlternatesAndFailAllFailsEverything() throws Exception {
        createCollection(DOCS, 2, Distance.Cosine);
        int before = qdrant.calls();

        qdrant.failEveryOtherCall(true);
        List<Status.Code> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            outcomes.add(outcome(client.countAsync(DOCS)));
        }
        assertThat(outcomes).containsExactly(Status.Code.OK, Status.Code.UNAVAILABLE, Status.Code.OK,
                Status.Code.UNAVAILABLE, Status.Code.OK, Status.Code.UNAVAILABLE);
        assertThat(qdrant.calls()).isEqualTo(before + 6);

        qdrant.failEveryOtherCall(false);
        qdrant.failAll(true);
        assertThat(outcome(client.countAsync(DOCS))).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(outcome(client.listCollectionsAsync())).isEqualTo(Status.Code.UNAVAILABLE);
        qdrant.failAll(false);
        assertThat(outcome(client.countAsync(DOCS))).isEqualTo(Status.Code.OK);
    }

    @Test
    void delayHoldsEveryAnswer() throws Exception {
        createCollection(DOCS, 2, Distance.Cosine);
        qdrant.delay(Duration.ofMillis(300));

        long start = System.nanoTime();
        await(client.countAsync(DOCS));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(outcome(client.countAsync(DOCS, Duration.ofMillis(50)))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        qdrant.delay(Duration.ZERO);
        assertThat(outcome(client.countAsync(DOCS))).isEqualTo(Status.Code.OK);
    }

    @Test
    void servesConcurrentWriters() throws Exception {
        createCollection(DOCS, 2, Distance.Cosine);
        List<ListenableFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            writes.add(client.upsertAsync(DOCS, List.of(point(i, Map.of("n", value(i)), 1, i))));
        }
        for (ListenableFuture<?> write : writes) {
            await(write);
        }

        assertThat(await(client.countAsync(DOCS))).isEqualTo(200);
        assertThat(qdrant.pointIds(DOCS)).hasSize(200);
    }

    @Test
    void otherRpcsAreUnimplemented() {
        StatusRuntimeException e = rpcFailure(client.searchGroupsAsync(
                SearchPointGroups.newBuilder().setCollectionName(DOCS).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(e.getStatus().getDescription()).contains("SearchGroups");
    }

    // ---- sparse vectors, the IDF modifier and the Query API (prefetch, fusion, batches) ----

    private static final String TEXT = "text";

    @Test
    void createsACollectionWithASparseVectorBesideTheUnnamedDenseOne() throws Exception {
        createHybridCollection(DOCS, Modifier.Idf);

        CollectionInfo info = await(client.getCollectionInfoAsync(DOCS));
        assertThat(info.getConfig().getParams().getVectorsConfig().getParams().getSize()).isEqualTo(2);
        assertThat(info.getConfig().getParams().getSparseVectorsConfig().getMapMap().get(TEXT).getModifier())
                .isEqualTo(Modifier.Idf);
        await(client.upsertAsync(DOCS, List.of(hybridPoint(1, "a", Map.of(9, 0.5f, 2, 1.5f), 1, 0))));
        assertThat(qdrant.sparseVector(DOCS, "1", TEXT)).containsExactly(Map.entry(2, 1.5f), Map.entry(9, 0.5f));
        assertThat(qdrant.vector(DOCS, "1")).containsExactly(1f, 0f);

        createCollection("dense_only", 2, Distance.Cosine);
        assertThat(await(client.getCollectionInfoAsync("dense_only")).getConfig().getParams()
                .hasSparseVectorsConfig()).isFalse();
    }

    @Test
    void refusesSparseVectorsTheCollectionDoesNotDeclareAsQdrantDoes() throws Exception {
        createHybridCollection(DOCS, Modifier.Idf);
        createCollection("dense_only", 2, Distance.Cosine);

        assertThat(rpcFailure(client.upsertAsync("dense_only", List.of(hybridPoint(1, "a", Map.of(1, 1f), 1, 0))))
                .getStatus().getDescription()).isEqualTo("Wrong input: Not existing vector name error: text");
        assertThat(rpcFailure(client.upsertAsync(DOCS, List.of(PointStruct.newBuilder().setId(id(1))
                .setVectors(namedVectors(Map.of("", vector(1f, 0f), TEXT, vector(1f, 0f)))).build())))
                .getStatus().getDescription()).isEqualTo("Wrong input: Conversion between sparse and regular vectors failed");
        assertThat(rpcFailure(client.upsertAsync(DOCS, List.of(PointStruct.newBuilder().setId(id(1))
                .setVectors(vectors(vector(List.of(1f), List.of(3)))).build())))
                .getStatus().getDescription()).isEqualTo("Sparse vector must be named");
        StatusRuntimeException twice = rpcFailure(client.upsertAsync(DOCS, List.of(PointStruct.newBuilder().setId(id(1))
                .setVectors(namedVectors(Map.of("", vector(1f, 0f), TEXT, vector(List.of(1f, 2f), List.of(3, 3)))))
                .build())));
        assertThat(twice.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(twice.getStatus().getDescription()).contains("indices: must be unique");
        assertThat(qdrant.pointIds(DOCS)).isEmpty();

        StatusRuntimeException query = rpcFailure(client.queryAsync(QueryPoints.newBuilder()
                .setCollectionName("dense_only").setUsing(TEXT).setQuery(nearest(List.of(1f), List.of(1))).build()));
        assertThat(query.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(query.getStatus().getDescription()).isEqualTo("Wrong input: Not existing vector name error: text");
        assertThat(rpcFailure(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS).setUsing(TEXT)
                .setQuery(nearest(1f, 0f)).build())).getStatus().getDescription())
                .isEqualTo("Wrong input: Conversion between sparse and regular vectors failed");
    }

    /** Three non-empty sparse vectors (N = 3), one empty and one missing, which Qdrant leaves out of N. */
    private void upsertIdfCorpus(String collection) throws Exception {
        await(client.upsertAsync(collection, List.of(
                hybridPoint(1, "a", Map.of(1, 2f, 2, 1f), 1, 0),
                hybridPoint(2, "a", Map.of(1, 1f), 1, 0),
                hybridPoint(3, "b", Map.of(3, 1f), 1, 0),
                hybridPoint(4, "a", Map.of(), 1, 0),
                point(5, Map.of("tag", value("a")), 1, 0))));
    }

    @Test
    void theIdfModifierWeighsEachQueryTermByItsRarityInTheWholeCollection() throws Exception {
        createHybridCollection(DOCS, Modifier.Idf);
        upsertIdfCorpus(DOCS);

        // N = 3; index 1 is in 2 vectors: ln((3 - 2 + 0.5) / (2 + 0.5) + 1) = ln 1.6; index 3 in one: ln(8/3)
        List<ScoredPoint> hits = sparseQuery(DOCS, Map.of(1, 1f, 3, 1f), null);
        assertThat(ids(hits)).containsExactly(3L, 1L, 2L);
        assertThat(hits.get(0).getScore()).isCloseTo((float) Math.log(8.0 / 3), within(1e-6f));
        assertThat(hits.get(1).getScore()).isCloseTo((float) (2 * Math.log(1.6)), within(1e-6f));
        assertThat(hits.get(2).getScore()).isCloseTo((float) Math.log(1.6), within(1e-6f));

        // the filter narrows the hits, not the statistics; a query value multiplies the term's weight
        Filter onlyA = Filter.newBuilder().addMust(matchKeyword("tag", "a")).build();
        List<ScoredPoint> filtered = sparseQuery(DOCS, Map.of(1, 2f, 3, 1f), onlyA);
        assertThat(ids(filtered)).containsExactly(1L, 2L);
        assertThat(filtered.get(0).getScore()).isCloseTo((float) (4 * Math.log(1.6)), within(1e-6f));

        // computed when searching: without point 3, N = 2 and index 1 is in both, ln((2 - 2 + 0.5) / 2.5 + 1) = ln 1.2
        await(client.deleteAsync(DOCS, List.of(id(3))));
        assertThat(sparseQuery(DOCS, Map.of(1, 1f), null).get(0).getScore())
                .isCloseTo((float) (2 * Math.log(1.2)), within(1e-6f));
        assertThat(sparseQuery(DOCS, Map.of(), null)).isEmpty();
    }

    @Test
    void withoutAModifierASparseSearchIsAPlainDotProduct() throws Exception {
        createHybridCollection(DOCS, Modifier.None);
        upsertIdfCorpus(DOCS);

        List<ScoredPoint> hits = sparseQuery(DOCS, Map.of(1, 1f, 3, 0.5f), null);

        assertThat(ids(hits)).containsExactly(1L, 2L, 3L);
        assertThat(hits).extracting(ScoredPoint::getScore).containsExactly(2f, 1f, 0.5f);
    }

    /**
     * Dense order for (1, 0): 1, 2, 3 (cosine 1, 0.8, 0); sparse order for index 7: 3, 2, 1 (values 3, 2, 1; the
     * IDF factor is the same for all three).
     */
    private void upsertFusionCorpus() throws Exception {
        createHybridCollection(DOCS, Modifier.Idf);
        await(client.upsertAsync(DOCS, List.of(
                hybridPoint(1, "a", Map.of(7, 1f), 1, 0),
                hybridPoint(2, "b", Map.of(7, 2f), 0.8f, 0.6f),
                hybridPoint(3, "b", Map.of(7, 3f), 0, 1))));
    }

    private static PrefetchQuery densePrefetch(long limit) {
        return PrefetchQuery.newBuilder().setQuery(nearest(1f, 0f)).setLimit(limit).build();
    }

    private static PrefetchQuery sparsePrefetch(long limit) {
        return PrefetchQuery.newBuilder().setUsing(TEXT).setQuery(nearest(List.of(1f), List.of(7))).setLimit(limit)
                .build();
    }

    /** Qdrant's rrf_scoring: a 0-based position p in a list of weight w adds 1 / ((p + 1) / w + k - 1). */
    private static float rrfScore(int position, int k, double weight) {
        return (float) (1.0 / ((position + 1) / weight + k - 1));
    }

    @Test
    void rrfFusesThePrefetchesWithItsKAndWeightsIntoTheScore() throws Exception {
        upsertFusionCorpus();

        List<ScoredPoint> weighted = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(densePrefetch(10)).addPrefetch(sparsePrefetch(10))
                .setQuery(rrf(Rrf.newBuilder().setK(60).addWeights(1f).addWeights(2f).build()))
                .setWithPayload(enable(true)).build()));

        assertThat(ids(weighted)).containsExactly(1L, 2L, 3L);
        assertThat(weighted.get(0).getScore()).isCloseTo(rrfScore(0, 60, 1) + rrfScore(2, 60, 2), within(1e-7f));
        assertThat(weighted.get(1).getScore()).isCloseTo(rrfScore(1, 60, 1) + rrfScore(1, 60, 2), within(1e-7f));
        assertThat(weighted.get(2).getScore()).isCloseTo(rrfScore(2, 60, 1) + rrfScore(0, 60, 2), within(1e-7f));
        assertThat(weighted.get(0).getPayloadMap().get("tag").getStringValue()).isEqualTo("a");

        // Fusion.RRF is k = 2 without weights: 1 and 3 tie at 1/2 + 1/4
        List<ScoredPoint> plain = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(densePrefetch(10)).addPrefetch(sparsePrefetch(10)).setQuery(fusion(Fusion.RRF)).build()));
        assertThat(ids(plain)).containsExactly(1L, 3L, 2L);
        assertThat(plain).extracting(ScoredPoint::getScore).containsExactly(0.75f, 0.75f, 2f / 3);

        StatusRuntimeException weights = rpcFailure(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(densePrefetch(10)).addPrefetch(sparsePrefetch(10))
                .setQuery(rrf(Rrf.newBuilder().addWeights(1f).build())).build()));
        assertThat(weights.getStatus().getDescription()).isEqualTo("Wrong input: Validation failed: Number of weights"
                + " in RRF should match number of pre-fetches: got 1, expected 2");
    }

    @Test
    void prefetchesKeepTheirLimitsAndEveryFilterAboveThem() throws Exception {
        upsertFusionCorpus();

        // each side contributes its top hit only
        assertThat(ids(await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(densePrefetch(1)).addPrefetch(sparsePrefetch(1)).setQuery(fusion(Fusion.RRF)).build()))))
                .containsExactly(1L, 3L);

        // the root filter (tag b) reaches both prefetches; the sparse one also leaves point 3 out
        List<ScoredPoint> filtered = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(densePrefetch(10))
                .addPrefetch(sparsePrefetch(10).toBuilder()
                        .setFilter(Filter.newBuilder().addMustNot(hasId(List.of(id(3)))).build()))
                .setFilter(Filter.newBuilder().addMust(matchKeyword("tag", "b")).build())
                .setQuery(fusion(Fusion.RRF)).build()));
        assertThat(ids(filtered)).containsExactly(2L, 3L);
        assertThat(filtered).extracting(ScoredPoint::getScore).containsExactly(1f, 1f / 3);

        // merged as Qdrant merges filters: the should lists become one (tag a, or id 3), which is not an AND
        List<ScoredPoint> merged = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(densePrefetch(10).toBuilder()
                        .setFilter(Filter.newBuilder().addShould(hasId(List.of(id(3)))).build()))
                .addPrefetch(sparsePrefetch(10))
                .setFilter(Filter.newBuilder().addShould(matchKeyword("tag", "a")).build())
                .setQuery(fusion(Fusion.RRF)).build()));
        assertThat(ids(merged)).containsExactly(1L, 3L);
        assertThat(merged).extracting(ScoredPoint::getScore).containsExactly(1f, 1f / 3);

        // offset and score_threshold apply to the fused list
        assertThat(ids(await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(densePrefetch(10)).addPrefetch(sparsePrefetch(10)).setQuery(fusion(Fusion.RRF))
                .setOffset(1).setLimit(1).build())))).containsExactly(3L);
        assertThat(ids(await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(densePrefetch(10)).addPrefetch(sparsePrefetch(10)).setQuery(fusion(Fusion.RRF))
                .setScoreThreshold(0.7f).build())))).containsExactly(1L, 3L);
    }

    @Test
    void aNearestQueryOverNestedPrefetchesRescoresOnlyTheirPoints() throws Exception {
        upsertFusionCorpus();

        PrefetchQuery fused = PrefetchQuery.newBuilder().addPrefetch(densePrefetch(1)).addPrefetch(sparsePrefetch(1))
                .setQuery(fusion(Fusion.RRF)).build();
        List<ScoredPoint> rescored = await(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(fused).setQuery(nearest(0f, 1f)).build()));

        // point 2 is nearer (0, 1) than point 1, but neither prefetch kept it
        assertThat(ids(rescored)).containsExactly(3L, 1L);
        assertThat(rescored.get(0).getScore()).isCloseTo(1f, within(1e-6f));
        assertThat(rescored.get(1).getScore()).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void queryBatchAnswersEachQueryOfTheBatchInOrder() throws Exception {
        upsertFusionCorpus();
        QueryPoints fused = QueryPoints.newBuilder().setCollectionName(DOCS).addPrefetch(densePrefetch(10))
                .addPrefetch(sparsePrefetch(10)).setQuery(fusion(Fusion.RRF)).build();
        QueryPoints dense = QueryPoints.newBuilder().setCollectionName(DOCS).setQuery(nearest(1f, 0f)).build();
        QueryPoints sparse = QueryPoints.newBuilder().setCollectionName(DOCS).setUsing(TEXT)
                .setQuery(nearest(List.of(1f), List.of(7))).build();

        List<BatchResult> results = await(client.queryBatchAsync(DOCS, List.of(fused, dense, sparse)));

        assertThat(results).hasSize(3);
        assertThat(ids(results.get(0).getResultList())).containsExactly(1L, 3L, 2L);
        assertThat(ids(results.get(1).getResultList())).containsExactly(1L, 2L, 3L);
        assertThat(ids(results.get(2).getResultList())).containsExactly(3L, 2L, 1L);
        assertThat(results.get(2).getResultList()).extracting(ScoredPoint::getScore)
                .isEqualTo(await(client.queryAsync(sparse)).stream().map(ScoredPoint::getScore).toList());
        assertThat(rpcFailure(client.queryBatchAsync("nope", List.of(dense))).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void refusesQueriesQdrantRefuses() throws Exception {
        upsertFusionCorpus();

        assertThat(rpcFailure(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .setQuery(fusion(Fusion.RRF)).build())).getStatus().getDescription())
                .isEqualTo("Wrong input: Validation failed: cannot apply Fusion without prefetches");
        assertThat(rpcFailure(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(densePrefetch(10)).build())).getStatus().getDescription())
                .isEqualTo("Bad request: A query is needed to merge the prefetches. Can't have prefetches without"
                        + " defining a query.");
        assertThat(rpcFailure(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS).setUsing(TEXT)
                .addPrefetch(densePrefetch(10)).setQuery(fusion(Fusion.RRF)).build())).getStatus().getDescription())
                .isEqualTo("Bad request: Fusion queries cannot be combined with the 'using' field.");
        assertThat(rpcFailure(client.queryAsync(QueryPoints.newBuilder().setCollectionName(DOCS)
                .addPrefetch(sparsePrefetch(10).toBuilder().setUsing("missing"))
                .setQuery(fusion(Fusion.RRF)).build())).getStatus().getDescription())
                .isEqualTo("Wrong input: Not existing vector name error: missing");
    }

    private void createHybridCollection(String name, Modifier modifier) throws Exception {
        SparseVectorParams.Builder sparse = SparseVectorParams.newBuilder();
        if (modifier != Modifier.None) {
            sparse.setModifier(modifier);
        }
        assertThat(await(client.createCollectionAsync(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(vectorParams(2, Distance.Cosine)))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder().putMap(TEXT, sparse.build()))
                .build())).getResult()).isTrue();
    }

    /** A point with a dense vector and a sparse one named {@link #TEXT}, tagged in its payload. */
    private static PointStruct hybridPoint(long id, String tag, Map<Integer, Float> sparse, float... dense) {
        List<Integer> indices = new ArrayList<>(sparse.keySet());
        List<Float> values = indices.stream().map(sparse::get).toList();
        return PointStruct.newBuilder().setId(id(id))
                .setVectors(namedVectors(Map.of("", vector(dense), TEXT, vector(values, indices))))
                .putPayload("tag", value(tag)).build();
    }

    private List<ScoredPoint> sparseQuery(String collection, Map<Integer, Float> query, Filter filter)
            throws Exception {
        List<Integer> indices = new ArrayList<>(query.keySet());
        QueryPoints.Builder request = QueryPoints.newBuilder().setCollectionName(collection).setUsing(TEXT)
                .setQuery(nearest(indices.stream().map(query::get).toList(), indices));
        if (filter != null) {
            request.setFilter(filter);
        }
        return await(client.queryAsync(request.build()));
    }

    private void createCollection(String name, int size, Distance distance) throws Exception {
        assertThat(await(client.createCollectionAsync(name, vectorParams(size, distance))).getResult()).isTrue();
    }

    private List<ScoredPoint> search(String collection, float[] vector, Filter filter) throws Exception {
        SearchPoints.Builder request = SearchPoints.newBuilder().setCollectionName(collection).setLimit(10)
                .setWithPayload(enable(true));
        for (float x : vector) {
            request.addVector(x);
        }
        if (filter != null) {
            request.setFilter(filter);
        }
        return await(client.searchAsync(request.build()));
    }

    private List<ScoredPoint> searchFiltered(Filter filter) throws Exception {
        return search(DOCS, new float[] {1, 0}, filter);
    }

    private static List<Long> ids(List<ScoredPoint> points) {
        return points.stream().map(p -> p.getId().getNum()).collect(Collectors.toList());
    }

    private static VectorParams vectorParams(int size, Distance distance) {
        return VectorParams.newBuilder().setSize(size).setDistance(distance).build();
    }

    private static AliasOperations createAlias(String alias, String collection) {
        return AliasOperations.newBuilder()
                .setCreateAlias(CreateAlias.newBuilder().setAliasName(alias).setCollectionName(collection)).build();
    }

    private static PointStruct point(long id, Map<String, Value> payload, float... vector) {
        float[] v = vector.length == 0 ? new float[] {1, 0} : vector;
        return PointStruct.newBuilder().setId(id(id)).setVectors(vectors(v)).putAllPayload(payload).build();
    }

    private static <T> T await(ListenableFuture<T> future) throws Exception {
        return future.get(10, SECONDS);
    }

    private static Status.Code outcome(ListenableFuture<?> future) throws Exception {
        try {
            future.get(10, SECONDS);
            return Status.Code.OK;
        } catch (ExecutionException e) {
            return Status.fromThrowable(e.getCause()).getCode();
        }
    }

    private static StatusRuntimeException rpcFailure(ListenableFuture<?> future) {
        Throwable thrown = catchThrowable(() -> future.get(10, SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(StatusRuntimeException.class);
        return (StatusRuntimeException) thrown.getCause();
    }
}
