package io.faro.stores.qdrant;

import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.QueryFactory.rrf;

import io.faro.core.model.SearchHit;
import io.faro.core.store.Fusion;
import io.faro.core.store.SearchMode;
import io.faro.core.store.SearchModeUnavailableException;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoreQuery;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.Rrf;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Searches a Qdrant collection through its Query API, each mode in one call: dense is the nearest unnamed vector,
 * keyword the nearest {@link QdrantKeywords#VECTOR} (BM25 through the IDF modifier), hybrid a query that prefetches
 * both, each limited to {@link Fusion#candidates} hits and filtered, and fuses them with Qdrant's weighted
 * reciprocal rank fusion as {@link Fusion} defines it. An explained hybrid search is one {@code QueryBatch} of the
 * fused query and its two sides, so each hit's ranks come from the very lists that were fused.
 */
final class QdrantSearch {

    private final QdrantClient client;
    private final String alias;
    private final Duration timeout;
    private final QdrantKeywords keywords;

    QdrantSearch(QdrantClient client, String alias, Duration timeout, QdrantKeywords keywords) {
        this.client = client;
        this.alias = alias;
        this.timeout = timeout;
        this.keywords = keywords;
    }

    List<SearchHit> search(StoreQuery query) {
        Optional<Filter> filter = QdrantFilters.of(query.filter());
        int candidates = Fusion.candidates(query.topK());
        QueryPoints request = withPayload(switch (query.mode()) {
            case DENSE -> dense(query.vector(), filter, query.topK());
            case KEYWORD -> keyword(query.text(), filter, query.topK());
            case HYBRID -> QueryPoints.newBuilder().setCollectionName(alias)
                    .addPrefetch(prefetch(dense(query.vector(), filter, candidates)))
                    .addPrefetch(prefetch(keyword(query.text(), filter, candidates)))
                    .setQuery(rrf(Rrf.newBuilder().setK(Fusion.RRF_K).addWeights((float) Fusion.DENSE_WEIGHT)
                            .addWeights((float) Fusion.KEYWORD_WEIGHT).build()))
                    .setLimit(query.topK());
        });
        if (query.mode() == SearchMode.HYBRID && query.explain()) {
            List<BatchResult> lists = await(client.queryBatchAsync(alias, List.of(request,
                    dense(query.vector(), filter, candidates).build(),
                    keyword(query.text(), filter, candidates).build()), null, timeout), query.mode());
            return explained(checkLanguage(lists.get(0).getResultList(), query.mode()), lists.get(1).getResultList(),
                    lists.get(2).getResultList());
        }
        List<ScoredPoint> points = await(client.queryAsync(request, timeout), query.mode());
        if (query.mode().usesKeywords()) {
            checkLanguage(points, query.mode());
        }
        List<SearchHit> hits = points.stream().map(QdrantPayloads::toHit).toList();
        return query.explain() ? query.mode().explainInOrder(hits) : hits;
    }

    private QueryPoints.Builder dense(float[] vector, Optional<Filter> filter, int limit) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float v : vector) {
            dense.addData(v);
        }
        QueryPoints.Builder query = QueryPoints.newBuilder().setCollectionName(alias)
                .setQuery(nearest(VectorInput.newBuilder().setDense(dense).build())).setLimit(limit);
        filter.ifPresent(query::setFilter);
        return query;
    }

    private QueryPoints.Builder keyword(String text, Optional<Filter> filter, int limit) {
        QueryPoints.Builder query = QueryPoints.newBuilder().setCollectionName(alias).setUsing(QdrantKeywords.VECTOR)
                .setQuery(nearest(keywords.question(text))).setLimit(limit);
        filter.ifPresent(query::setFilter);
        return query;
    }

    private static PrefetchQuery prefetch(QueryPoints.Builder side) {
        PrefetchQuery.Builder prefetch = PrefetchQuery.newBuilder().setQuery(side.getQuery()).setLimit(side.getLimit());
        if (side.hasUsing()) {
            prefetch.setUsing(side.getUsing());
        }
        if (side.hasFilter()) {
            prefetch.setFilter(side.getFilter());
        }
        return prefetch.build();
    }

    /** The hits' payloads come with them: a search returns the chunks, not only their ids. */
    private static QueryPoints withPayload(QueryPoints.Builder query) {
        return query.setWithPayload(WithPayloadSelector.newBuilder().setEnable(true)).build();
    }

    /** The hits, each with where it stood in the dense and the keyword list (ranks from 1). */
    private static List<SearchHit> explained(List<ScoredPoint> hits, List<ScoredPoint> dense,
                                             List<ScoredPoint> keyword) {
        Map<PointId, Integer> denseRanks = ranks(dense);
        Map<PointId, Integer> keywordRanks = ranks(keyword);
        return hits.stream().map(point -> {
            Integer denseRank = denseRanks.get(point.getId());
            Integer keywordRank = keywordRanks.get(point.getId());
            return QdrantPayloads.toHit(point).withRanks(new SearchHit.Ranks(denseRank,
                    denseRank == null ? null : (double) dense.get(denseRank - 1).getScore(), keywordRank,
                    keywordRank == null ? null : (double) keyword.get(keywordRank - 1).getScore()));
        }).toList();
    }

    private static Map<PointId, Integer> ranks(List<ScoredPoint> list) {
        Map<PointId, Integer> ranks = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            ranks.putIfAbsent(list.get(i).getId(), i + 1);
        }
        return ranks;
    }

    /** Refuses hits whose sparse vectors another analyser made: their terms would not match the question's. */
    private List<ScoredPoint> checkLanguage(List<ScoredPoint> points, SearchMode mode) {
        for (ScoredPoint point : points) {
            Value written = point.getPayloadMap().get(QdrantKeywords.LANGUAGE);
            if (written != null && !written.getStringValue().equals(keywords.language())) {
                throw new SearchModeUnavailableException("qdrant", mode, "collection " + alias
                        + " holds keywords analysed for '"
                        + written.getStringValue() + "', but FARO_KEYWORD_LANGUAGE is '" + keywords.language()
                        + "'; keyword and hybrid search need both to agree (dense search still works). Set"
                        + " FARO_KEYWORD_LANGUAGE=" + written.getStringValue() + ", or run `faro rebuild qdrant` to"
                        + " analyse the chunks again for " + keywords.language() + ".");
            }
        }
        return points;
    }

    private <T> T await(Future<T> future, SearchMode mode) {
        try {
            return QdrantCalls.await(future, timeout, "qdrant: " + mode.wireName() + " search on " + alias);
        } catch (StoreException e) {
            if (mode.usesKeywords() && lacksKeywordVector(e.getCause())) {
                throw new SearchModeUnavailableException("qdrant", mode, "collection " + alias + " was made before"
                        + " keyword search and has no sparse vector '" + QdrantKeywords.VECTOR + "', so it answers dense"
                        + " search only. Run `faro rebuild qdrant` to rebuild it with keywords (it keeps serving dense"
                        + " search meanwhile).");
            }
            throw e;
        }
    }

    /** Qdrant's answer to a query naming a vector the collection lacks ("Not existing vector name error: NAME"). */
    private static boolean lacksKeywordVector(Throwable failure) {
        Status status = failure == null ? null : Status.fromThrowable(failure);
        String description = status == null || status.getDescription() == null ? "" : status.getDescription();
        return status != null && status.getCode() == Status.Code.INVALID_ARGUMENT
                && description.contains(QdrantKeywords.VECTOR)
                && (description.contains("Not existing vector name") || description.contains("is not configured"));
    }
}
