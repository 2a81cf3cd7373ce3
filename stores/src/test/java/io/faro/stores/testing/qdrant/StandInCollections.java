package io.faro.stores.testing.qdrant;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.ChangeAliases;
import io.qdrant.client.grpc.Collections.CollectionDescription;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.ListAliasesRequest;
import io.qdrant.client.grpc.Collections.ListAliasesResponse;
import io.qdrant.client.grpc.Collections.ListCollectionAliasesRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.CollectionsGrpc;
import java.util.Map;

/**
 * Qdrant's {@code qdrant.Collections} gRPC service for collections with one unnamed dense vector and named sparse
 * vectors ({@code sparse_vectors_config}, with or without the IDF modifier): create,
 * get (alias-aware), exists (aliases are not collections), delete, list, and the alias RPCs. Other RPCs of
 * the service answer UNIMPLEMENTED naming the method.
 */
final class StandInCollections extends CollectionsGrpc.CollectionsImplBase {

    private final StandInCatalog catalog;

    StandInCollections(StandInCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> observer) {
        Rpc.reply(observer, () -> {
            if (!request.getVectorsConfig().hasParams()) {
                throw Rpc.unsupported("vectors config: only a single unnamed dense vector is supported");
            }
            VectorParams params = request.getVectorsConfig().getParams();
            if (params.getSize() > Integer.MAX_VALUE) {
                throw Rpc.wrongInput("vector size too large: " + params.getSize());
            }
            catalog.create(request.getCollectionName(), (int) params.getSize(), params.getDistance(),
                    request.getSparseVectorsConfig().getMapMap());
            return done(true);
        });
    }

    @Override
    public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> observer) {
        Rpc.reply(observer, () -> GetCollectionInfoResponse.newBuilder()
                .setResult(catalog.resolve(request.getCollectionName()).info()).build());
    }

    @Override
    public void collectionExists(CollectionExistsRequest request,
            StreamObserver<CollectionExistsResponse> observer) {
        Rpc.reply(observer, () -> CollectionExistsResponse.newBuilder()
                .setResult(CollectionExists.newBuilder().setExists(catalog.exists(request.getCollectionName())))
                .build());
    }

    @Override
    public void delete(DeleteCollection request, StreamObserver<CollectionOperationResponse> observer) {
        Rpc.reply(observer, () -> done(catalog.delete(request.getCollectionName())));
    }

    @Override
    public void list(ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> observer) {
        Rpc.reply(observer, () -> {
            ListCollectionsResponse.Builder response = ListCollectionsResponse.newBuilder();
            catalog.names().forEach(n -> response.addCollections(CollectionDescription.newBuilder().setName(n)));
            return response.build();
        });
    }

    @Override
    public void updateAliases(ChangeAliases request, StreamObserver<CollectionOperationResponse> observer) {
        Rpc.reply(observer, () -> {
            catalog.changeAliases(request.getActionsList());
            return done(true);
        });
    }

    @Override
    public void listAliases(ListAliasesRequest request, StreamObserver<ListAliasesResponse> observer) {
        Rpc.reply(observer, () -> aliases(catalog.aliases()));
    }

    @Override
    public void listCollectionAliases(ListCollectionAliasesRequest request,
            StreamObserver<ListAliasesResponse> observer) {
        Rpc.reply(observer, () -> {
            String collection = request.getCollectionName();
            if (!catalog.exists(collection)) {
                throw Rpc.collectionNotFound(collection);
            }
            ListAliasesResponse.Builder response = ListAliasesResponse.newBuilder();
            catalog.aliasesOf(collection).forEach(alias -> response.addAliases(
                    AliasDescription.newBuilder().setAliasName(alias).setCollectionName(collection)));
            return response.build();
        });
    }

    private static ListAliasesResponse aliases(Map<String, String> aliases) {
        ListAliasesResponse.Builder response = ListAliasesResponse.newBuilder();
        aliases.forEach((alias, collection) -> response.addAliases(
                AliasDescription.newBuilder().setAliasName(alias).setCollectionName(collection)));
        return response.build();
    }

    private static CollectionOperationResponse done(boolean result) {
        return CollectionOperationResponse.newBuilder().setResult(result).build();
    }
}
