package io.faro.core.access;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * What a caller may see: the chunks and documents of its tenant whose ACL is empty or names one of its
 * groups. {@link #UNRESTRICTED} sees everything; it is the scope of every request when authentication is off
 * (a gateway on localhost for one user), and never the scope of an authenticated caller.
 */
public record AccessScope(String tenant, Set<String> groups, boolean unrestricted) {

    /** The tenant of a document published without one, and of every document FARO held before tenants. */
    public static final String DEFAULT_TENANT = "default";

    public static final AccessScope UNRESTRICTED = new AccessScope(DEFAULT_TENANT, Set.of(), true);

    public AccessScope {
        Objects.requireNonNull(tenant, "tenant");
        groups = Set.copyOf(groups);
    }

    /** An authenticated caller of {@code tenant} in {@code groups}. */
    public static AccessScope of(String tenant, Set<String> groups) {
        return new AccessScope(tenant, groups, false);
    }

    /** Whether a document of {@code documentTenant} with this ACL (empty: the whole tenant) is visible. */
    public boolean permits(String documentTenant, Collection<String> acl) {
        if (unrestricted) {
            return true;
        }
        return tenant.equals(documentTenant) && (acl.isEmpty() || acl.stream().anyMatch(groups::contains));
    }
}
