package io.faro.topology.embed;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The vector last made for a chunk, with the hash of the text and the model it was made from. */
public record CachedVector(String textHash, String model, float[] vector) {

    public boolean fits(String text, String model) {
        return this.model.equals(model) && textHash.equals(hash(text));
    }

    public static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
