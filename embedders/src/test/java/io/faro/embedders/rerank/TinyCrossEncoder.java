package io.faro.embedders.rerank;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A cross-encoder small enough to write in a test: an ONNX graph with a BERT cross-encoder's inputs
 * ({@code input_ids}, {@code attention_mask}) and output ({@code logits}, one per pair), whose logit is
 * {@code 3 - 0.1 * tokens} of the question and passage together, so shorter passages score higher; and a word-level
 * tokenizer in Hugging Face's {@code tokenizer.json} format. It is no language model, but ONNX Runtime, the
 * tokenizer and LangChain4j's scoring model run on it exactly as on a real one, so the loading, the pair encoding,
 * the padding and the reading of the logits are exercised without a model download.
 */
final class TinyCrossEncoder {

    static final double BIAS = 3.0;
    static final double PER_TOKEN = -0.1;

    private TinyCrossEncoder() {
    }

    /** The sigmoid of the logit for a question and passage of {@code tokens} words together. */
    static double score(int tokens) {
        return 1 / (1 + Math.exp(-(BIAS + PER_TOKEN * tokens)));
    }

    /** Writes {@code model.onnx} and {@code tokenizer.json} into {@code dir}. */
    static void write(Path dir, List<String> vocabulary) throws IOException {
        Files.write(dir.resolve("model.onnx"), model());
        StringBuilder vocab = new StringBuilder("\"[PAD]\": 0, \"[UNK]\": 1");
        for (int i = 0; i < vocabulary.size(); i++) {
            vocab.append(", \"").append(vocabulary.get(i)).append("\": ").append(i + 2);
        }
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [
                   {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false,
                    "normalized": false, "special": true},
                   {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false,
                    "normalized": false, "special": true}],
                 "normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "Whitespace"},
                 "post_processor": null, "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "[UNK]"}}
                """.formatted(vocab));
    }

    // ONNX's protobuf messages, written field by field (onnx.proto: ModelProto, GraphProto, NodeProto, ...)

    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_INTS = 7;

    private static byte[] model() {
        Message graph = new Message()
                .message(1, node("Cast", List.of("attention_mask"), "mask", cast()))
                .message(1, node("ReduceSum", List.of("mask"), "tokens", axes(), keepDims()))
                .message(1, node("Mul", List.of("tokens", "per_token"), "scaled"))
                .message(1, node("Add", List.of("scaled", "bias"), "biased"))
                // input_ids take part, weighing nothing, as every graph input must be read
                .message(1, node("Cast", List.of("input_ids"), "ids", cast()))
                .message(1, node("Mul", List.of("ids", "zero"), "no_ids"))
                .message(1, node("ReduceSum", List.of("no_ids"), "nothing", axes(), keepDims()))
                .message(1, node("Add", List.of("biased", "nothing"), "logits"))
                .string(2, "tiny-cross-encoder")
                .message(5, scalar("per_token", (float) PER_TOKEN))
                .message(5, scalar("bias", (float) BIAS))
                .message(5, scalar("zero", 0f))
                .message(11, valueInfo("input_ids", INT64, "batch", "sequence"))
                .message(11, valueInfo("attention_mask", INT64, "batch", "sequence"))
                .message(12, valueInfo("logits", FLOAT, "batch", null));
        return new Message()
                .varint(1, 6) // IR version 6
                .string(2, "faro-test")
                .message(7, graph)
                .message(8, new Message().string(1, "").varint(2, 11)) // the default domain, opset 11
                .bytes();
    }

    private static Message node(String op, List<String> inputs, String output, Message... attributes) {
        Message node = new Message();
        inputs.forEach(input -> node.string(1, input));
        node.string(2, output).string(3, output).string(4, op);
        for (Message attribute : attributes) {
            node.message(5, attribute);
        }
        return node;
    }

    private static Message cast() {
        return new Message().string(1, "to").varint(3, FLOAT).varint(20, ATTRIBUTE_INT);
    }

    private static Message axes() {
        return new Message().string(1, "axes").varint(8, 1).varint(20, ATTRIBUTE_INTS);
    }

    private static Message keepDims() {
        return new Message().string(1, "keepdims").varint(3, 1).varint(20, ATTRIBUTE_INT);
    }

    private static Message scalar(String name, float value) {
        byte[] raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
        return new Message().varint(2, FLOAT).string(8, name).raw(9, raw);
    }

    /** A tensor's name, element type and shape: two dimensions, each named (any size), or 1 when unnamed. */
    private static Message valueInfo(String name, int elementType, String first, String second) {
        Message shape = new Message()
                .message(1, new Message().string(2, first))
                .message(1, second == null ? new Message().varint(1, 1) : new Message().string(2, second));
        Message tensor = new Message().varint(1, elementType).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensor));
    }

    /** Protocol buffers' wire format: varints and length-delimited fields. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Message string(int field, String value) {
            return raw(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return raw(field, value.bytes());
        }

        Message raw(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void writeVarint(long value) {
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                out.write((int) ((rest & 0x7F) | 0x80));
                rest >>>= 7;
            }
            out.write((int) rest);
        }
    }
}
