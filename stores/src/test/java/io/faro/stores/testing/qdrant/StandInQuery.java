package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.Fusion;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.Rrf;
import io.qdrant.client.grpc.Points.VectorInput;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Qdrant's Query API over one collection snapshot, planned as Qdrant plans it ({@code lib/shard/src/query/
 * planned_query.rs}, {@code lib/collection/src/shards/local_shard/query.rs}): a request or prefetch without
 * prefetches is a leaf (nearest search on its {@code using} vector, or points by id without a query); one with
 * prefetches runs them first, each with its own limit and with its filter merged with the filters above it
 * ({@link PayloadFilter#merge}: a filter is propagated into the leaves, not applied again to what they return), and
 * then fuses their lists (reciprocal rank fusion, {@link RankFusion}) or rescores the points they found with its
 * nearest query. The root's offset skips
 * that many of its results (its limit grows by it), and limits default to 10. Unsupported parts of the API answer
 * INVALID_ARGUMENT saying so.
 */
final class StandInQuery {

    private static final long DEFAULT_LIMIT = 10;
    private static final int MAX_PREFETCH_DEPTH = 64;

    /** One level of a query: the request itself or one of its prefetches. */
    private record Node(List<Node> prefetch, Query query, String using, Filter filter, Float threshold, long limit) {

        static Node of(QueryPoints request, long limit) {
            if (request.hasLookupFrom()) {
                throw Rpc.unsupported("query with lookup_from");
            }
            return new Node(request.getPrefetchList().stream().map(Node::of).toList(),
                    request.hasQuery() ? request.getQuery() : null, request.getUsing(),
                    request.hasFilter() ? request.getFilter() : null,
                    request.hasScoreThreshold() ? request.getScoreThreshold() : null, limit);
        }

        static Node of(PrefetchQuery prefetch) {
            if (prefetch.hasLookupFrom()) {
                throw Rpc.unsupported("prefetch with lookup_from");
            }
            return new Node(prefetch.getPrefetchList().stream().map(Node::of).toList(),
                    prefetch.hasQuery() ? prefetch.getQuery() : null, prefetch.getUsing(),
                    prefetch.hasFilter() ? prefetch.getFilter() : null,
                    prefetch.hasScoreThreshold() ? prefetch.getScoreThreshold() : null,
                    prefetch.hasLimit() ? prefetch.getLimit() : DEFAULT_LIMIT);
        }

        boolean fuses() {
            return query != null && (query.getVariantCase() == Query.VariantCase.FUSION
                    || query.getVariantCase() == Query.VariantCase.RRF);
        }

        int depth() {
            return prefetch.stream().mapToInt(p -> p.depth() + 1).max().orElse(0);
        }
    }

    private final CollectionSnapshot collection;

    StandInQuery(CollectionSnapshot collection) {
        this.collection = collection;
    }

    /** The request's results, best first. */
    List<CollectionSnapshot.Hit> run(QueryPoints request) {
        long limit = request.hasLimit() ? request.getLimit() : DEFAULT_LIMIT;
        long offset = request.hasOffset() ? request.getOffset() : 0;
        Node root = Node.of(request, limit + offset);
        validate(root);
        if (limit == 0) {
            return List.of();
        }
        if (root.depth() > MAX_PREFETCH_DEPTH) {
            throw Rpc.validationFailed("prefetches depth " + root.depth() + " exceeds max depth " + MAX_PREFETCH_DEPTH);
        }
        return evaluate(root, null).stream().skip(offset).limit(limit).toList();
    }

    /** The checks Qdrant makes on a request and each of its prefetches before it plans it. */
    private static void validate(Node node) {
        if (!node.prefetch().isEmpty() && node.query() == null) {
            throw Rpc.badRequest("A query is needed to merge the prefetches. Can't have prefetches without defining"
                    + " a query.");
        }
        if (node.threshold() != null && node.query() == null) {
            throw Rpc.badRequest("A query is needed to use the score_threshold. Can't have score_threshold without"
                    + " defining a query.");
        }
        if (node.fuses() && !node.using().isEmpty()) {
            throw Rpc.badRequest("Fusion queries cannot be combined with the 'using' field.");
        }
        node.prefetch().forEach(StandInQuery::validate);
    }

    /** A node's results; {@code above} is the filter its parents propagate into it, null for none. */
    private List<CollectionSnapshot.Hit> evaluate(Node node, Filter above) {
        Filter filter = above == null ? node.filter()
                : node.filter() == null ? above : PayloadFilter.merge(above, node.filter());
        if (node.prefetch().isEmpty()) {
            return leaf(node, filter == null ? point -> true : PayloadFilter.compile(filter));
        }
        List<List<CollectionSnapshot.Hit>> sources = node.prefetch().stream().map(p -> evaluate(p, filter)).toList();
        Query query = node.query();
        return switch (query.getVariantCase()) {
            case FUSION, RRF -> fuse(query, sources).stream()
                    .takeWhile(hit -> node.threshold() == null || hit.score() >= node.threshold())
                    .limit(node.limit()).toList();
            case NEAREST -> {
                Set<PointKey> found = new HashSet<>();
                sources.forEach(list -> list.forEach(hit -> found.add(hit.point().key())));
                yield nearest(node.using(), query.getNearest(), point -> found.contains(point.key()), node.limit(),
                        node.threshold());
            }
            default -> throw Rpc.unsupported("query " + query.getVariantCase() + " over prefetches");
        };
    }

    private List<CollectionSnapshot.Hit> leaf(Node node, Predicate<StoredPoint> filter) {
        if (node.query() == null) {
            return collection.byId(filter, node.limit());
        }
        return switch (node.query().getVariantCase()) {
            case NEAREST -> nearest(node.using(), node.query().getNearest(), filter, node.limit(), node.threshold());
            case FUSION, RRF -> throw Rpc.validationFailed("cannot apply Fusion without prefetches");
            default -> throw Rpc.unsupported("query " + node.query().getVariantCase());
        };
    }

    private List<CollectionSnapshot.Hit> nearest(String using, VectorInput input, Predicate<StoredPoint> filter,
                                                 long limit, Float threshold) {
        return switch (input.getVariantCase()) {
            case DENSE -> collection.nearestDense(using, DenseVectors.of(input.getDense()), filter, limit, threshold);
            case SPARSE -> collection.nearestSparse(using, SparseVec.of(input.getSparse()), filter, limit, threshold);
            default -> throw Rpc.unsupported("nearest input " + input.getVariantCase());
        };
    }

    private static List<CollectionSnapshot.Hit> fuse(Query query, List<List<CollectionSnapshot.Hit>> sources) {
        if (query.getVariantCase() == Query.VariantCase.FUSION) {
            if (query.getFusion() != Fusion.RRF) {
                throw Rpc.unsupported("fusion " + query.getFusion());
            }
            return RankFusion.rrf(sources, RankFusion.DEFAULT_K, List.of());
        }
        Rrf rrf = query.getRrf();
        return RankFusion.rrf(sources, rrf.hasK() ? rrf.getK() : RankFusion.DEFAULT_K, rrf.getWeightsList());
    }
}
