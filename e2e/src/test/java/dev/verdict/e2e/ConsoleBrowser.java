package dev.verdict.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver} packages) driven
 * through chromedriver, for the console's tests. A machine without them fails the test with the
 * command that installs them: a browser test that skips itself silently would prove nothing.
 */
final class ConsoleBrowser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getProperty("verdict.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("verdict.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Service.root().resolve("e2e/target/console-screenshots");

    final ChromeDriver driver;
    private final Path profile;

    private ConsoleBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static ConsoleBrowser start() throws IOException {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: the console's browser tests need Chromium and its"
                        + " driver. Install them with: apt-get install -y chromium chromium-driver (.ci/run does), or point"
                        + " -Dverdict.chromium and -Dverdict.chromedriver at them.");
            }
        }
        Path profile = Files.createTempDirectory("verdict-console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL); // what the page's console says, for the "no errors" check
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
        return new ConsoleBrowser(driver, profile);
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for a condition on the page (the console updates asynchronously); fails with what was awaited. */
    <T> T await(String what, Duration atMost, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, atMost, Duration.ofMillis(100)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Clicks the element, finding it again if a live update redrew it in between (they come every second or so). */
    void click(String css, Duration atMost) {
        await("to click " + css, atMost, d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    /** A key pressed wherever the focus is, as a keyboard user does: no element to go stale. */
    void press(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
    }

    /** The element's text once it contains {@code text}. */
    String awaitText(String css, String text, Duration atMost) {
        return await(css + " shows '" + text + "'", atMost, d -> d.findElements(By.cssSelector(css)).stream()
                .map(WebElement::getText).filter(t -> t.contains(text)).findFirst().orElse(null));
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** A PNG of the whole page (not only the window) under e2e/target/console-screenshots/. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Dimension window = driver.manage().window().getSize();
            Number height = (Number) script("return document.documentElement.scrollHeight");
            size(window.getWidth(), Math.max(window.getHeight(), Math.min(height.intValue() + 140, 4000)));
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            size(window.getWidth(), window.getHeight());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the page logged at level SEVERE (script errors, failed requests) since the last call. */
    List<String> severeLogs() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
