package io.faro.cli.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven through its own chromedriver: both are named by path, so Selenium Manager is
 * never asked to find (or download) a browser or a driver. One browser serves a whole test class; it keeps the
 * browser's console log, and writes screenshots where it is told.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String MISSING = "the console's browser test needs Chromium and its driver, " + CHROMIUM + " and "
            + CHROMEDRIVER + ": run scripts/install-test-deps.sh (on Debian or Ubuntu: apt-get install chromium"
            + " chromium-driver)";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static Browser start(Path screenshots) throws IOException {
        Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: Chromium's sandbox refuses to run as root, as tests here do
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1400", "--lang=en-US", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), screenshots);
    }

    /** Loads the page and waits until its script has wired it. */
    void open(String url) {
        driver.get(url);
        await(By.tagName("body"), body -> "true".equals(body.getDomAttribute("data-ready")));
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    WebElement await(By by, Predicate<WebElement> condition) {
        return await(by, condition, WAIT);
    }

    /** Waits until the element is there and meets the condition; the page may redraw it meanwhile. */
    WebElement await(By by, Predicate<WebElement> condition, Duration atMost) {
        AtomicReference<WebElement> found = new AtomicReference<>();
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            WebElement element = driver.findElement(by);
            found.set(element);
            return condition.test(element);
        });
        return found.get();
    }

    Object script(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Types on whatever has the focus, as a person on a keyboard does. */
    void keys(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /** The whole page, not only the window, as a PNG named {@code name} (through Chromium's DevTools protocol). */
    void screenshot(String name) throws IOException {
        Number width = (Number) script("return document.documentElement.scrollWidth");
        Number height = (Number) script("return document.documentElement.scrollHeight");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Files.write(screenshots.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** What the browser logged since the last call. */
    List<LogEntry> log(String type) {
        return driver.manage().logs().get(type).getAll();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
