package io.faro.cli.publish;

import io.faro.core.FaroException;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.model.Document;
import io.faro.core.topic.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faro publish PATH...}: publishes files as documents: text and Markdown as text, PDF, Office and HTML
 * files as their bytes inline, each record within {@code FARO_MAX_DOCUMENT_BYTES}.
 */
@Command(name = "publish", mixinStandardHelpOptions = true, description = "Publish documents (directories recursively): "
        + "PDF, Word, PowerPoint, Excel, HTML, Markdown and text files.")
public final class PublishCommand implements java.util.concurrent.Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories (.pdf, .docx, .pptx, .xlsx, "
            + ".html, .htm, .xhtml, .md, .markdown, .txt, .text).")
    List<Path> paths;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: FARO_KAFKA_BOOTSTRAP, else localhost:FARO_KAFKA_PORT).")
    String bootstrap;

    @Override
    public Integer call() {
        FaroConfig config = FaroConfig.fromEnv();
        KafkaSettings kafka = bootstrap != null ? config.kafka().withBootstrap(bootstrap) : config.kafka();
        DocumentFiles files = new DocumentFiles(Path.of(""));
        List<Path> found = files.expand(paths);
        if (found.isEmpty()) {
            throw new FaroException("no " + String.join(", ", DocumentFiles.extensions()) + " files under " + paths);
        }
        for (Path file : found) {
            long size = size(file);
            if (size > config.maxDocumentBytes()) {
                throw oversized(files.idOf(file), size, "bytes", config.maxDocumentBytes());
            }
        }
        List<Document> documents = found.stream().map(files::read).toList();
        publish(kafka, config.maxDocumentBytes(), documents);
        System.out.printf("published %d document(s) to %s at %s%n", documents.size(), Topics.DOCUMENTS.name(),
                kafka.bootstrapServers());
        return 0;
    }

    /** A file too large for one record: the way out is a claim check in S3. */
    static FaroException oversized(String id, long size, String what, int maxDocumentBytes) {
        return new FaroException(id + " is " + size + " " + what + ", over FARO_MAX_DOCUMENT_BYTES=" + maxDocumentBytes
                + " (a file sent inline grows by a third in base64). Set FARO_S3_BUCKET so that faro publish uploads "
                + "large files to S3 and publishes a claim check (content_ref) instead, or raise the limit");
    }

    private static long size(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            throw new FaroException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static void publish(KafkaSettings kafka, int maxDocumentBytes, List<Document> documents) {
        var serializer = JsonSerde.of(Document.class).serializer();
        // every record is checked before the first is sent: a directory goes in whole or not at all
        List<byte[]> values = new ArrayList<>(documents.size());
        for (Document document : documents) {
            byte[] value = serializer.serialize(Topics.DOCUMENTS.name(), document);
            if (value.length > maxDocumentBytes) {
                throw oversized(document.id(), value.length, "bytes as JSON", maxDocumentBytes);
            }
            values.add(value);
        }
        String servers = kafka.bootstrapServers();
        Map<String, Object> props = kafka.clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(Topics.documentRecordBytes(maxDocumentBytes), 1_048_576),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                (topic, value) -> value)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < documents.size(); i++) {
                sent.add(producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), documents.get(i).id(), values.get(i))));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaroException("interrupted while publishing", e);
        } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new FaroException("cannot publish to Kafka at " + servers + ": " + cause.getMessage()
                    + ". Is FARO running (./faro up)?", e);
        }
    }
}
