package io.faro.stores.testing.qdrant;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.QueryBatchPoints;
import io.qdrant.client.grpc.Points.QueryBatchResponse;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.QueryResponse;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.UpdateMode;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.List;

/**
 * Qdrant's {@code qdrant.Points} gRPC service over the stand-in's collections: upsert, delete, search (dense), query
 * and query batch (the Query API: nearest dense or sparse vector, prefetches, reciprocal rank fusion, plain
 * listing; {@link StandInQuery}), get, count, scroll and createFieldIndex, resolving aliases and answering NOT_FOUND
 * for missing collections. Other RPCs of the service answer UNIMPLEMENTED naming the method.
 */
final class StandInPoints extends PointsGrpc.PointsImplBase {

    private static final int DEFAULT_QUERY_LIMIT = 10;
    private static final int DEFAULT_SCROLL_LIMIT = 10;

    private final StandInCatalog catalog;

    StandInPoints(StandInCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> observer) {
        Rpc.reply(observer, () -> {
            StandInCollection collection = catalog.resolve(request.getCollectionName());
            if (request.hasUpdateFilter()) {
                throw Rpc.unsupported("upsert with update_filter");
            }
            UpdateMode mode = request.hasUpdateMode() ? request.getUpdateMode() : UpdateMode.Upsert;
            return updated(collection.upsert(request.getPointsList(), mode), request.getWait());
        });
    }

    @Override
    public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
        Rpc.reply(observer, () -> {
            StandInCollection collection = catalog.resolve(request.getCollectionName());
            PointsSelector selector = request.getPoints();
            long operation = switch (selector.getPointsSelectorOneOfCase()) {
                case POINTS -> {
                    List<PointKey> keys = new ArrayList<>();
                    for (PointId id : selector.getPoints().getIdsList()) {
                        keys.add(PointKey.of(id));
                    }
                    yield collection.delete(keys);
                }
                case FILTER -> collection.delete(PayloadFilter.compile(selector.getFilter()));
                case POINTSSELECTORONEOF_NOT_SET -> throw Rpc.wrongInput("points selector is not set");
            };
            return updated(operation, request.getWait());
        });
    }

    @Override
    public void createFieldIndex(CreateFieldIndexCollection request,
            StreamObserver<PointsOperationResponse> observer) {
        Rpc.reply(observer, () -> {
            StandInCollection collection = catalog.resolve(request.getCollectionName());
            if (request.getFieldName().isEmpty()) {
                throw Rpc.wrongInput("field name must not be empty");
            }
            return updated(collection.createFieldIndex(request.getFieldName(), request.getFieldType()),
                    request.getWait());
        });
    }

    @Override
    public void get(GetPoints request, StreamObserver<GetResponse> observer) {
        Rpc.reply(observer, () -> {
            StandInCollection collection = catalog.resolve(request.getCollectionName());
            PointOutput output = new PointOutput(true, request.hasWithPayload(), request.getWithPayload(),
                    request.hasWithVectors(), request.getWithVectors());
            GetResponse.Builder response = GetResponse.newBuilder();
            for (PointId id : request.getIdsList()) {
                collection.point(PointKey.of(id)).ifPresent(point -> response.addResult(output.retrieved(point)));
            }
            return response.build();
        });
    }

    @Override
    public void search(SearchPoints request, StreamObserver<SearchResponse> observer) {
        Rpc.reply(observer, () -> {
            StandInCollection collection = catalog.resolve(request.getCollectionName());
            checkVectorName(request.hasVectorName(), request.getVectorName());
            if (request.hasSparseIndices()) {
                throw Rpc.unsupported("sparse search");
            }
            if (request.getLimit() < 1) {
                throw Rpc.wrongInput("limit: value " + request.getLimit() + " invalid, must be 1 or larger");
            }
            PointOutput output = new PointOutput(false, request.hasWithPayload(), request.getWithPayload(),
                    request.hasWithVectors(), request.getWithVectors());
            SearchResponse.Builder response = SearchResponse.newBuilder();
            collection.search(DenseVectors.of(request.getVectorList()),
                            PayloadFilter.compile(request.hasFilter(), request.getFilter()), request.getLimit(),
                            request.getOffset(), request.hasScoreThreshold() ? request.getScoreThreshold() : null)
                    .forEach(hit -> response.addResult(output.scored(hit.point(), hit.score())));
            return response.build();
        });
    }

    @Override
    public void query(QueryPoints request, StreamObserver<QueryResponse> observer) {
        Rpc.reply(observer, () -> {
            StandInQuery query = new StandInQuery(catalog.resolve(request.getCollectionName()).snapshot());
            return QueryResponse.newBuilder().addAllResult(scored(query, request)).build();
        });
    }

    /** Every query of the batch on the batch's collection (their own collection names are not read, as in Qdrant). */
    @Override
    public void queryBatch(QueryBatchPoints request, StreamObserver<QueryBatchResponse> observer) {
        Rpc.reply(observer, () -> {
            StandInQuery query = new StandInQuery(catalog.resolve(request.getCollectionName()).snapshot());
            QueryBatchResponse.Builder response = QueryBatchResponse.newBuilder();
            for (QueryPoints points : request.getQueryPointsList()) {
                response.addResult(BatchResult.newBuilder().addAllResult(scored(query, points)));
            }
            return response.build();
        });
    }

    private static List<ScoredPoint> scored(StandInQuery query, QueryPoints request) {
        PointOutput output = new PointOutput(false, request.hasWithPayload(), request.getWithPayload(),
                request.hasWithVectors(), request.getWithVectors());
        return query.run(request).stream().map(hit -> output.scored(hit.point(), hit.score())).toList();
    }

    @Override
    public void count(CountPoints request, StreamObserver<CountResponse> observer) {
        Rpc.reply(observer, () -> {
            StandInCollection collection = catalog.resolve(request.getCollectionName());
            long count = collection.count(PayloadFilter.compile(request.hasFilter(), request.getFilter()));
            return CountResponse.newBuilder().setResult(CountResult.newBuilder().setCount(count)).build();
        });
    }

    @Override
    public void scroll(ScrollPoints request, StreamObserver<ScrollResponse> observer) {
        Rpc.reply(observer, () -> {
            StandInCollection collection = catalog.resolve(request.getCollectionName());
            if (request.hasOrderBy()) {
                throw Rpc.unsupported("scroll with order_by");
            }
            int limit = request.hasLimit() ? request.getLimit() : DEFAULT_SCROLL_LIMIT;
            if (limit < 1) {
                throw Rpc.wrongInput("limit: value " + limit + " invalid, must be 1 or larger");
            }
            PointOutput output = new PointOutput(true, request.hasWithPayload(), request.getWithPayload(),
                    request.hasWithVectors(), request.getWithVectors());
            StandInCollection.Page page = collection.scroll(
                    PayloadFilter.compile(request.hasFilter(), request.getFilter()),
                    request.hasOffset() ? PointKey.of(request.getOffset()) : null, limit);
            ScrollResponse.Builder response = ScrollResponse.newBuilder();
            page.points().forEach(point -> response.addResult(output.retrieved(point)));
            if (page.next() != null) {
                response.setNextPageOffset(page.next().toProto());
            }
            return response.build();
        });
    }

    private static void checkVectorName(boolean present, String name) {
        if (present && !name.isEmpty()) {
            throw Rpc.wrongInput("Not existing vector name error: " + name);
        }
    }

    private static PointsOperationResponse updated(long operation, boolean wait) {
        return PointsOperationResponse.newBuilder().setResult(UpdateResult.newBuilder().setOperationId(operation)
                .setStatus(wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged)).build();
    }
}
