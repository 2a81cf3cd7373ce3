package io.faro.core.access;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A document's identity across tenants: the record key on {@code faro.documents}, the key of the ingest's
 * state, the {@code doc_id} the stores hold, and the prefix of every chunk id (so of every Qdrant point id).
 * The same id in two tenants gives two keys, so nothing of one document can overwrite, delete or answer for
 * the other.
 *
 * <p>A document of the {@link AccessScope#DEFAULT_TENANT default tenant} is keyed by its bare id, so every
 * record, chunk and point written before tenants existed keeps its identity. Any other tenant's key is the
 * tenant, {@link #SEPARATOR} (U+001F, the ASCII unit separator) and the id. No id may hold a control
 * character and no tenant name a separator, so a key has exactly one reading.
 */
public record DocumentKey(String tenant, String id) {

    /** Between tenant and id in a key. */
    public static final char SEPARATOR = '\u001F';

    /** A tenant name: lower-case letters, digits, '-' and '_', starting with a letter or digit, up to 63 characters. */
    public static final Pattern TENANT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** The longest ACL group name, and the most groups one document may name. */
    public static final int MAX_GROUP_CHARS = 256;
    public static final int MAX_GROUPS = 64;

    public DocumentKey {
        checkTenant(tenant);
        Objects.requireNonNull(id, "id");
        int control = firstControl(id);
        if (control >= 0) {
            throw new IllegalArgumentException("a document id must not hold control characters (U+"
                    + String.format("%04X", control) + " found)");
        }
    }

    /** The key of a document: its bare id in the default tenant, else tenant, separator, id. */
    public String key() {
        return AccessScope.DEFAULT_TENANT.equals(tenant) ? id : tenant + SEPARATOR + id;
    }

    /** The key of {@code id} in {@code tenant}. */
    public static String of(String tenant, String id) {
        return new DocumentKey(tenant, id).key();
    }

    /** Reads a key back: the part before the first separator is the tenant, when there is one. */
    public static DocumentKey parse(String key) {
        int at = key.indexOf(SEPARATOR);
        return at < 0 ? new DocumentKey(AccessScope.DEFAULT_TENANT, key)
                : new DocumentKey(key.substring(0, at), key.substring(at + 1));
    }

    /** The tenant of a key, without checking the id. */
    public static String tenantOf(String key) {
        int at = key.indexOf(SEPARATOR);
        return at < 0 ? AccessScope.DEFAULT_TENANT : key.substring(0, at);
    }

    /** The bare document id of a key. */
    public static String idOf(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }

    /** @throws IllegalArgumentException naming the rule, when {@code tenant} is no tenant name */
    public static String checkTenant(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        if (!TENANT_NAME.matcher(tenant).matches()) {
            throw new IllegalArgumentException("a tenant is 1 to 63 lower-case letters, digits, '-' or '_', starting"
                    + " with a letter or digit; got '" + (tenant.length() > 80 ? tenant.substring(0, 77) + "..." : tenant)
                    + "'");
        }
        return tenant;
    }

    /**
     * An ACL as FARO keeps it: distinct group names, sorted (so that two ACLs naming the same groups are equal).
     *
     * @throws IllegalArgumentException when a group is blank, too long or holds a control character
     */
    public static List<String> checkAcl(List<String> acl) {
        if (acl.size() > MAX_GROUPS) {
            throw new IllegalArgumentException("an acl names at most " + MAX_GROUPS + " groups, not " + acl.size());
        }
        for (String group : acl) {
            if (group == null || group.isBlank() || group.length() > MAX_GROUP_CHARS || firstControl(group) >= 0) {
                throw new IllegalArgumentException("an acl group is 1 to " + MAX_GROUP_CHARS
                        + " characters, not blank, without control characters");
            }
        }
        return acl.stream().distinct().sorted().toList();
    }

    /** The first ISO control character (U+0000–U+001F, U+007F–U+009F) in {@code text}, or -1. */
    public static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return text.charAt(i);
            }
        }
        return -1;
    }
}
