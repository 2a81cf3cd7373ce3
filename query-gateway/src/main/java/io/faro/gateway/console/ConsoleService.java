package io.faro.gateway.console;

import io.faro.gateway.http.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console: {@code GET /} is a page for trying FARO in a browser (ask and watch the answer stream in, search,
 * upload a document and follow it until it is searchable), {@code GET /console/{file}} its script, style and icon.
 * The page holds no data and needs no key to load; everything it shows comes from the public API, called by the
 * browser with the key the person gives it, through authentication like any other caller.
 *
 * <p>The files are plain HTML, CSS and JavaScript modules, read once at start-up from {@link #RESOURCES} on the class
 * path, from the fixed list {@link #FILES}: a missing one stops the gateway rather than failing one visitor, and no
 * path from a request ever reaches the class loader. The Content-Security-Policy lets the page load only its own
 * files and talk only to its own origin, so a document's text shown in it cannot run as script.
 */
public final class ConsoleService implements HttpService {

    public static final String PAGE = "/";
    public static final String FILE_PREFIX = "/console/";
    static final String RESOURCES = "META-INF/console/";
    static final String INDEX = "index.html";
    /** Every file the console serves, and its media type. */
    static final Map<String, String> FILES = files();
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record File(String mediaType, byte[] bytes) {
    }

    private final Map<String, File> files;

    private ConsoleService(Map<String, File> files) {
        this.files = files;
    }

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        String script = "text/javascript; charset=utf-8";
        files.put(INDEX, "text/html; charset=utf-8");
        files.put("console.css", "text/css; charset=utf-8");
        files.put("faro.svg", "image/svg+xml");
        for (String module : new String[] {"console.js", "api.js", "events.js", "view.js", "retrieval.js", "ask.js",
                "search.js", "documents.js"}) {
            files.put(module, script);
        }
        return Map.copyOf(files);
    }

    /** Reads every file of the console once. */
    public static ConsoleService load() {
        Map<String, File> files = new LinkedHashMap<>();
        FILES.forEach((name, mediaType) -> files.put(name, new File(mediaType, read(RESOURCES + name))));
        return new ConsoleService(Map.copyOf(files));
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleService.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PAGE, (request, response) -> send(response, files.get(INDEX)))
                .get(FILE_PREFIX + "*", this::file);
    }

    private void file(ServerRequest request, ServerResponse response) {
        String name = request.path().absolute().path().substring(FILE_PREFIX.length());
        send(response, Optional.ofNullable(files.get(name)).filter(file -> !name.equals(INDEX)).orElseThrow(() ->
                new ProblemException(404, "/problems/not-found", "Not found", "the console has no file '" + name
                        + "'; it starts at " + PAGE)));
    }

    private static void send(ServerResponse response, File file) {
        response.header(HeaderNames.CONTENT_TYPE, file.mediaType());
        // small files that change with each FARO release: always revalidated, never stale after an upgrade
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
        response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        response.send(file.bytes());
    }
}
