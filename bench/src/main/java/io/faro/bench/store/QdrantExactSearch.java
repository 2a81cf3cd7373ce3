package io.faro.bench.store;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Points.PayloadIncludeSelector;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import java.util.List;
import java.util.Optional;

/**
 * Exact search in a Qdrant collection: Qdrant's own search with {@code exact=true}, which scans every
 * vector instead of the HNSW graph. Reads the payload fields FARO's Qdrant store writes.
 */
public final class QdrantExactSearch implements ExactSearch {

    /** Payload fields of FARO's points (see core's QdrantPayloads). */
    private static final String CHUNK_ID = "chunk_id";
    private static final String TEXT = "text";

    private final QdrantClient client;
    private final String collection;

    public QdrantExactSearch(String url, Optional<String> apiKey, String collectionOrAlias) {
        this.client = Qdrant.connect(url, apiKey);
        this.collection = collectionOrAlias;
    }

    @Override
    public List<Hit> search(float[] vector, int topK) {
        SearchPoints.Builder search = SearchPoints.newBuilder()
                .setCollectionName(collection)
                .setLimit(topK)
                .setParams(SearchParams.newBuilder().setExact(true))
                .setWithPayload(WithPayloadSelector.newBuilder().setInclude(
                        PayloadIncludeSelector.newBuilder().addFields(CHUNK_ID).addFields(TEXT)));
        for (float v : vector) {
            search.addVector(v);
        }
        List<ScoredPoint> points = Qdrant.await(client.searchAsync(search.build(), Qdrant.TIMEOUT), "exact search");
        return points.stream().map(point -> new Hit(point.getPayloadMap().get(CHUNK_ID).getStringValue(),
                point.getPayloadMap().get(TEXT).getStringValue(), point.getScore())).toList();
    }

    @Override
    public void close() {
        client.close();
    }
}
