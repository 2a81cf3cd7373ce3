package io.faro.stores.qdrant;


import io.faro.core.embed.EmbeddingModelName;
import io.faro.core.store.StoreException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure FARO's alias points at a cosine collection of the model's dimension, creating the
 * collection (named after the model and the time) and the alias when missing, with a keyword index on
 * {@code doc_id} and the sparse vector keyword search needs ({@link QdrantKeywords#VECTOR}, IDF modifier on).
 * Refuses a collection built for another model or dimension; one made before keyword search, or whose keywords
 * another analyser made, still answers dense search, so it is only warned about.
 */
final class QdrantCollections {

    private static final Logger LOG = LoggerFactory.getLogger(QdrantCollections.class);

    private final QdrantClient client;
    private final Duration timeout;
    /** Whether a collection has the keyword vector: fixed when it is created, and its name is never reused. */
    private final Map<String, Boolean> keywordReady = new ConcurrentHashMap<>();

    QdrantCollections(QdrantClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    void ensure(String alias, String model, int dimension, String language) {
        Optional<String> target = call(client.listAliasesAsync(timeout), "list aliases").stream()
                .filter(description -> description.getAliasName().equals(alias))
                .map(AliasDescription::getCollectionName)
                .findFirst();
        if (target.isEmpty()) {
            String collection = create(alias, model, dimension);
            call(client.createAliasAsync(alias, collection, timeout), "create alias " + alias);
            LOG.info("created Qdrant collection {} ({} dimensions, cosine) behind alias {}", collection, dimension, alias);
            return;
        }
        check(alias, target.get(), model, dimension, language);
        // a collection made before tenants gets the indexes its filters need (creating an index again is a no-op)
        indexAccessFields(target.get());
    }

    /** Keyword indexes on the payload fields every scoped search filters on. */
    private void indexAccessFields(String collection) {
        for (String field : List.of(QdrantPayloads.TENANT, QdrantPayloads.ACL)) {
            call(client.createPayloadIndexAsync(collection, field, PayloadSchemaType.Keyword, null, true, null,
                    timeout), "index " + field + " of " + collection);
        }
    }

    /**
     * Creates a collection named after the alias, the model and the time: an unnamed cosine vector (so dense search
     * reads as before), the sparse keyword vector with Qdrant's IDF modifier, and the doc_id index.
     */
    String create(String alias, String model, int dimension) {
        String collection = newCollectionName(alias, model);
        call(client.createCollectionAsync(CreateCollection.newBuilder()
                .setCollectionName(collection)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder()
                        .setSize(dimension).setDistance(Distance.Cosine)))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder().putMap(QdrantKeywords.VECTOR,
                        SparseVectorParams.newBuilder().setModifier(Modifier.Idf).build()))
                .build(), timeout), "create " + collection);
        keywordReady.put(collection, true);
        call(client.createPayloadIndexAsync(collection, QdrantPayloads.DOC_ID, PayloadSchemaType.Keyword, null,
                true, null, timeout), "index doc_id of " + collection);
        indexAccessFields(collection);
        return collection;
    }

    private void check(String alias, String collection, String model, int dimension, String language) {
        CollectionInfo info = call(client.getCollectionInfoAsync(collection, timeout), "describe " + collection);
        keywordReady.put(collection, hasKeywordVector(info));
        VectorParams params = info.getConfig().getParams().getVectorsConfig().getParams();
        if (params.getSize() != dimension || params.getDistance() != Distance.Cosine) {
            throw new StoreException("Qdrant collection " + collection + " (alias " + alias + ") holds "
                    + params.getSize() + "-dimensional " + params.getDistance() + " vectors, but FARO's model " + model
                    + " makes " + dimension + "-dimensional cosine vectors. Use another FARO_QDRANT_COLLECTION, or"
                    + " the model the collection was built with.");
        }
        var sample = call(client.scrollAsync(ScrollPoints.newBuilder()
                .setCollectionName(collection)
                .setLimit(1)
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true))
                .build(), timeout), "sample " + collection).getResultList();
        if (!sample.isEmpty()) {
            Value stored = sample.getFirst().getPayloadMap().get(QdrantPayloads.MODEL);
            String storedModel = stored == null ? "(unknown)" : stored.getStringValue();
            if (!model.equals(storedModel)) {
                throw new StoreException("Qdrant collection " + collection + " (alias " + alias + ") holds vectors of"
                        + " model " + storedModel + ", but FARO is configured for " + model + ". Set"
                        + " FARO_EMBEDDING_MODEL=" + storedModel + " (faro reembed --model NAME moves the stores to"
                        + " another model), or use another FARO_QDRANT_COLLECTION.");
            }
        }
        warnIfKeywordsUnusable(alias, collection, sample.isEmpty() ? null
                : sample.getFirst().getPayloadMap().get(QdrantKeywords.LANGUAGE), language);
    }

    private void warnIfKeywordsUnusable(String alias, String collection, Value storedLanguage, String language) {
        if (!keywordReady.get(collection)) {
            LOG.warn("Qdrant collection {} (alias {}) was made before keyword search: it answers dense search only and"
                    + " refuses keyword and hybrid search until `faro rebuild qdrant` rebuilds it", collection, alias);
        } else if (storedLanguage != null && !storedLanguage.getStringValue().equals(language)) {
            LOG.warn("Qdrant collection {} (alias {}) holds keywords analysed for '{}', but FARO_KEYWORD_LANGUAGE is"
                    + " '{}': keyword and hybrid search are refused until the two agree (`faro rebuild qdrant`"
                    + " analyses the chunks again)", collection, alias, storedLanguage.getStringValue(), language);
        }
    }

    /** Whether writes to this collection carry the keyword vector: a collection made before it has none. */
    boolean keywordReady(String collection) {
        return keywordReady.computeIfAbsent(collection, name -> hasKeywordVector(
                call(client.getCollectionInfoAsync(name, timeout), "describe " + name)));
    }

    private static boolean hasKeywordVector(CollectionInfo info) {
        SparseVectorParams params = info.getConfig().getParams().getSparseVectorsConfig().getMapMap()
                .get(QdrantKeywords.VECTOR);
        return params != null && params.getModifier() == Modifier.Idf;
    }

    static String newCollectionName(String alias, String model) {
        return alias + "__" + modelPart(model) + "__" + Instant.now().toEpochMilli();
    }

    static String modelPart(String model) {
        return model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    /** The collection an alias points at; a name that is no alias is taken to be a collection. */
    String resolve(String aliasOrCollection) {
        return call(client.listAliasesAsync(timeout), "list aliases on " + aliasOrCollection).stream()
                .filter(description -> description.getAliasName().equals(aliasOrCollection))
                .map(AliasDescription::getCollectionName)
                .findFirst()
                .orElse(aliasOrCollection);
    }

    /** Whether vectors of this model belong in the collection: its name says its model ({@link #newCollectionName}). */
    boolean holds(String collection, String model) {
        return modelPartOf(collection).map(modelPart(model)::equals)
                .orElseGet(() -> sampleModel(collection).map(model::equals).orElse(true));
    }

    /**
     * The model of a collection, read from its name ({@code <alias>__<model>__<millis>}) without a round
     * trip, else from a stored point's payload.
     */
    String modelOf(String collection) {
        Optional<String> part = modelPartOf(collection);
        Optional<String> known = part.flatMap(p -> Arrays.stream(EmbeddingModelName.values())
                .map(EmbeddingModelName::id).filter(id -> modelPart(id).equals(p)).findFirst());
        return known.or(() -> sampleModel(collection)).or(() -> part).orElseThrow(() -> new StoreException(
                "cannot tell which model Qdrant collection " + collection + " holds: its name does not say, and it"
                        + " has no point with a model in its payload"));
    }

    private static Optional<String> modelPartOf(String collection) {
        int last = collection.lastIndexOf("__");
        int before = last > 0 ? collection.lastIndexOf("__", last - 1) : -1;
        return before < 0 ? Optional.empty() : Optional.of(collection.substring(before + 2, last));
    }

    private Optional<String> sampleModel(String collection) {
        var sample = call(client.scrollAsync(ScrollPoints.newBuilder()
                .setCollectionName(collection)
                .setLimit(1)
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true))
                .build(), timeout), "sample " + collection).getResultList();
        Value stored = sample.isEmpty() ? null : sample.getFirst().getPayloadMap().get(QdrantPayloads.MODEL);
        return Optional.ofNullable(stored).map(Value::getStringValue);
    }

    <T> T call(com.google.common.util.concurrent.ListenableFuture<T> future, String what) {
        return QdrantCalls.await(future, timeout, "qdrant: " + what);
    }

}
