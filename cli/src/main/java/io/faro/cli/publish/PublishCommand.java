package io.faro.cli.publish;

import io.faro.core.FaroException;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.DocumentProducers;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.model.Document;
import io.faro.core.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faro publish PATH...}: publishes text and Markdown files as documents. */
@Command(name = "publish", mixinStandardHelpOptions = true, description = "Publish text and Markdown files (directories recursively) as documents.")
public final class PublishCommand implements java.util.concurrent.Callable<Integer> {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories (.md, .markdown, .txt, .text).")
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
            throw new FaroException("no .md, .markdown, .txt or .text files under " + paths);
        }
        List<Document> documents = found.stream().map(files::read).toList();
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
        String servers = kafka.bootstrapServers();
        Map<String, Object> props = DocumentProducers.properties(kafka, maxDocumentBytes, SEND_TIMEOUT);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                (topic, value) -> value)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Document document : documents) {
                // too large for a record: to S3, and a claim check in its place (or a clear refusal without S3)
                byte[] value = oversize.fit(document.id(), serializer.serialize(Topics.DOCUMENTS.name(), document));
                sent.add(producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), document.id(), value)));
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
