package io.faro.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.PrimitiveArrayDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Vectors in JSON as base64 of their little-endian float32 values, instead of one decimal number per
 * value. A vector crosses several topics and state stores on its way to a store, and is written and read
 * on each hop: formatting and parsing 384 decimal floats each time was 6 % of the pipeline's CPU and the
 * main cost of a rebuild, and the text is twice the size. Reading also accepts the JSON array of numbers
 * that FARO wrote before, so topics written then still replay.
 */
public final class BinaryVectors {

    private BinaryVectors() {
    }

    /** The Jackson module that reads and writes every {@code float[]} this way. */
    public static SimpleModule module() {
        return new SimpleModule("faro-binary-vectors")
                .addSerializer(float[].class, new Writer())
                .addDeserializer(float[].class, new Reader());
    }

    static byte[] toBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] fromBytes(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    private static final class Writer extends StdSerializer<float[]> {

        Writer() {
            super(float[].class);
        }

        @Override
        public void serialize(float[] vector, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeBinary(toBytes(vector));
        }
    }

    private static final class Reader extends StdDeserializer<float[]> {

        @SuppressWarnings("unchecked")
        private static final JsonDeserializer<float[]> NUMBERS =
                (JsonDeserializer<float[]>) PrimitiveArrayDeserializers.forType(Float.TYPE);

        Reader() {
            super(float[].class);
        }

        @Override
        public float[] deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return NUMBERS.deserialize(parser, context);
            }
            byte[] bytes = parser.getBinaryValue();
            if (bytes.length % Float.BYTES != 0) {
                return (float[]) context.handleWeirdStringValue(float[].class, parser.getText(),
                        "a vector of float32 values has a multiple of 4 bytes, not %d", bytes.length);
            }
            return fromBytes(bytes);
        }
    }
}
