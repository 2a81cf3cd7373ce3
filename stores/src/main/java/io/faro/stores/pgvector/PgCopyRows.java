package io.faro.stores.pgvector;

import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.stores.keyword.KeywordTerms;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A batch of rows in PostgreSQL's binary {@code COPY} format, the fastest way it takes rows in: no number or
 * vector is printed as text by FARO and parsed again by the server. The columns are {@link #COLUMNS}, in order,
 * each as its type's binary form: {@code text} as UTF-8, {@code int} and {@code bigint} big-endian, {@code jsonb}
 * as a version byte and the JSON text, {@code vector} as pgvector's (dimension, a zero, then 4-byte floats),
 * {@code text[]} as an array of {@code text}, and {@code tsvector} as {@link PgTsVector#write} gives it.
 */
final class PgCopyRows {

    /** The columns each row carries, in the order they are written. */
    static final String COLUMNS = "chunk_id, doc_id, chunk_index, title, content, metadata, model, embedding,"
            + " doc_version, tenant, acl, keyword_terms, keyword_length";
    /** The same columns with their types, for a table that takes them. */
    static final String COLUMN_TYPES = "chunk_id text, doc_id text, chunk_index int, title text, content text,"
            + " metadata jsonb, model text, embedding vector, doc_version bigint, tenant text, acl text[],"
            + " keyword_terms tsvector, keyword_length int";

    private static final int FIELDS = 13;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final byte JSONB_VERSION = 1;
    /** PostgreSQL's object id of the type {@code text}, which an array names as its elements' type. */
    private static final int TEXT_OID = 25;

    private PgCopyRows() {
    }

    /** The whole of one {@code COPY ... FROM STDIN (FORMAT binary)}: header, one tuple per row, trailer. */
    static byte[] encode(List<EmbeddedChunk> rows, List<KeywordTerms> keywords) {
        Buffer buffer = new Buffer(rows.size() * 2_048);
        try {
            DataOutputStream out = buffer.out;
            out.write(SIGNATURE);
            out.writeInt(0); // flags: no OIDs
            out.writeInt(0); // no header extension
            for (int i = 0; i < rows.size(); i++) {
                row(buffer, rows.get(i), keywords.get(i));
            }
            out.writeShort(-1);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array takes every write
        }
        return buffer.toByteArray();
    }

    private static void row(Buffer buffer, EmbeddedChunk row, KeywordTerms keywords) throws IOException {
        Chunk chunk = row.chunk();
        DataOutputStream out = buffer.out;
        out.writeShort(FIELDS);
        text(out, row.chunkId());
        text(out, chunk.docId());
        out.writeInt(4);
        out.writeInt(chunk.chunkIndex());
        text(out, chunk.title());
        text(out, chunk.text());
        jsonb(out, PgJson.write(chunk.metadata()));
        text(out, row.model());
        vector(out, row.vector());
        out.writeInt(8);
        out.writeLong(chunk.docVersion());
        text(out, chunk.tenant());
        textArray(buffer, chunk.acl());
        int at = buffer.reserveLength();
        PgTsVector.write(keywords, out);
        buffer.fillLength(at);
        out.writeInt(4);
        out.writeInt(keywords.length());
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void jsonb(DataOutputStream out, String json) throws IOException {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        out.writeInt(1 + utf8.length);
        out.writeByte(JSONB_VERSION);
        out.write(utf8);
    }

    private static void vector(DataOutputStream out, float[] vector) throws IOException {
        out.writeInt(4 + 4 * vector.length);
        out.writeShort(vector.length);
        out.writeShort(0);
        for (float x : vector) {
            out.writeFloat(x);
        }
    }

    /** A one-dimensional {@code text[]}, starting at index 1 as PostgreSQL's arrays do; empty: no dimensions. */
    private static void textArray(Buffer buffer, List<String> values) throws IOException {
        DataOutputStream out = buffer.out;
        int at = buffer.reserveLength();
        out.writeInt(values.isEmpty() ? 0 : 1); // dimensions
        out.writeInt(0); // no NULL elements
        out.writeInt(TEXT_OID);
        if (!values.isEmpty()) {
            out.writeInt(values.size());
            out.writeInt(1); // lower bound
            for (String value : values) {
                text(out, value);
            }
        }
        buffer.fillLength(at);
    }

    /** A growing byte array that can leave room for a field's length and fill it in once the field is written. */
    private static final class Buffer extends ByteArrayOutputStream {

        final DataOutputStream out = new DataOutputStream(this);

        Buffer(int size) {
            super(size);
        }

        /** Leaves four bytes for a length; returns where they are. */
        int reserveLength() throws IOException {
            out.writeInt(0);
            return count - 4;
        }

        /** Writes, at {@code at}, the number of bytes written since the four bytes there. */
        void fillLength(int at) {
            int length = count - at - 4;
            buf[at] = (byte) (length >>> 24);
            buf[at + 1] = (byte) (length >>> 16);
            buf[at + 2] = (byte) (length >>> 8);
            buf[at + 3] = (byte) length;
        }
    }
}
