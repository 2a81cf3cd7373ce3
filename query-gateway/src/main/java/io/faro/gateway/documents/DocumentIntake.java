package io.faro.gateway.documents;

import java.util.Optional;

/**
 * What the document routes use besides the stores: the publisher of uploads and deletes (none when
 * {@code FARO_UPLOADS=false}), and the rejections read from {@code faro.dlq}.
 */
public record DocumentIntake(Optional<DocumentPublisher> publisher, Rejections rejections) {

    /** Reading only: no uploads, no rejections. */
    public static DocumentIntake readOnly() {
        return new DocumentIntake(Optional.empty(), Rejections.none());
    }
}
