package dev.wharf.epr.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.ChromiumWalks;
import dev.wharf.testing.HeadlessChromium;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * package-registry's {@code /ui/} in Debian's headless Chromium, driven by Selenium through
 * chromium-driver as a person would use it: links followed, forms typed into, what the page shows
 * asserted, the console checked for errors, and a screenshot of each walk under target/.
 */
class PackageUiBrowserTest extends ChromiumWalks {
    @TempDir
    static Path dir;
    private static UiPackages packages;
    private static URI open;
    private static URI guarded;

    PackageUiBrowserTest() {
        super(Ui.PACKAGES);
    }

    @BeforeAll
    static void start() throws Exception {
        packages = new UiPackages(dir);
        open = packages.serve(false);
        guarded = packages.serve(true);
    }

    @AfterAll
    static void stop() {
        packages.close();
    }

    @Test
    void packagesSearchAPackageWithItsReadmeAndDataStreamsThenTheIndexHealth() throws Exception {
        browser.get(open.resolve("/ui/").toString());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Packages");
        assertThat(browser.findElement(By.cssSelector("label[for=q]")).getText()).contains("Search packages");
        new Select(browser.findElement(By.id("type"))).selectByVisibleText("integration");
        browser.findElement(By.id("q")).sendKeys("web servers", Keys.ENTER);
        waitFor(() -> browser.getCurrentUrl().contains("q=web"));
        List<String> found = browser.findElements(By.cssSelector("main table tbody td:first-child > a")).stream().map(WebElement::getText).toList();
        assertThat(found).containsExactly("acme_logs");
        List<String> versions = browser.findElements(By.cssSelector("main table tbody ul.versions a")).stream().map(WebElement::getText).toList();
        assertThat(versions).containsExactly("1.2.0-beta1", "1.1.0", "1.0.0");

        browser.findElement(By.linkText("1.1.0")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/packages/acme_logs/1.1.0"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Acme Logs 1.1.0");
        assertThat(browser.findElement(By.cssSelector(".readme h1")).getText()).isEqualTo("Acme Logs 1.1.0");
        List<String> stream = browser.findElements(By.cssSelector("#data-streams tbody td")).stream().map(WebElement::getText).toList();
        assertThat(stream).containsExactly("Access", "logs", "acme_logs.access");
        assertThat(browser.findElement(By.cssSelector(".sig")).getText()).isEqualTo("signed");
        assertThat(browser.findElement(By.linkText("signature (.sig)")).getAttribute("href")).endsWith("/epr/acme_logs/acme_logs-1.1.0.zip.sig");
        assertStyledAndClean("packages-search-package");

        browser.findElement(By.linkText("Index health")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/health"));
        assertThat(browser.findElement(By.cssSelector("#left-out tbody")).getText()).contains("broken_pkg/1.0.0", "no readme file found");
        assertStyledAndClean("index-health");
    }

    /**
     * A package's own HTML page, SVG and a file sniffed as HTML are served on the UI's origin: their
     * script had run there (the page read /ui/). Opened in the browser, none runs.
     */
    @Test
    void aPackagesOwnPagesRunNoScriptOnTheRegistrysOrigin() {
        browser.get(guarded.resolve("/package/hostile_pkg/1.0.0/docs/active.html").toString());
        assertThat(browser.findElement(By.tagName("p")).getText()).isEqualTo("text");
        assertThat(browser.getTitle()).isEqualTo("Active");
        browser.get(guarded.resolve("/package/hostile_pkg/1.0.0/docs/NOTICE").toString());
        assertThat(browser.getTitle()).isEqualTo("Notice");
        browser.get(guarded.resolve("/package/hostile_pkg/1.0.0/img/active.svg").toString());
        assertThat(browser.findElements(By.tagName("rect"))).hasSize(1);
        assertThat(((JavascriptExecutor) browser).executeScript("return document.documentElement.getAttribute('data-pwned')")).isNull();
        assertThat(consoleErrors()).isNotEmpty().allSatisfy(e -> assertThat(e.getMessage()).containsIgnoringCase("sandbox"));
    }

    @Test
    void signInWithATokenOfTheTokensFile() throws Exception {
        // Another site's form with a valid token (login CSRF) is refused, and signs nobody in.
        HeadlessChromium.postFromAnotherSite(browser, guarded.resolve("/ui/sign-in"),
                Map.of("token", UiPackages.TOKEN, "next", "/ui/packages/acme_logs/1.1.0"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Refused");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("sent from another site", "Nothing changed");
        assertThat(consoleErrors()).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/sign-in").contains("403"));
        browser.get(guarded.resolve("/ui/packages/acme_logs/1.1.0").toString());
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in");
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("acme");

        browser.findElement(By.id("token")).sendKeys("not-the-token", Keys.ENTER);
        waitFor(() -> !browser.findElements(By.id("sign-in-error")).isEmpty());
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("not accepted");

        browser.findElement(By.id("token")).sendKeys(UiPackages.TOKEN);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/packages/acme_logs/1.1.0"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Acme Logs 1.1.0");
        // HttpOnly: no script of the page can read the token.
        assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie")).isEqualTo("");
        // The one error expected is the refused wrong token (a 401 answer); nothing else.
        assertThat(consoleErrors()).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/sign-in").contains("401"));
        screenshot("sign-in");
        // Nor does another site's form sign this visitor out.
        HeadlessChromium.postFromAnotherSite(browser, guarded.resolve("/ui/sign-out"), Map.of());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Refused");
        assertThat(consoleErrors()).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/sign-out").contains("403"));
        browser.get(guarded.resolve("/ui/packages/acme_logs/1.1.0").toString());
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/packages/acme_logs/1.1.0"));
        browser.findElement(By.cssSelector("form.sign-out button")).click();
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
        browser.get(guarded.resolve("/ui/health").toString());
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
    }

    /** A README's screenshot, named relative to the package as packages name it, shows on the package page. */
    @Test
    void aReadmesRelativeScreenshotsShow() throws Exception {
        browser.get(open.resolve("/ui/packages/screens/1.0.0").toString());
        String loaded = "return Array.from(document.querySelectorAll('.readme img')).filter(i => !i.src.includes('evil'))"
                + ".map(i => i.complete ? i.naturalWidth : -1);";
        waitFor(() -> !((List<?>) ((JavascriptExecutor) browser).executeScript(loaded)).contains(-1L));
        @SuppressWarnings("unchecked")
        List<Number> widths = (List<Number>) ((JavascriptExecutor) browser).executeScript(loaded);
        screenshot("readme-screenshots");
        assertThat(widths).as("naturalWidth of each screenshot").hasSize(2).allSatisfy(w -> assertThat(w.intValue()).isPositive());
    }

    /** The 404 page names the package asked for: a name ending in a right-to-left override had drawn the version after it backwards. */
    @Test
    void aPackageNameAskedForEndingInARightToLeftOverrideDoesNotTurnThe404Round() throws Exception {
        browser.get(open.resolve("/ui/packages/nothing%E2%80%AE/1.2.3").toString());
        WebElement message = browser.findElement(By.tagName("main")).findElement(By.tagName("p"));
        assertThat(message.getText()).contains("has no package");
        List<Number> lefts = HeadlessChromium.drawnAt(browser, message, "1.2.3");
        screenshot("404-with-a-right-to-left-override");
        assertThat(lefts).as("where the version is drawn").isNotNull();
        assertThat(lefts.get(0).doubleValue()).as("the version's first character is drawn left of its last").isLessThan(lefts.get(1).doubleValue());
    }

    @Test
    void aTitleEndingInARightToLeftOverrideDoesNotShowTheVersionBackwards() throws Exception {
        browser.get(open.resolve("/ui/packages/hostile_pkg/1.0.0").toString());
        // Where the version's first and last characters are drawn: "1.0.0" read left to right, not "0.0.1".
        String script = "const v = document.querySelector('h1 .note').firstChild; const r = document.createRange();"
                + " const left = i => { r.setStart(v, i); r.setEnd(v, i + 1); return r.getBoundingClientRect().left; };"
                + " return [left(0), left(v.length - 1)];";
        @SuppressWarnings("unchecked")
        List<Number> lefts = (List<Number>) ((JavascriptExecutor) browser).executeScript(script);
        screenshot("title-with-a-right-to-left-override");
        assertThat(lefts.get(0).doubleValue()).as("the version's first character is drawn left of its last").isLessThan(lefts.get(1).doubleValue());
    }

    @Test
    void aGitHubOwnerEndingInARightToLeftOverrideDoesNotShowTheOwnerTypeBackwards() throws Exception {
        browser.get(open.resolve("/ui/packages/hostile_pkg/1.0.0").toString());
        WebElement owner = browser.findElement(By.xpath("//dt[.='Owner']/following-sibling::dd[1]"));
        List<Number> lefts = HeadlessChromium.drawnAt(browser, owner, "community");
        screenshot("owner-with-a-right-to-left-override");
        assertThat(lefts).as("where the owner type is drawn").isNotNull();
        assertThat(lefts.get(0).doubleValue()).as("the owner type's first character is drawn left of its last").isLessThan(lefts.get(1).doubleValue());
    }

    @Test
    void aHostilePackagesScriptsAndOnerrorNeverRun() throws Exception {
        browser.get(open.resolve("/ui/packages/hostile_pkg/1.0.0").toString());
        assertThat(browser.findElement(By.cssSelector(".readme")).getText()).contains("Harmless text before the attack.");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("<script>window.wharfPwned=1</script>Hostile");
        // The image loads (a stylesheet is no image), so an onerror attribute that survived would fire.
        waitFor(() -> Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                "const i = document.querySelector('.readme img'); return i !== null && i.complete;")));
        assertThat(browser.getTitle()).doesNotContain("pwned").contains("hostile_pkg 1.0.0");
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.wharfPwned")).isEqualTo("undefined");
        browser.findElement(By.linkText("a link")).click();
        // The raw <a href="javascript:..." onclick> is no link at all any more: its text alone is left.
        assertThat(browser.findElements(By.linkText("another"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.wharfPwned")).isEqualTo("undefined");
        browser.get(open.resolve("/ui/?q=hostile").toString());
        assertThat(browser.findElement(By.cssSelector("main table")).getText()).contains("<img src=x onerror=window.wharfPwned=1> sneaky");
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.wharfPwned")).isEqualTo("undefined");
        screenshot("hostile-package");
    }
}
