package io.faro.stores.qdrant;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorFactory.vector;
import static io.qdrant.client.VectorsFactory.namedVectors;
import static io.qdrant.client.VectorsFactory.vectors;

import io.faro.core.config.FaroConfig;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.ChunkVersion;
import io.faro.core.store.ModelMismatchException;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoreQuery;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PayloadIncludeSelector;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The fast path: Qdrant over gRPC. Points are keyed by a UUID derived from the chunk id, so a replay
 * overwrites instead of duplicating; every write waits until Qdrant has applied it ({@code wait=true}).
 * A point carries the chunk's dense vector (unnamed) and its keyword sparse vector ({@link QdrantKeywords}),
 * written together; searches go through {@link QdrantSearch}. The collection is reached through an alias, so a
 * rebuild can swap it atomically.
 */
public final class QdrantStore implements VectorStore {

    private static final int SCROLL_PAGE = 1_000;

    private final QdrantClient client;
    private final String alias;
    private final Duration timeout;
    private final boolean ownsClient;
    private final QdrantCollections collections;
    private final QdrantKeywords keywords;
    private final QdrantSearch search;
    /** The model the store was opened for: an empty collection's name says its model only up to punctuation. */
    private volatile Optional<String> openedFor = Optional.empty();

    private QdrantStore(QdrantClient client, String alias, Duration timeout, boolean ownsClient,
                        QdrantKeywords keywords) {
        this.client = client;
        this.alias = alias;
        this.timeout = timeout;
        this.collections = new QdrantCollections(client, timeout);
        this.ownsClient = ownsClient;
        this.keywords = keywords;
        this.search = new QdrantSearch(client, alias, timeout, keywords);
    }

    /**
     * A store on a collection (or alias) that exists, sharing a client it does not close, analysing keywords in
     * this language.
     */
    static QdrantStore onExisting(QdrantClient client, String collectionOrAlias, Duration timeout, String language) {
        return new QdrantStore(client, collectionOrAlias, timeout, false, new QdrantKeywords(language));
    }

    static QdrantClient connect(String url, Optional<String> apiKey, Duration timeout) {
        QdrantAddress address = QdrantAddress.parse(url);
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(address.host(), address.port(), address.tls())
                .withTimeout(timeout);
        apiKey.ifPresent(grpc::withApiKey);
        return new QdrantClient(grpc.build());
    }

    /**
     * Connects and makes sure the alias points at a collection for this model and dimension, creating
     * both when missing. Fails, saying why, when the existing collection was built for another model or
     * dimension.
     */
    public static QdrantStore open(String url, Optional<String> apiKey, String alias, String model, int dimension,
                                   Duration timeout) {
        return open(url, apiKey, alias, model, dimension, timeout, FaroConfig.DEFAULT_KEYWORD_LANGUAGE);
    }

