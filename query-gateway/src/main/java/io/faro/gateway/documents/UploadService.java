package io.faro.gateway.documents;

import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.document.DocumentParser;
import io.faro.core.config.FaroConfig;
import io.faro.gateway.auth.Callers;
import io.faro.gateway.http.JsonExchange;
import io.faro.gateway.http.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/documents} publishes a document (JSON, a raw file, or a multipart upload:
 * {@link UploadReader}); {@code DELETE /v1/documents/{id}} publishes its tombstone. Both answer
 * {@code 202 Accepted} with the document id and where the record landed once Kafka has it durably, with
 * {@code Location} pointing at {@code GET /v1/documents/{id}}; 503 with {@code Retry-After} when Kafka did
 * not confirm it in time. Such a record may still have landed (a timeout cannot tell), which is why the
 * answer asks the caller to send it again: publishing the same document again replaces it with itself.
 */
public final class UploadService implements HttpService {

    static final String PREFIX = "/v1/documents/";
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Optional<DocumentPublisher> publisher;
    private final UploadReader reader;
    private final Rejections rejections;

    public UploadService(Optional<DocumentPublisher> publisher, int maxDocumentBytes, Rejections rejections) {
        this.publisher = publisher;
        this.reader = new UploadReader(maxDocumentBytes);
        this.rejections = rejections;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/documents", this::upload)
                .delete("/documents/*", this::delete);
    }

    /** The answer to an upload or a delete: the document, its tenant and the version its record became. */
    record Accepted(String docId, String tenant, String topic, int partition, long offset) {
    }

    private void upload(ServerRequest request, ServerResponse response) {
        DocumentPublisher documents = publisher("");
        DocumentRecord record = reader.read(request, Callers.scopeOf(request));
        accepted(response, record.id(), record.tenant(), publish(() -> documents.publish(record.key(), record.value())));
    }

    private void delete(ServerRequest request, ServerResponse response) {
        DocumentPublisher documents = publisher("GET");
        String docId = docId(request);
        String tenant = DocumentAccess.tenant(request, Callers.scopeOf(request));
        String key = DocumentKey.of(tenant, docId);
        accepted(response, docId, tenant, publish(() -> documents.delete(key)));
    }

    private DocumentPublisher publisher(String allow) {
        return publisher.orElseThrow(() -> ProblemException.methodNotAllowed("this gateway takes no uploads or"
                + " deletes (" + FaroConfig.UPLOADS + "=false); publish to faro.documents instead", allow));
    }

    private static DocumentPublisher.Published publish(java.util.function.Supplier<DocumentPublisher.Published> send) {
        try {
            return send.get();
        } catch (PublishException e) {
            throw switch (e.kind()) {
                case TOO_LARGE -> ProblemException.tooLarge(e.getMessage());
                case NOT_AUTHORIZED -> ProblemException.unavailable(e.getMessage());
                case UNAVAILABLE -> ProblemException.unavailable(e.getMessage() + "; send it again (publishing"
                        + " a document again only replaces it with itself)", RETRY_AFTER);
            };
        }
    }

    private void accepted(ServerResponse response, String docId, String tenant,
                          DocumentPublisher.Published published) {
        rejections.published(DocumentKey.of(tenant, docId), published.offset());
        response.header(HeaderNames.LOCATION, location(docId, tenant));
        JsonExchange.send(response, 202, new Accepted(docId, tenant, published.topic(), published.partition(),
                published.offset()));
    }

    /** The id is the rest of the path, so ids with slashes work. */
    static String docId(ServerRequest request) {
        String path = request.path().absolute().path();
        String docId = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (docId.isEmpty()) {
            throw ProblemException.badRequest("name the document: /v1/documents/{id}");
        }
        // an id no document can have is the request's fault, not a store's: answered before any store is asked
        if (docId.isBlank() || docId.length() > DocumentParser.MAX_ID_LENGTH || DocumentKey.firstControl(docId) >= 0) {
            throw ProblemException.badRequest("no document can have this id: an id is 1 to "
                    + DocumentParser.MAX_ID_LENGTH + " characters, not blank, without NUL or other control characters");
        }
        return docId;
    }

    /** {@code /v1/documents/} and the id, each segment percent-encoded, and the tenant outside the default one. */
    static String location(String docId, String tenant) {
        return PREFIX + Arrays.stream(docId.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"))
                + (AccessScope.DEFAULT_TENANT.equals(tenant) ? "" : "?" + DocumentAccess.TENANT + "=" + tenant);
    }
}
