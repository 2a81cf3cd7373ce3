package io.faro.cli.publish;

import io.faro.core.FaroException;
import io.faro.core.access.AccessScope;
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
 * files as their bytes inline, each record within {@code FARO_MAX_DOCUMENT_BYTES}; with {@code FARO_S3_BUCKET} set,
 * a file too large for a record is uploaded to S3 and published as a claim check. {@code --tenant} and {@code --acl}
 * say who may see them; each record is keyed by the document's key (its id, after its tenant outside the default).
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

    @Option(names = "--tenant", paramLabel = "NAME", description = "The tenant the documents belong to (default: "
            + AccessScope.DEFAULT_TENANT + "). Only callers of this tenant see them.")
    String tenant = AccessScope.DEFAULT_TENANT;

    @Option(names = "--acl", paramLabel = "GROUP", split = ",", description = "Groups that may see the documents within"
            + " their tenant (comma-separated, or repeated; default: the whole tenant).")
    List<String> acl = List.of();

    @Override
    public Integer call() {
        FaroConfig config = FaroConfig.fromEnv();
        KafkaSettings kafka = bootstrap != null ? config.kafka().withBootstrap(bootstrap) : config.kafka();
        DocumentFiles files = new DocumentFiles(Path.of(""));
        List<Path> found = files.expand(paths);
        if (found.isEmpty()) {
            throw new FaroException("no " + String.join(", ", DocumentFiles.extensions()) + " files under " + paths);
        }
        List<Document> documents;
        try {
            documents = found.stream().map(files::read).map(document -> document.withAccess(tenant, acl)).toList();
        } catch (IllegalArgumentException e) {
            throw new FaroException("--tenant or --acl: " + e.getMessage(), e);
        }
        try (ClaimCheckPublishing oversize = ClaimCheckPublishing.of(config)) {
            publish(kafka, config.maxDocumentBytes(), documents, oversize);
        }
        System.out.printf("published %d document(s) to %s at %s%n", documents.size(), Topics.DOCUMENTS.name(),
                kafka.bootstrapServers());
        return 0;
    }

    static void publish(KafkaSettings kafka, int maxDocumentBytes, List<Document> documents,
                        ClaimCheckPublishing oversize) {
        var serializer = JsonSerde.of(Document.class).serializer();
        // every record is made before the first is sent: a directory goes in whole or not at all. One too large
        // for a record goes to S3 and its claim check takes its place (or, without S3, it stops here, saying so).
        List<byte[]> values = new ArrayList<>(documents.size());
        for (Document document : documents) {
            // a claim check's object is named after the tenant too: one tenant's file never replaces another's
            String name = AccessScope.DEFAULT_TENANT.equals(document.tenant()) ? document.id()
                    : document.tenant() + "/" + document.id();
            values.add(oversize.fit(name, serializer.serialize(Topics.DOCUMENTS.name(), document)));
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
                sent.add(producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), documents.get(i).key(),
                        values.get(i))));
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