    /**
     * As {@link #open(String, Optional, String, String, int, Duration)}, analysing keywords in {@code language}
     * ({@code FARO_KEYWORD_LANGUAGE}). A collection made before keyword search, or whose keywords another language's
     * analyser made, opens with a warning: it answers dense search, and refuses keyword and hybrid search saying
     * to run {@code faro rebuild qdrant}.
     */
    public static QdrantStore open(String url, Optional<String> apiKey, String alias, String model, int dimension,
                                   Duration timeout, String language) {
        QdrantKeywords keywords = new QdrantKeywords(language); // an unknown language fails before connecting
        QdrantClient client = connect(url, apiKey, timeout);
        QdrantStore store = new QdrantStore(client, alias, timeout, true, keywords);
        store.openedFor = Optional.of(model);
        try {
            store.collections.ensure(alias, model, dimension, language);
        } catch (StoreException e) {
            store.close();
            if (e.getMessage().contains("UNAVAILABLE") || e.getMessage().contains("timed out")) {
                throw new StoreException("cannot reach Qdrant at " + url + " (" + e.getMessage() + "). Is it running,"
                        + " and is FARO_QDRANT_URL its gRPC port (6334 by default, not the REST port 6333)?", e);
            }
            throw e;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    @Override
    public String name() {
        return "qdrant";
    }

    @Override
    public void upsert(List<EmbeddedChunk> batch) {
        if (batch.isEmpty()) {
            return;
        }
        // Written to the collection the alias points at now, once its model is checked: if a switch moves
        // the alias meanwhile, this batch lands in the old collection, and the switch's catch-up, which
        // reads the topic to its end after the switch, writes it to the new one.
        String collection = collections.resolve(alias);
        Set<String> written = new HashSet<>();
        batch.forEach(embedded -> written.add(embedded.model()));
        if (!written.stream().allMatch(model -> collections.holds(collection, model))) {
            throw new ModelMismatchException(name(), collections.modelOf(collection), String.join(", ", written));
        }
        Map<String, EmbeddedChunk> latest = new LinkedHashMap<>();
        batch.forEach(embedded -> latest.put(embedded.chunkId(), embedded));
        Map<String, Long> stored = storedVersions(collection, latest.keySet());
        boolean withKeywords = collections.keywordReady(collection);
        Map<String, PointStruct> points = new LinkedHashMap<>();
        long indexedAt = System.currentTimeMillis();
        for (EmbeddedChunk embedded : latest.values()) {
            if (stored.getOrDefault(embedded.chunkId(), Long.MIN_VALUE) > embedded.chunk().docVersion()) {
                continue; // an older version of the document never overwrites a newer one
            }
            points.put(embedded.chunkId(), point(embedded, indexedAt, withKeywords));
        }
        if (points.isEmpty()) {
            return;
        }
        await(client.upsertAsync(UpsertPoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .addAllPoints(points.values())
                .build(), timeout), "upsert " + points.size() + " points");
    }

    /**
     * A chunk's point: its dense vector under the default name ({@code ""}) and, where the collection has the
     * keyword vector, its sparse vector with the analyser's language in the payload; else the dense vector alone,
     * as before keyword search, so a collection made before it keeps taking writes until it is rebuilt.
     */
    private PointStruct point(EmbeddedChunk embedded, long indexedAt, boolean withKeywords) {
        PointStruct.Builder point = PointStruct.newBuilder()
                .setId(id(QdrantPayloads.pointId(embedded.chunkId())))
                .putAllPayload(QdrantPayloads.payload(embedded, indexedAt));
        if (!withKeywords) {
            return point.setVectors(vectors(embedded.vector())).build();
        }
        Vectors both = namedVectors(Map.of("", vector(embedded.vector()),
                QdrantKeywords.VECTOR, keywords.document(embedded.chunk())));
        return point.setVectors(both).putPayload(QdrantKeywords.LANGUAGE, value(keywords.language())).build();
    }

    @Override
    public String liveModel() {
        String live = collections.modelOf(collections.resolve(alias));
        // a hosted model's name (openai:text-embedding-3-small) reads back from an empty collection's name mangled
        return openedFor.filter(model -> QdrantCollections.modelPart(model).equals(live)).orElse(live);
    }

    /**
     * The document version each of these chunks has in the collection. Reading before writing is safe
     * here: a chunk id's records all pass through one sink task, the only writer of that point.
     */
    private Map<String, Long> storedVersions(String collection, Collection<String> chunkIds) {
        List<PointId> ids = chunkIds.stream().map(chunkId -> id(QdrantPayloads.pointId(chunkId))).toList();
        Map<String, Long> versions = new java.util.HashMap<>();
        await(client.retrieveAsync(collection, ids, WithPayloadSelector.newBuilder().setInclude(PayloadIncludeSelector
                                .newBuilder().addFields(QdrantPayloads.CHUNK_ID).addFields(QdrantPayloads.DOC_VERSION))
                        .build(), io.qdrant.client.grpc.Points.WithVectorsSelector.newBuilder().setEnable(false).build(),
                        null, timeout), "read versions of " + ids.size() + " points")
                .forEach(point -> {
                    var payload = point.getPayloadMap();
                    var version = payload.get(QdrantPayloads.DOC_VERSION);
                    if (version != null) {
                        versions.put(payload.get(QdrantPayloads.CHUNK_ID).getStringValue(), version.getIntegerValue());
                    }
                });
        return versions;
    }

    @Override
    public void delete(Collection<String> chunkIds) {
        if (chunkIds.isEmpty()) {
            return;
        }
        List<PointId> ids = chunkIds.stream().map(chunkId -> id(QdrantPayloads.pointId(chunkId))).toList();
        delete(PointsSelector.newBuilder().setPoints(PointsIdsList.newBuilder().addAllIds(ids)).build(),
                "delete " + ids.size() + " points");
    }

    @Override
    public void deleteDocument(String docId) {
        delete(PointsSelector.newBuilder().setFilter(Filter.newBuilder()
                .addMust(matchKeyword(QdrantPayloads.DOC_ID, docId))).build(), "delete document " + docId);
    }

    private void delete(PointsSelector selector, String what) {
        await(client.deleteAsync(DeletePoints.newBuilder()
                .setCollectionName(alias)
                .setWait(true)
                .setPoints(selector)
                .build(), timeout), what);
    }

    /** One Query API call on the alias: dense, keyword or hybrid ({@link QdrantSearch}). */
    @Override
    public List<SearchHit> search(StoreQuery query) {
        return search.search(query);
    }

    @Override
    public long count() {
        return await(client.countAsync(alias, null, true, timeout), "count");
    }

    /** Scroll pages with only the chunk id and version in the payload and no vectors. */
    @Override
    public void visitVersions(int pageSize, Consumer<List<ChunkVersion>> page) {
        Optional<PointId> offset = Optional.empty();
        do {
            ScrollPoints.Builder scroll = ScrollPoints.newBuilder()
                    .setCollectionName(alias)
                    .setLimit(pageSize)
                    .setWithPayload(WithPayloadSelector.newBuilder().setInclude(PayloadIncludeSelector.newBuilder()
                            .addFields(QdrantPayloads.CHUNK_ID).addFields(QdrantPayloads.DOC_VERSION)));
            offset.ifPresent(scroll::setOffset);
            ScrollResponse response = await(client.scrollAsync(scroll.build(), timeout), "list points");
            List<ChunkVersion> versions = response.getResultList().stream().map(point -> new ChunkVersion(
                    point.getPayloadMap().get(QdrantPayloads.CHUNK_ID).getStringValue(),
                    point.getPayloadMap().get(QdrantPayloads.DOC_VERSION).getIntegerValue())).toList();
            if (!versions.isEmpty()) {
                page.accept(versions);
            }
            offset = response.hasNextPageOffset() ? Optional.of(response.getNextPageOffset()) : Optional.empty();
        } while (offset.isPresent());
    }

    @Override
    public StoredDocument describe(String docId) {
        Set<String> ids = new HashSet<>();
        long version = -1;
        long oldest = Long.MAX_VALUE;
        long indexedAt = -1;
        List<String> acl = List.of();
        Optional<PointId> offset = Optional.empty();
        do {
            ScrollPoints.Builder scroll = ScrollPoints.newBuilder()
                    .setCollectionName(alias)
                    .setLimit(SCROLL_PAGE)
                    .setFilter(Filter.newBuilder().addMust(matchKeyword(QdrantPayloads.DOC_ID, docId)))
                    .setWithPayload(WithPayloadSelector.newBuilder().setInclude(PayloadIncludeSelector.newBuilder()
                            .addFields(QdrantPayloads.CHUNK_ID).addFields(QdrantPayloads.DOC_VERSION)
                            .addFields(QdrantPayloads.INDEXED_AT).addFields(QdrantPayloads.ACL)));
            offset.ifPresent(scroll::setOffset);
            ScrollResponse page = await(client.scrollAsync(scroll.build(), timeout), "describe " + docId);
            for (var point : page.getResultList()) {
                var payload = point.getPayloadMap();
                ids.add(payload.get(QdrantPayloads.CHUNK_ID).getStringValue());
                long pointVersion = payload.get(QdrantPayloads.DOC_VERSION).getIntegerValue();
                long pointIndexedAt = payload.get(QdrantPayloads.INDEXED_AT).getIntegerValue();
                oldest = Math.min(oldest, pointVersion);
                if (pointVersion > version) {
                    version = pointVersion;
                    indexedAt = pointIndexedAt;
                    acl = QdrantPayloads.acl(payload);
                } else if (pointVersion == version) {
                    indexedAt = Math.max(indexedAt, pointIndexedAt);
                }
            }
            offset = page.hasNextPageOffset() ? Optional.of(page.getNextPageOffset()) : Optional.empty();
        } while (offset.isPresent());
        if (ids.isEmpty()) {
            return StoredDocument.ABSENT;
        }
        return new StoredDocument(ids, version, oldest, Optional.of(Instant.ofEpochMilli(indexedAt)), acl);
    }

    @Override
    public boolean isReachable() {
        try {
            client.healthCheckAsync(Duration.ofSeconds(2)).get(2, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        keywords.close();
        if (ownsClient) {
            client.close();
        }
    }

    private <T> T await(Future<T> future, String what) {
        return QdrantCalls.await(future, timeout, "qdrant: " + what + " on " + alias);
    }
}
