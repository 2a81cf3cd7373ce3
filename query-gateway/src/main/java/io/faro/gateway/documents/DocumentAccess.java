package io.faro.gateway.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.json.Json;
import io.faro.gateway.http.ProblemException;
import io.helidon.webserver.http.ServerRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which tenant a document route works in, and the tenant and ACL an upload gets. A restricted caller works in
 * its own tenant only: a request that names another is refused (403), and an upload that names none is put in
 * the caller's. An unrestricted caller (authentication off) names the tenant with {@code tenant} (the query
 * parameter, the form field or the document's own field), the default tenant otherwise.
 */
final class DocumentAccess {

    static final String TENANT = "tenant";
    static final String ACL = "acl";

    private DocumentAccess() {
    }

    /** The tenant of {@code GET} or {@code DELETE /v1/documents/{id}}: the caller's, or {@code ?tenant=}. */
    static String tenant(ServerRequest request, AccessScope scope) {
        return tenant(scope, request.query().first(TENANT).asOptional());
    }

    /** The tenant a request works in, given the one it names (if any), checked against the caller's scope. */
    static String tenant(AccessScope scope, Optional<String> named) {
        if (scope.unrestricted()) {
            String tenant = named.orElse(AccessScope.DEFAULT_TENANT);
            try {
                return DocumentKey.checkTenant(tenant);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("'" + TENANT + "': " + e.getMessage());
            }
        }
        named.filter(tenant -> !tenant.equals(scope.tenant())).ifPresent(tenant -> {
            throw new ProblemException(403, "/problems/forbidden", "Forbidden", "this caller works in tenant '"
                    + scope.tenant() + "' only; it cannot name tenant '" + tenant + "'");
        });
        return scope.tenant();
    }

    /**
     * Sets the document's {@code tenant} (left out for the default tenant, as publishers write it) and, when the
     * request gives one apart from the body, its {@code acl}: comma-separated group names, or the parameter
     * repeated.
     */
    static void apply(ObjectNode document, AccessScope scope, Optional<String> requestTenant, List<String> requestAcl) {
        JsonNode own = document.get(TENANT);
        Optional<String> named = requestTenant;
        if (own != null && !own.isNull()) {
            if (!own.isTextual()) {
                throw ProblemException.badRequest("'" + TENANT + "' must be a string, got " + own.getNodeType());
            }
            if (requestTenant.isPresent() && !requestTenant.get().equals(own.textValue())) {
                throw ProblemException.badRequest("the request names tenant '" + requestTenant.get()
                        + "' and the document tenant '" + own.textValue() + "'; name one");
            }
            named = Optional.of(own.textValue());
        }
        String tenant = tenant(scope, named);
        if (AccessScope.DEFAULT_TENANT.equals(tenant)) {
            document.remove(TENANT);
        } else {
            document.put(TENANT, tenant);
        }
        List<String> groups = requestAcl.stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip)
                .filter(group -> !group.isEmpty())
                .toList();
        if (!groups.isEmpty()) {
            ArrayNode acl = Json.mapper().createArrayNode();
            groups.forEach(acl::add);
            document.set(ACL, acl);
        }
    }
}
