package dev.wharf.testing;

import dev.wharf.oci.ScratchFolder;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's chromium driven by its chromedriver, headless, for the UI walks of both programs. */
public final class HeadlessChromium {
    private HeadlessChromium() {
    }

    /**
     * A fresh browser whose console is recorded; under CI a missing chromium or driver fails the test.
     * Its profile and its temporary files (chromium leaves a singleton-socket folder in {@code TMPDIR}
     * at every quit) live in one folder of their own, removed by {@link ChromeDriver#quit()}.
     */
    public static ChromeDriver start() throws IOException {
        Path chromium = RequiredTool.require("chromium", "chromium");
        Path driver = RequiredTool.require("chromedriver", "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // As root, chromium runs only without its sandbox.
        Path scratch = Files.createTempDirectory("wharf-chromium-");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + scratch.resolve("profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort()
                .withEnvironment(Map.of("TMPDIR", scratch.toString())).build();
        return new ChromeDriver(service, options) {
            @Override
            public void quit() {
                try {
                    super.quit();
                } finally {
                    ScratchFolder.deleteTree(scratch);
                }
            }
        };
    }

    /** What the console said at warning level or above since the last call. */
    public static List<LogEntry> consoleErrors(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    /** The page as a person saw it, kept as target/ui-screenshots/NAME.png. */
    public static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path target = Files.createDirectories(Path.of("target", "ui-screenshots"));
        Files.write(target.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    /**
     * Sends a form to {@code action} from a page of no site at all (a data: URL, whose origin is
     * opaque), as another site's page would: Chromium marks it {@code Sec-Fetch-Site: cross-site}
     * and {@code Origin: null}. Waits until the browser has left that page.
     */
    public static void postFromAnotherSite(ChromeDriver browser, URI action, Map<String, String> fields) {
        StringBuilder page = new StringBuilder("<!DOCTYPE html><title>Another site</title><form method=\"post\" action=\"")
                .append(action).append("\">");
        fields.forEach((name, value) -> page.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(value).append("\">"));
        page.append("<button id=\"send\" type=\"submit\">Win a prize</button></form>");
        browser.get("data:text/html;charset=utf-8," + URLEncoder.encode(page.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
        browser.findElement(By.id("send")).click();
        waitFor(browser, () -> browser.getCurrentUrl().startsWith(action.getScheme() + ":"));
    }

    /**
     * Where the first and last characters of {@code words} (in a text node inside {@code element}) are drawn,
     * from the left: a first left of the last reads left to right. Null when no text node holds them.
     */
    @SuppressWarnings("unchecked")
    public static @org.jspecify.annotations.Nullable List<Number> drawnAt(ChromeDriver browser, org.openqa.selenium.WebElement element,
            String words) {
        String script = "const [root, words] = arguments; const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);"
                + " for (let n = walk.nextNode(); n; n = walk.nextNode()) { const i = n.data.indexOf(words); if (i < 0) continue;"
                + " const r = document.createRange(); const left = k => { r.setStart(n, k); r.setEnd(n, k + 1); return r.getBoundingClientRect().left; };"
                + " return [left(i), left(i + words.length - 1)]; } return null;";
        return (List<Number>) browser.executeScript(script, element, words);
    }

    public static void waitFor(ChromeDriver browser, BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> condition.getAsBoolean());
    }
}
