package io.faro.connectors.archive;

import io.faro.core.config.S3Location;
import io.faro.s3.Sha256;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where the archive keeps a chunk: {@code <prefix>/<document id, URL-encoded>/<chunk index>.json}, so that the
 * objects of one document lie together under one folder and follow each other in a listing. The key is derived
 * from the chunk id alone ({@code <document id>#<chunk index>}), which a tombstone also carries, so a deleted
 * chunk's object is found without reading it. A document id too long for an S3 key (1024 bytes) lies under
 * {@code <prefix>/~sha256/<SHA-256 of the id>/} instead: {@code ~} never starts an encoded id.
 */
public final class ArchiveLayout {

    private static final int MAX_KEY_BYTES = 1_024;
    private static final String OBJECT_SUFFIX = ".json";
    private static final String HASHED = "~sha256/";

    private final S3Location archive;
    private final String root;

    public ArchiveLayout(S3Location archive) {
        this.archive = Objects.requireNonNull(archive, "archive");
        this.root = archive.prefix().isEmpty() ? "" : archive.prefix() + "/";
    }

    public S3Location archive() {
        return archive;
    }

    public String bucket() {
        return archive.bucket();
    }

    /** Where every object of the archive lies: the listing prefix of a restore. */
    public String root() {
        return root;
    }

    /**
     * The object key of a chunk.
     *
     * @throws IllegalArgumentException when the chunk id is not {@code <document id>#<chunk index>}
     */
    public String objectKey(String chunkId) {
        int hash = chunkId.lastIndexOf('#');
        if (hash <= 0 || hash == chunkId.length() - 1) {
            throw new IllegalArgumentException("chunk id '" + abbreviate(chunkId) + "' is not <document id>#<chunk index>");
        }
        String index = chunkId.substring(hash + 1);
        if (!index.chars().allMatch(Character::isDigit) || index.length() > 9) {
            throw new IllegalArgumentException("chunk id '" + abbreviate(chunkId) + "' does not end in a chunk index");
        }
        return documentFolder(chunkId.substring(0, hash)) + Integer.parseInt(index) + OBJECT_SUFFIX;
    }

    /** The folder ({@code <prefix>/<encoded id>/}) that holds every chunk of a document. */
    public String documentFolder(String documentId) {
        String encoded = encode(documentId);
        // room for the longest chunk index and the suffix
        String folder = root + encoded + "/";
        if ((folder + Integer.MAX_VALUE + OBJECT_SUFFIX).getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES) {
            return folder;
        }
        return root + HASHED + Sha256.hex(documentId.getBytes(StandardCharsets.UTF_8)) + "/";
    }

    /** The folder of an object key: what the objects of one document share. */
    public static String folderOf(String objectKey) {
        return objectKey.substring(0, objectKey.lastIndexOf('/') + 1);
    }

    /**
     * A path segment that S3 and file systems take as it is: RFC 3986's unreserved characters stay, everything
     * else is percent-encoded ({@link URLEncoder} with a space as {@code %20}), and {@code .} and {@code ..},
     * which tools that copy a bucket to disk would read as folders, are encoded too.
     */
    static String encode(String documentId) {
        String encoded = URLEncoder.encode(documentId, StandardCharsets.UTF_8)
                .replace("+", "%20").replace("*", "%2A");
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
