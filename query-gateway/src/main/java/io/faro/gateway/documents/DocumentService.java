package io.faro.gateway.documents;

import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import io.faro.gateway.auth.Callers;
import io.faro.gateway.http.JsonExchange;
import io.faro.gateway.http.ProblemException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code GET /v1/documents/{id}}: what each store holds of a document, which version, and since when
 * that version is searchable there; and, when the pipeline refused the document's latest version, at which
 * stage and why ({@link Rejections}). The id is the rest of the path, so ids with slashes work. The document is
 * looked up in the caller's tenant ({@link DocumentAccess}); one whose ACL leaves the caller out is not found.
 */
public final class DocumentService implements HttpService {

    private final List<VectorStore> stores;
    private final Rejections rejections;

    public DocumentService(List<VectorStore> stores, Rejections rejections) {
        this.stores = List.copyOf(stores);
        this.rejections = rejections;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/documents/*", this::describe);
    }

    record StoreView(Long version, Integer chunkCount, List<String> chunkIds, String searchableSince,
                     Boolean current, String error) {
    }

    /** The latest version was refused: its version (offset), the stage, the reason and when. */
    record RejectionView(long version, String stage, String reason, String rejectedAt) {
        static RejectionView of(Rejections.Rejection rejection) {
            return new RejectionView(rejection.version(), rejection.stage(), rejection.reason(),
                    rejection.rejectedAt().toString());
        }
    }

    /** {@code version} is null when no store holds the document (only its rejection is known). */
    record DocumentView(String docId, String tenant, List<String> acl, Long version, int chunkCount,
                        Map<String, StoreView> stores, RejectionView rejection) {
    }

    private void describe(ServerRequest request, ServerResponse response) {
        String docId = UploadService.docId(request);
        AccessScope scope = Callers.scopeOf(request);
        String tenant = DocumentAccess.tenant(request, scope);
        String key = DocumentKey.of(tenant, docId);
        Map<String, StoredDocument> found = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (VectorStore store : stores) {
            try {
                found.put(store.name(), store.describe(key));
            } catch (StoreException e) {
                errors.put(store.name(), e.getMessage());
            }
        }
        Optional<StoredDocument> newest = found.values().stream().filter(StoredDocument::isPresent)
                .max((a, b) -> Long.compare(a.version(), b.version()));
        // a document the caller may not see reads as one that is not there, whichever store holds it
        if (found.values().stream().anyMatch(held -> held.isPresent() && !scope.permits(tenant, held.acl()))) {
            throw notFound(docId);
        }
        Optional<RejectionView> rejection = rejections.current(key, newest.map(StoredDocument::version).orElse(-1L))
                .map(RejectionView::of);
        if (newest.isEmpty() && rejection.isEmpty()) {
            throw errors.isEmpty()
                    ? notFound(docId)
                    : ProblemException.unavailable("no store could be asked about '" + docId + "': " + errors);
        }
        Map<String, StoreView> views = new LinkedHashMap<>();
        for (VectorStore store : stores) {
            StoredDocument held = found.get(store.name());
            views.put(store.name(), held == null
                    ? new StoreView(null, null, null, null, null, errors.get(store.name()))
                    : new StoreView(held.isPresent() ? held.version() : null, held.chunkIds().size(),
                            List.copyOf(new TreeSet<>(held.chunkIds())),
                            held.searchableSince().map(Object::toString).orElse(null),
                            newest.isPresent() && held.isPresent() && held.version() == newest.get().version()
                                    && held.oldestVersion() == newest.get().version()
                                    && held.chunkIds().equals(newest.get().chunkIds()), null));
        }
        JsonExchange.send(response, 200, new DocumentView(docId, tenant,
                newest.map(StoredDocument::acl).orElse(null), newest.map(StoredDocument::version).orElse(null),
                newest.map(n -> n.chunkIds().size()).orElse(0), views, rejection.orElse(null)));
    }

    private static ProblemException notFound(String docId) {
        return new ProblemException(404, "/problems/not-found", "Not found",
                "no store holds a document with id '" + docId + "' that this caller may see");
    }
}
