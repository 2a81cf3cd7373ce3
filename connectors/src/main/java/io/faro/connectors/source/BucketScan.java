package io.faro.connectors.source;

import io.faro.connectors.S3Calls;
import io.faro.core.FaroException;
import io.faro.core.config.S3Location;
import io.faro.core.document.ContentRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * One pass over the watched locations. Each page of a location's listing (up to 1000 objects) is compared with the
 * position; the objects that are new or changed are looked at (HEAD for the content type, user metadata and
 * version; their tags) in parallel and published in one transaction with their new state. Once a location is
 * listed to its end, the objects the position knows under it that the listing did not show are deleted, in
 * transactions of a page each. A listing that fails part way deletes nothing: only a whole listing proves absence.
 *
 * <p>An object whose HEAD shows another ETag than the listing changed while it was being looked at: it is left for
 * the next pass, which sees it settled. One that is gone by the time of its HEAD is left too (the next pass deletes
 * it if it was known). Folder markers (empty keys ending in {@code /}) are not documents.
 */
final class BucketScan {

    private static final Logger LOG = LoggerFactory.getLogger(BucketScan.class);
    private static final int DELETES_PER_TRANSACTION = 1_000;

    private final S3Client s3;
    private final Position position;
    private final SourcePublisher publisher;
    private final ExecutorService requests;
    private final BooleanSupplier listing;
    private final SourceMetrics metrics;
    private volatile boolean taggingUnsupported;

    /** @param listing whether this replica still lists; when it stops, the scan stops between two pages */
    BucketScan(S3Client s3, Position position, SourcePublisher publisher, ExecutorService requests,
               BooleanSupplier listing, SourceMetrics metrics) {
        this.s3 = s3;
        this.position = position;
        this.publisher = publisher;
        this.requests = requests;
        this.listing = listing;
        this.metrics = metrics;
    }

    /** A scan that failed for a reason of S3's. */
    static final class ScanFailedException extends FaroException {
        ScanFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A transaction that did not commit: the position in memory may be behind Kafka's, and must be read again. */
    static final class PublishFailedException extends FaroException {
        PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    void run(List<S3Location> locations) {
        for (S3Location location : locations) {
            scan(location);
        }
    }

    private void scan(S3Location location) {
        Set<String> seen = new HashSet<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket())
                    .prefix(location.prefix()))) {
                stopIfNotListing();
                List<Candidate> candidates = new ArrayList<>();
                for (S3Object object : page.contents()) {
                    if (object.key().endsWith("/") && Objects.requireNonNullElse(object.size(), 0L) == 0) {
                        continue;
                    }
                    String uri = uri(location.bucket(), object.key());
                    seen.add(uri);
                    ObjectState listed = ObjectState.listed(object);
                    Optional<ObjectState> known = position.get(uri);
                    if (known.isEmpty() || !known.get().sameAs(listed)) {
                        candidates.add(new Candidate(location.bucket(), object.key(), uri, listed, known.isEmpty()));
                    }
                }
                publish(describe(candidates));
            }
        } catch (SdkException e) {
            throw new ScanFailedException("cannot list " + location + ": " + S3Calls.reason(e), e);
        }
        List<String> gone = position.under(location).stream().filter(uri -> !seen.contains(uri)).toList();
        for (int from = 0; from < gone.size(); from += DELETES_PER_TRANSACTION) {
            stopIfNotListing();
            List<Change> deletes = new ArrayList<>();
            for (String uri : gone.subList(from, Math.min(gone.size(), from + DELETES_PER_TRANSACTION))) {
                ContentRef object = ContentRef.parse(uri, Optional.empty(), Optional.empty());
                deletes.add(new Change.Delete(uri, ObjectDocuments.documentId(object.bucket(), object.key())));
            }
            publish(deletes);
        }
    }

    private void publish(List<Change> changes) {
        stopIfNotListing();
        try {
            publisher.publish(changes);
        } catch (RuntimeException e) {
            throw new PublishFailedException("cannot publish " + changes.size() + " changes: " + e.getMessage(), e);
        }
        position.apply(changes);
        metrics.published(changes);
        metrics.position(position.size());
    }

    private void stopIfNotListing() {
        if (!listing.getAsBoolean()) {
            throw new CancellationException("another replica of the S3 source lists now");
        }
    }

    /** An object the listing shows new or changed. */
    private record Candidate(String bucket, String key, String uri, ObjectState listed, boolean created) {
    }

    /** The changes of the candidates, looked at in parallel; those that vanished or moved meanwhile are left out. */
    private List<Change> describe(List<Candidate> candidates) {
        List<Future<Optional<Change>>> pending = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            pending.add(requests.submit(() -> describe(candidate)));
        }
        List<Change> changes = new ArrayList<>(candidates.size());
        RuntimeException failure = null;
        for (Future<Optional<Change>> future : pending) {
            try {
                future.get().ifPresent(changes::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.forEach(f -> f.cancel(true));
                throw new CancellationException("interrupted while looking at objects");
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause() instanceof RuntimeException runtime ? runtime
                        : new ScanFailedException(String.valueOf(e.getCause()), e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return changes;
    }

    private Optional<Change> describe(Candidate candidate) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(candidate.bucket()).key(candidate.key()));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new ScanFailedException("cannot read " + candidate.uri() + ": " + S3Calls.reason(e), e);
        } catch (SdkException e) {
            throw new ScanFailedException("cannot read " + candidate.uri() + ": " + S3Calls.reason(e), e);
        }
        if (!ObjectState.unquoted(head.eTag()).equals(candidate.listed().etag())) {
            return Optional.empty();
        }
        ObjectState state = candidate.listed().withVersion(head.versionId());
        byte[] document = ObjectDocuments.document(candidate.bucket(), candidate.key(), state, head, tags(candidate));
        return Optional.of(new Change.Upsert(candidate.uri(), ObjectDocuments.documentId(candidate.bucket(),
                candidate.key()), document, state, candidate.created()));
    }

    /**
     * The object's tags. A server that has no tagging (some S3-compatible ones answer 501) gives none; a refusal
     * stops the scan, since publishing without the tags would lose metadata without a word.
     */
    private List<Tag> tags(Candidate candidate) {
        if (taggingUnsupported) {
            return List.of();
        }
        try {
            return s3.getObjectTagging(b -> b.bucket(candidate.bucket()).key(candidate.key())).tagSet();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 501) {
                taggingUnsupported = true;
                LOG.warn("this S3 server has no object tagging ({}): documents carry the objects' metadata alone",
                        S3Calls.reason(e));
                return List.of();
            }
            if (e.statusCode() == 404) {
                return List.of();
            }
            throw new ScanFailedException("cannot read the tags of " + candidate.uri() + ": " + S3Calls.reason(e)
                    + (e.statusCode() == 403 ? " (the source needs s3:GetObjectTagging)" : ""), e);
        } catch (SdkException e) {
            throw new ScanFailedException("cannot read the tags of " + candidate.uri() + ": " + S3Calls.reason(e), e);
        }
    }

    static String uri(String bucket, String key) {
        return ContentRef.SCHEME + bucket + "/" + key;
    }
}
