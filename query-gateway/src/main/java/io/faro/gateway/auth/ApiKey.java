package io.faro.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One API key as FARO keeps it: its SHA-256 and the caller it stands for, never the key itself.
 *
 * <p>A plain SHA-256 is enough here, where it would not be for passwords: a key is 32 random bytes, so there is
 * no dictionary to try and no guess cheaper than the 2^256 keys themselves; a slow hash (bcrypt, Argon2) would only
 * add milliseconds to every request.
 */
public record ApiKey(byte[] sha256, Caller caller) {

    /** Every key FARO mints starts so: it tells a key from an OIDC token, and a secret scanner can find leaked ones. */
    public static final String PREFIX = "faro_";
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    public ApiKey {
        sha256 = sha256.clone();
    }

    /** A new key: {@link #PREFIX} and 32 random bytes in base64url (43 characters). */
    public static String mint() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The hash as the key file holds it: 64 lower-case hex digits. */
    public static String hashHex(String key) {
        return HexFormat.of().formatHex(hash(key));
    }

    /** Whether {@code presentedHash} is this key's hash, in time that does not depend on where they differ. */
    boolean matches(byte[] presentedHash) {
        return MessageDigest.isEqual(sha256, presentedHash);
    }
}
