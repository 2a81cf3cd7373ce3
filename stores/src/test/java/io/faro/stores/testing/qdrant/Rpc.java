package io.faro.stores.testing.qdrant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * Answers a unary RPC the way Qdrant's gRPC layer does: one response or one status, with Qdrant's own
 * wording for the errors clients look at ("Not found: ...", "Wrong input: ...").
 */
final class Rpc {

    private Rpc() {
    }

    static <T> void reply(StreamObserver<T> observer, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (RuntimeException e) {
            observer.onError(Status.INTERNAL.withDescription("Service internal error: " + e).withCause(e)
                    .asRuntimeException());
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    static StatusRuntimeException collectionNotFound(String name) {
        return Status.NOT_FOUND.withDescription("Not found: Collection `" + name + "` doesn't exist!")
                .asRuntimeException();
    }

    static StatusRuntimeException aliasNotFound(String name) {
        return Status.NOT_FOUND.withDescription("Not found: Alias `" + name + "` doesn't exist!")
                .asRuntimeException();
    }

    static StatusRuntimeException wrongInput(String description) {
        return Status.INVALID_ARGUMENT.withDescription("Wrong input: " + description).asRuntimeException();
    }

    /** Qdrant's {@code CollectionError::BadRequest}, for a request whose parts do not go together. */
    static StatusRuntimeException badRequest(String description) {
        return Status.INVALID_ARGUMENT.withDescription("Bad request: " + description).asRuntimeException();
    }

    /** Qdrant's {@code OperationError::ValidationError}, as the collection layer reports it. */
    static StatusRuntimeException validationFailed(String description) {
        return wrongInput("Validation failed: " + description);
    }

    static StatusRuntimeException unsupported(String what) {
        return Status.INVALID_ARGUMENT.withDescription("Qdrant stand-in: unsupported " + what)
                .asRuntimeException();
    }
}
