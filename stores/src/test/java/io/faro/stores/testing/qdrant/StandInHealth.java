package io.faro.stores.testing.qdrant;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;

/**
 * Qdrant's {@code qdrant.Qdrant/HealthCheck}: the title and a version the Java client's compatibility check
 * accepts.
 */
final class StandInHealth extends QdrantGrpc.QdrantImplBase {

    static final String TITLE = "qdrant - vector search engine";
    static final String VERSION = "1.18.0";

    @Override
    public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
        Rpc.reply(observer, () -> HealthCheckReply.newBuilder().setTitle(TITLE).setVersion(VERSION)
                .setCommit("qdrant-stand-in").build());
    }
}
