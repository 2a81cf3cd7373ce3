package io.faro.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.cli.up.LocalFaro;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.devstack.testing.TestPostgres;
import io.faro.gateway.answer.OpenAiStandInAccess;
import io.faro.gateway.auth.ApiKey;
import io.faro.gateway.auth.ApiKeyFile;
import io.faro.gateway.auth.Role;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The console as a person uses it: the page in headless Chromium (Debian's {@code chromium}, driven through its
 * {@code chromedriver}), against the whole of FARO as {@code faro up} runs it: the embedded broker, a private
 * PostgreSQL, the real embedding model, the topology, both sinks (pgvector and the Qdrant stand-in), and the gateway
 * with API keys on and an OpenAI-compatible stand-in that streams its answers word by word.
 *
 * <p>Each test says what a person does and sees; a screenshot of each step goes to {@code target/console-screenshots}
 * for a person to look at. After each test, the browser's log must hold no error: no script error, no refused
 * Content-Security-Policy, no file that failed to load. Only the API's own refusals (a 401, a 404 while a document is
 * on its way) are expected there, as the page shows them itself.
 */
class ConsolePageIT {

    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration SEARCHABLE = Duration.ofSeconds(120);
    private static final String ANSWER = "A lighthouse's beam sweeps the sea at night, so sailors can find the coast"
            + " and steer clear of rocks [1]. Keepers once wound the clockwork that turned the lens [1].";
    private static final Map<String, String> DOCUMENTS = Map.of(
            "lighthouse", """
                    A lighthouse is a tower with a bright lamp at the top. Its beam sweeps across the sea at \
                    night so that sailors can find the coast and steer clear of dangerous rocks and shoals. \
                    Keepers once trimmed the wicks and wound the clockwork that turned the lens.""",
            "sourdough", """
                    Sourdough bread rises without baker's yeast. A starter of flour and water hosts wild \
                    yeasts and lactic acid bacteria; fed every day, it leavens the dough slowly.""",
            "glacier", """
                    A glacier is a slow river of ice. Snow that survives the summer is compressed into \
                    dense ice, and the mass creeps downhill, carving U-shaped valleys.""");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static OpenAiStandInAccess llm;
    private static QdrantStandIn qdrant;
    private static LocalFaro faro;
    private static Browser browser;
    private static String key;
    private static String readOnlyKey;
    private static Path files;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.installed(), Browser.MISSING);
        files = Files.createTempDirectory("faro-console-");
        key = ApiKey.mint();
        readOnlyKey = ApiKey.mint();
        Path keys = Files.writeString(files.resolve("api-keys.jsonl"), ApiKeyFile.line("console-test", key, "default",
                Set.of(Role.QUERY, Role.PUBLISH), Set.of()) + "\n" + ApiKeyFile.line("console-reader", readOnlyKey,
                "default", Set.of(Role.QUERY), Set.of()) + "\n");
        llm = new OpenAiStandInAccess();
        llm.answers(ANSWER);
        qdrant = QdrantStandIn.start();
        faro = LocalFaro.start(FaroConfig.from(Env.of(Map.ofEntries(
                Map.entry(FaroConfig.HOME, TestPostgres.tempDirOthersCanEnter("faro-console-home-").toString()),
                Map.entry(FaroConfig.KAFKA_PORT, Integer.toString(TestPostgres.freePort())),
                Map.entry(FaroConfig.PG_PORT, Integer.toString(TestPostgres.freePort())),
                Map.entry(FaroConfig.HTTP_PORT, "0"),
                Map.entry(FaroConfig.TOPIC_PARTITIONS, "1"),
                Map.entry(FaroConfig.SINK_LINGER_MS, "50"),
                Map.entry(FaroConfig.QDRANT_URL, qdrant.url()),
                Map.entry(FaroConfig.QDRANT_TIMEOUT_MS, "2000"),
                Map.entry(FaroConfig.API_KEYS_FILE, keys.toString()),
                Map.entry(FaroConfig.LLM_BASE_URL, llm.baseUrl()),
                Map.entry(FaroConfig.LLM_MODEL, "stand-in-model")))));
        for (var document : DOCUMENTS.entrySet()) {
            publish(document.getKey(), document.getValue());
        }
        await().atMost(SEARCHABLE).pollInterval(Duration.ofMillis(250)).until(() ->
                DOCUMENTS.keySet().stream().allMatch(ConsolePageIT::inEveryStore));
        browser = Browser.start(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {browser, faro, qdrant, llm}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @AfterEach
    void shouldHaveLoggedNoErrorInTheBrowser(TestInfo test) {
        assertThat(errors(browser.log(LogType.BROWSER))).as("errors in the browser's console during %s",
                test.getDisplayName()).isEmpty();
    }

    private static List<LogEntry> errors(List<LogEntry> logged) {
        return logged.stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> !refusedByTheApi(entry.getMessage()))
                .toList();
    }

    /** The API's answers the page handles and shows (Chromium logs every 4xx of a fetch as an error). */
    private static boolean refusedByTheApi(String message) {
        return message.contains(faro.gatewayUrl() + "/v1/")
                && message.contains("Failed to load resource: the server responded with a status of");
    }

    @Test
    void shouldRefuseAWrongApiKeyAndSayWhatToDo() throws IOException {
        // given the page, loaded without a key (its files are open), and a key the gateway does not know
        open();
        assertThat(browser.script("return getComputedStyle(document.querySelector('.tabs')).display"))
                .as("the style sheet applies").isEqualTo("flex");
        useKey(ApiKey.mint());

        // when the person asks a question
        ask("What does a lighthouse do?");

        // then the page says the key was refused, and what to do
        WebElement alert = browser.await(By.id("auth-alert"), WebElement::isDisplayed);
        assertThat(alert.getText()).contains("did not accept this API key").contains("401")
                .contains("Enter a valid key");
        assertThat(browser.find(By.id("ask-status")).getText()).contains("Not answered").contains("401");
        assertThat(browser.find(By.id("ask-result")).isDisplayed()).isFalse();
        browser.screenshot("01a-wrong-api-key");

        // and so it does without any key
        browser.find(By.id("key-forget")).click();
        ask("What does a lighthouse do?");
        browser.await(By.id("auth-alert"), element -> element.getText().contains("without an API key"));

        // and a key that may only read is told so when it publishes
        useKey(readOnlyKey);
        browser.find(By.id("tab-documents")).click();
        browser.find(By.id("paste-text")).sendKeys("A note the reader may not publish.");
        browser.find(By.cssSelector("#paste-form button[type=submit]")).click();
        browser.await(By.id("auth-alert"), element -> element.getText().contains("This API key may not do that (403"));
        assertThat(browser.find(By.id("auth-alert")).getText()).contains("publish");
        assertThat(browser.find(By.id("upload-status")).getText()).contains("Not published").contains("403");
        browser.screenshot("01b-read-only-key");

        // and the browser's log, read after each test, holds those refusals and nothing else that is an error
        List<LogEntry> logged = browser.log(LogType.BROWSER);
        assertThat(logged).as("the browser's log").anyMatch(entry -> refusedByTheApi(entry.getMessage())
                && entry.getMessage().contains("status of 401"));
        assertThat(logged).anyMatch(entry -> entry.getMessage().contains("status of 403"));
        assertThat(errors(logged)).isEmpty();
    }

    @Test
    void shouldStreamTheAnswerWithNumberedCitationsThatOpenTheCitedChunk() throws IOException {
        // given the page with a valid key
        open();
        useKey(key);

        // when the person asks a question
        ask("How do sailors avoid rocks near the coast at night?");

        // then the answer streams in, in several pieces, with its citations as buttons
        browser.await(By.id("ask-form"), form -> "done".equals(form.getDomAttribute("data-state")));
        assertThat(browser.find(By.id("ask-answer")).getText()).contains("beam sweeps the sea at night")
                .contains("[1]");
        assertThat(browser.find(By.id("ask-answer")).getDomAttribute("aria-live")).isEqualTo("polite");
        List<WebElement> citations = browser.findAll(By.cssSelector("#ask-answer button.cite"));
        assertThat(citations).hasSize(2).allSatisfy(cite -> assertThat(cite.getText()).isEqualTo("[1]"));
        String meta = browser.find(By.id("ask-answer-meta")).getText();
        assertThat(meta).contains("Generated by stand-in-model at 127.0.0.1");
        assertThat(pieces(meta)).as("the answer came in pieces: %s", meta).isGreaterThan(1);
        // with its sources, which store served them, whether it fell back, the shadow's overlap and the timings
        assertThat(browser.findAll(By.cssSelector("#ask-sources li")).getFirst().getText()).contains("lighthouse")
                .contains("score");
        String retrieval = browser.find(By.id("ask-retrieval")).getText();
        assertThat(retrieval).contains("Served by\nqdrant").contains("Fell back\nno").contains("Shadow overlap")
                .contains("total");
        browser.screenshot("02-streamed-answer");

        // when the person opens citation [1]
        citations.getFirst().click();

        // then the cited chunk shows: its document, where in it, its score and its text
        WebElement dialog = browser.await(By.id("chunk-dialog"), WebElement::isDisplayed);
        assertThat(dialog.getText()).contains("[1] lighthouse").contains("Document\nlighthouse").contains("Score\n0.")
                .contains("Where").contains("A lighthouse is a tower with a bright lamp");
        browser.screenshot("03-cited-chunk");

        // and Escape closes it, back on the citation
        browser.keys(Keys.ESCAPE);
        browser.await(By.id("chunk-dialog"), element -> !element.isDisplayed());
        assertThat(browser.script("return document.activeElement.classList.contains('cite')")).isEqualTo(true);

        // and from the chunk, the person reaches its document in each store
        citations.getFirst().click();
        browser.await(By.id("chunk-document"), WebElement::isDisplayed).click();
        WebElement document = browser.await(By.id("document"), element -> element.isDisplayed()
                && "lighthouse".equals(element.getDomAttribute("data-doc-id")));
        assertThat(document.findElements(By.cssSelector("#document-stores tbody tr"))).hasSize(2);
        assertThat(browser.find(By.id("panel-documents")).isDisplayed()).isTrue();
    }

    @Test
    void shouldFollowAnUploadedFileUntilEveryStoreCanSearchIt() throws IOException {
        // given the page with a valid key, on its documents tab, and a Markdown file
        open();
        useKey(key);
        browser.find(By.id("tab-documents")).click();
        Path tides = Files.writeString(files.resolve("tides.md"), """
                # Tides

                Tides rise and fall twice a day because the Moon's gravity pulls the oceans towards it, \
                and the Earth turns beneath that bulge of water. Spring tides come with full and new moons.
                """);

        // when the person uploads it
        browser.find(By.id("upload-file")).sendKeys(tides.toAbsolutePath().toString());
        browser.find(By.id("upload-title")).sendKeys("Tides");
        browser.find(By.cssSelector("#upload-form button[type=submit]")).click();

        // then it is published at once, then chunked, then searchable in each store
        browser.await(step("published"), element -> "done".equals(element.getDomAttribute("data-state")));
        browser.screenshot("04-upload-published");
        for (String store : List.of("qdrant", "pgvector")) {
            browser.await(step("store-" + store), element -> "done".equals(element.getDomAttribute("data-state")),
                    SEARCHABLE);
        }
        assertThat(browser.find(step("chunked")).getText()).contains("done").containsPattern("[1-9]\\d* chunks?");
        assertThat(browser.find(By.id("upload-status")).getText()).contains("tides.md is searchable in every store");
        // and the document's versions and chunks in both stores show, the same in each
        String published = browser.find(step("published")).getText().replaceAll("(?s).*offset (\\d+).*", "$1");
        for (String store : List.of("qdrant", "pgvector")) {
            List<WebElement> cells = browser.findAll(By.cssSelector("#document-stores tr[data-store=" + store + "] td"));
            assertThat(cells.get(0).getText()).as("%s version", store).isEqualTo(published);
            assertThat(cells.get(2).getText()).as("%s in step", store).isEqualTo("yes");
        }
        assertThat(browser.find(By.id("document-chunks")).getText()).contains("in qdrant")
                .contains("in pgvector");
        browser.screenshot("05-upload-searchable");

        // and a search finds it first
        browser.find(By.id("tab-search")).click();
        browser.find(By.id("search-query")).sendKeys("Why do the oceans rise and fall twice a day?");
        browser.find(By.id("search-top-k")).clear();
        browser.find(By.id("search-top-k")).sendKeys("3");
        browser.find(By.cssSelector("#search-form button[type=submit]")).click();
        browser.await(By.id("search-form"), form -> "done".equals(form.getDomAttribute("data-state")));
        List<WebElement> hits = browser.findAll(By.cssSelector("#search-hits li"));
        assertThat(hits).hasSizeBetween(1, 3);
        assertThat(hits.getFirst().getDomAttribute("data-doc-id")).isEqualTo("tides.md");
        assertThat(hits.getFirst().getText()).contains("Tides").contains("score");
        browser.screenshot("06-search");
    }

    @Test
    void shouldShowWhyThePipelineRefusedACorruptFileAndWhyTheGatewayRefusedAnUnknownFormat() throws IOException {
        // given the page with a valid key, on its documents tab, and a file that says it is a PDF but is none
        open();
        useKey(key);
        browser.find(By.id("tab-documents")).click();
        Path broken = Files.write(files.resolve("broken.pdf"),
                "%PDF-1.7 this is no PDF\n".getBytes(StandardCharsets.US_ASCII));

        // when the person uploads it
        browser.find(By.id("upload-file")).sendKeys(broken.toAbsolutePath().toString());
        browser.find(By.cssSelector("#upload-form button[type=submit]")).click();

        // then it is published, and then refused, at a stage of the pipeline and with its reason
        WebElement refused = browser.await(step("rejected"), element ->
                "failed".equals(element.getDomAttribute("data-state")), SEARCHABLE);
        assertThat(refused.getText()).contains("Refused at the");
        assertThat(refused.getDomAttribute("data-detail")).isNotBlank();
        assertThat(browser.find(By.id("upload-status")).getText()).contains("The pipeline refused broken.pdf");
        assertThat(browser.find(By.id("document-rejection")).getText()).contains("refused at the")
                .contains(refused.getDomAttribute("data-detail"));
        browser.screenshot("07-rejected-by-the-pipeline");

        // and a file in a format FARO does not take is refused by the gateway at once, saying which it takes
        Path archive = Files.write(files.resolve("archive.zip"), new byte[] {'P', 'K', 3, 4, 0, 0});
        browser.find(By.id("upload-file")).sendKeys(archive.toAbsolutePath().toString());
        browser.find(By.cssSelector("#upload-form button[type=submit]")).click();
        WebElement status = browser.await(By.id("upload-status"), element -> element.getText().contains("415"));
        assertThat(status.getText()).contains("Not published").contains("application/pdf");
        browser.screenshot("08-refused-by-the-gateway");
    }

    @Test
    void shouldLabelEveryControlKeepTextReadableAndWorkFromTheKeyboard() throws IOException {
        // given the page with a valid key
        open();
        useKey(key);

        // then every control has a name a screen reader reads, and every text its contrast
        assertThat(browser.script(Accessibility.UNNAMED_CONTROLS)).as("controls without a name").isEqualTo(List.of());
        assertThat(browser.script(Accessibility.LOW_CONTRAST_TEXT)).as("text below 4.5:1").isEqualTo(List.of());

        // when the person tabs into the freshly loaded page, the skip link comes first
        browser.open(faro.gatewayUrl() + "/");
        browser.keys(Keys.TAB);
        assertThat(browser.script("return document.activeElement.className")).isEqualTo("skip");

        // and on the tabs, the arrow keys move between them
        browser.find(By.id("tab-ask")).click();
        browser.keys(Keys.ARROW_RIGHT);
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("tab-search");
        assertThat(browser.find(By.id("panel-search")).isDisplayed()).isTrue();
        assertThat(browser.find(By.id("panel-ask")).isDisplayed()).isFalse();

        // and a search runs from the keyboard alone: Tab to the query, type, Enter
        browser.keys(Keys.TAB);
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("search-query");
        browser.keys("glacier valleys", Keys.ENTER);
        browser.await(By.id("search-form"), form -> "done".equals(form.getDomAttribute("data-state")));
        assertThat(browser.findAll(By.cssSelector("#search-hits li")).getFirst().getDomAttribute("data-doc-id"))
                .isEqualTo("glacier");
        assertThat(browser.script(Accessibility.LOW_CONTRAST_TEXT)).as("text below 4.5:1, with hits").isEqualTo(List.of());
        browser.screenshot("09-keyboard-search");
    }

    // ---------------------------------------------------------------- helpers

    private static void open() {
        browser.open(faro.gatewayUrl() + "/");
        // a key from the last test stays in the tab's session: forget it
        browser.find(By.id("key-forget")).click();
    }

    private static void useKey(String apiKey) {
        browser.find(By.id("api-key")).sendKeys(apiKey, Keys.ENTER);
        browser.await(By.id("key-state"), state -> state.getText().contains("A key is set"));
    }

    private static void ask(String question) {
        WebElement field = browser.find(By.id("ask-question"));
        field.clear();
        field.sendKeys(question);
        browser.find(By.cssSelector("#ask-form button[type=submit]")).click();
    }

    private static By step(String id) {
        return By.cssSelector("#progress-steps li[data-step=\"" + id + "\"]");
    }

    private static int pieces(String meta) {
        Matcher matcher = Pattern.compile("streamed in (\\d+) piece").matcher(meta);
        assertThat(matcher.find()).as(meta).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static void publish(String id, String text) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(faro.gatewayUrl() + "/v1/documents"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
                        Map.of("id", id, "title", id, "text", text)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static boolean inEveryStore(String id) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create(faro.gatewayUrl() + "/v1/documents/" + id)).header("Authorization", "Bearer " + key)
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            JsonNode stores = Json.mapper().readTree(response.body()).get("stores");
            boolean current = stores.size() == 2;
            for (JsonNode store : stores) {
                current &= store.path("current").asBoolean();
            }
            return current;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The page's scripts that check what a screen reader and a reader with low vision need. */
    private static final class Accessibility {

        /** Inputs, selects, text areas and buttons without an accessible name. */
        static final String UNNAMED_CONTROLS = """
                return [...document.querySelectorAll('input, select, textarea, button')]
                  .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label')
                      && !c.getAttribute('aria-labelledby') && !(c.tagName === 'BUTTON' && c.textContent.trim()))
                  .map(c => c.id || c.outerHTML);
                """;

        /**
         * Visible text whose contrast with the background behind it is below 4.5:1 (WCAG 2.2, 1.4.3), with the
         * relative luminance of WCAG; the background is the nearest opaque one among the element and its ancestors.
         */
        static final String LOW_CONTRAST_TEXT = """
                const rgb = s => s.match(/[\\d.]+/g).map(Number);
                const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
                    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
                const background = e => { for (; e; e = e.parentElement) {
                    const c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) { return c; } }
                  return [255, 255, 255]; };
                const low = [];
                for (const e of document.querySelectorAll('body *')) {
                  const text = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                  if (!text || !e.checkVisibility() || e.closest('.visually-hidden')) { continue; }
                  const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
                  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                  if (ratio < 4.5) { low.push(`${e.tagName}#${e.id}.${e.className}: ${ratio.toFixed(2)}`); }
                }
                return low;
                """;

        private Accessibility() {
        }
    }
}
