package io.faro.gateway.documents;

import io.faro.core.store.StoreException;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import io.faro.gateway.http.JsonExchange;
import io.faro.gateway.http.ProblemException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /v1/documents/{id}}: what each store holds of a document, which version, and since when
 * that version is searchable there. The id is the rest of the path, so ids with slashes work.
 */
public final class DocumentService implements HttpService {

    private static final String PREFIX = "/v1/documents/";

    private final List<VectorStore> stores;

    public DocumentService(List<VectorStore> stores) {
        this.stores = List.copyOf(stores);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/documents/*", this::describe);
    }

    record StoreView(Long version, Integer chunkCount, List<String> chunkIds, String searchableSince,
                     Boolean current, String error) {
    }

    record DocumentView(String docId, long version, int chunkCount, Map<String, StoreView> stores) {
    }

    private void describe(ServerRequest request, ServerResponse response) {
        String path = request.path().absolute().path();
        String docId = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (docId.isEmpty()) {
            throw ProblemException.badRequest("name the document: GET /v1/documents/{id}");
        }
        Map<String, StoredDocument> found = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (VectorStore store : stores) {
            try {
                found.put(store.name(), store.describe(docId));
            } catch (StoreException e) {
                errors.put(store.name(), e.getMessage());
            }
        }
        StoredDocument newest = found.values().stream().filter(StoredDocument::isPresent)
                .max((a, b) -> Long.compare(a.version(), b.version()))
                .orElseThrow(() -> errors.isEmpty()
                        ? new ProblemException(404, "/problems/not-found", "Not found",
                                "no store holds a document with id '" + docId + "'")
                        : ProblemException.unavailable("no store could be asked about '" + docId + "': " + errors));
        Map<String, StoreView> views = new LinkedHashMap<>();
        for (VectorStore store : stores) {
            StoredDocument held = found.get(store.name());
            views.put(store.name(), held == null
                    ? new StoreView(null, null, null, null, null, errors.get(store.name()))
                    : new StoreView(held.isPresent() ? held.version() : null, held.chunkIds().size(),
                            List.copyOf(new TreeSet<>(held.chunkIds())),
                            held.searchableSince().map(Object::toString).orElse(null),
                            held.isPresent() && held.version() == newest.version()
                                    && held.oldestVersion() == newest.version()
                                    && held.chunkIds().equals(newest.chunkIds()), null));
        }
        JsonExchange.send(response, 200, new DocumentView(docId, newest.version(), newest.chunkIds().size(), views));
    }
}
