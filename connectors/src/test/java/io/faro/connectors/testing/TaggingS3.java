package io.faro.connectors.testing;

import io.faro.s3.testing.S3Forwarding;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Object tagging for the S3 server of the tests, which S3Proxy lacks (it answers 501): a small HTTP server in front
 * of it that answers S3's tagging calls itself ({@code GET}, {@code PUT} and {@code DELETE ?tagging}, with S3's
 * XML, and the {@code x-amz-tagging} header of a {@code PutObject}), keeps the tags in memory, forgets them when
 * the object is written again or deleted (as S3 does), and passes every other request on unchanged.
 */
public final class TaggingS3 implements AutoCloseable {

    private static final String TAGGING_HEADER = "x-amz-tagging";

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();

    private TaggingS3(URI upstream, HttpServer server) {
        this.upstream = upstream;
        this.server = server;
    }

    /** In front of the S3 server at {@code upstream} (a {@code TestS3}'s endpoint, so its faults still apply). */
    public static TaggingS3 start(URI upstream) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            TaggingS3 tagging = new TaggingS3(upstream, server);
            server.createContext("/", tagging::handle);
            server.setExecutor(tagging.threads);
            server.start();
            return tagging;
        } catch (IOException e) {
            throw new IllegalStateException("the tagging server did not start", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String object = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean tagging = query != null && List.of(query.split("&")).stream()
                    .anyMatch(part -> part.equals("tagging") || part.startsWith("tagging="));
            if (tagging) {
                answerTagging(exchange, object, body);
                return;
            }
            String method = exchange.getRequestMethod();
            boolean objectWrite = method.equals("PUT") && query == null && object.indexOf('/', 1) > 0;
            if (objectWrite || method.equals("DELETE") && query == null) {
                tags.remove(object);
            }
            String header = exchange.getRequestHeaders().getFirst(TAGGING_HEADER);
            if (objectWrite && header != null) {
                tags.put(object, parseQuery(header));
            }
            forward(exchange, body);
        }
    }

    private void answerTagging(HttpExchange exchange, String object, byte[] body) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>");
                tags.getOrDefault(object, Map.of()).forEach((key, value) -> xml.append("<Tag><Key>").append(escape(key))
                        .append("</Key><Value>").append(escape(value)).append("</Value></Tag>"));
                xml.append("</TagSet></Tagging>");
                byte[] answer = xml.toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
            case "PUT" -> {
                tags.put(object, parseXml(body));
                exchange.sendResponseHeaders(200, -1);
            }
            case "DELETE" -> {
                tags.remove(object);
                exchange.sendResponseHeaders(204, -1);
            }
            default -> exchange.sendResponseHeaders(405, -1);
        }
    }

    private static Map<String, String> parseXml(byte[] body) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            var document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            NodeList list = document.getElementsByTagNameNS("*", "Tag");
            Map<String, String> parsed = new LinkedHashMap<>();
            for (int i = 0; i < list.getLength(); i++) {
                Element tag = (Element) list.item(i);
                parsed.put(tag.getElementsByTagNameNS("*", "Key").item(0).getTextContent(),
                        tag.getElementsByTagNameNS("*", "Value").item(0).getTextContent());
            }
            return parsed;
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("not a Tagging document", e);
        }
    }

    private static Map<String, String> parseQuery(String header) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String pair : header.split("&")) {
            int eq = pair.indexOf('=');
            parsed.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parsed;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        S3Forwarding.forward(client, upstream, exchange, body, Set.of(TAGGING_HEADER));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        client.close();
    }
}
