package dev.wharf.terraform.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.testing.HeadlessChromium;
import dev.wharf.testing.OidcIssuer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;

/**
 * {@code /ui/} in Debian's headless Chromium, driven by Selenium through chromium-driver, as a
 * person would use it: links followed and forms typed into, what the page shows asserted, the
 * browser console checked for errors, and a screenshot of each walk left under target/.
 */
class RegistryUiBrowserTest {
    private static final String TOKEN = "browser-s3cret";

    @TempDir
    static Path dir;
    private static UiRegistry registry;
    private static URI open;
    private static URI guarded;
    private static OidcIssuer issuer;
    private static URI oidcGuarded;
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        registry = new UiRegistry(dir).withCatalog();
        open = registry.serve(ClientAuthentication.open());
        guarded = registry.serve(new ClientAuthentication(h -> h.equals("Bearer " + TOKEN), true, Optional.empty()));
        issuer = registry.keep(OidcIssuer.start());
        oidcGuarded = registry.serve(OidcSignInTest.oidcAuthentication(issuer));
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @BeforeEach
    void openBrowser() throws IOException {
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void homeSearchModuleAndAnOlderVersion() throws Exception {
        browser.get(open.resolve("/ui/").toString());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Modules and providers");
        WebElement search = browser.findElement(By.id("q"));
        assertThat(browser.findElement(By.cssSelector("label[for=q]")).getText()).contains("Search modules");
        search.sendKeys("private subnets", Keys.ENTER);
        waitFor(() -> browser.getCurrentUrl().contains("q=private"));
        List<String> found = browser.findElements(By.cssSelector("main table tbody a")).stream().map(WebElement::getText).toList();
        assertThat(found).containsExactly("acme/vpc/aws");

        browser.findElement(By.linkText("acme/vpc/aws")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/modules/acme/vpc/aws"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("acme/vpc/aws 1.10.0");
        assertThat(browser.findElement(By.cssSelector(".readme strong")).getText()).isEqualTo("VPC");
        assertThat(browser.findElement(By.cssSelector(".readme table")).getText()).contains("cidr", "string");
        assertThat(browser.findElement(By.tagName("pre")).getText()).contains(open.getAuthority() + "/acme/vpc/aws", "1.10.0");
        List<String> versions = browser.findElements(By.cssSelector("main ul.inline a")).stream().map(WebElement::getText).toList();
        assertThat(versions).containsExactly("1.10.0", "1.2.0", "1.0.0");

        browser.findElement(By.linkText("1.10.0")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/1.10.0"));
        WebElement inputs = browser.findElement(By.cssSelector("table.inputs"));
        assertThat(inputs.findElement(By.tagName("caption")).getText()).isEqualTo("Inputs (4, 2 required)");
        List<String> rows = inputs.findElements(By.cssSelector("tbody tr")).stream().map(r -> r.getText().replaceAll("\\s+", " ")).toList();
        assertThat(rows).containsExactly(
                "cidr string \"10.0.0.0/16\" The <b>IPv4</b> CIDR block no",
                "name string Name prefix for every object yes",
                "password sensitive string null no",
                "subnets map(object({ cidr = string public = optional(bool, false) })) yes");
        assertThat(browser.findElement(By.tagName("pre")).getText()).contains("# Required inputs", "name    = null # string");
        screenshot("module-version-inputs");

        browser.findElement(By.linkText("1.0.0")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/1.0.0"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("acme/vpc/aws 1.0.0");
        assertThat(browser.findElement(By.cssSelector(".readme")).getText()).contains("The first release.");
        assertStyledAndClean("home-search-module-version");
    }

    /**
     * A variable's name and a submodule's folder are the publisher's: one ending in a right-to-left override
     * (U+202E) had made Chromium draw the registry's words after it backwards ("sensitive" read "evitisnes",
     * a caption read "(deriuqer 2 ,2) stupnI :"). Measured by where the characters are drawn.
     */
    @Test
    void namesAndFoldersEndingInARightToLeftOverrideDoNotTurnTheWordsAfterThemRound(@TempDir Path own) throws Exception {
        try (UiRegistry bidi = new UiRegistry(own)) {
            bidi.module("acme", "bidi", "aws", "1.0.0", false, Map.of("variables.tf", """
                    variable "password\u202E" {
                      sensitive = true
                      default   = "x"
                    }
                    variable "region" {
                      description = "Where it runs\u202E"
                    }
                    """, "modules/net\u202E/main.tf", """
                    variable "cidr" {}
                    variable "zone" {}
                    """), "# bidi\n", Map.of());
            browser.get(bidi.serve(ClientAuthentication.open()).resolve("/ui/modules/acme/bidi/aws").toString());
            WebElement root = browser.findElement(By.cssSelector("table.inputs"));
            assertReadsLeftToRight(root.findElement(By.xpath(".//tr[contains(., 'password')]/th")), "sensitive");
            // A cell is a block of its own, which ends the description's override before the next cell.
            assertReadsLeftToRight(root.findElement(By.xpath(".//tr[contains(., 'region')]/td[last()]")), "yes");
            browser.findElement(By.cssSelector("details.submodule summary")).click();
            assertReadsLeftToRight(browser.findElement(By.cssSelector("details.submodule table.inputs caption")), "Inputs (2, 2 required)");
            screenshot("names-with-a-right-to-left-override");
        }
    }

    /**
     * A file's name is the publisher's, and a documentation note put it on a line with the registry's words: one
     * ending in a right-to-left override had drawn "not read" backwards. A module's name asked for in the path did the
     * same to the 404 page's "is malformed".
     */
    @Test
    void aFileOrModuleNameEndingInARightToLeftOverrideDoesNotTurnTheNoteOr404Round(@TempDir Path own) throws Exception {
        try (UiRegistry bidi = new UiRegistry(own)) {
            bidi.module("acme", "notes", "aws", "1.0.0", false, Map.of("main.tf", "variable \"region\" {}\n",
                    "broken\u202E.tf", "variable \"x\" {\n"), "# notes\n", Map.of());
            URI base = bidi.serve(ClientAuthentication.open());
            browser.get(base.resolve("/ui/modules/acme/notes/aws").toString());
            assertReadsLeftToRight(browser.findElement(By.xpath("//p[@class='note'][contains(., 'not read')]")), "not read");
            browser.get(base.resolve("/ui/modules/acme/%E2%80%AEx/aws").toString());
            assertReadsLeftToRight(browser.findElement(By.tagName("main")).findElement(By.tagName("p")), "is malformed");
            screenshot("notes-with-a-right-to-left-override");
        }
    }

    /** {@code words}, inside {@code element}, drawn left to right: its first character left of its last. */
    private void assertReadsLeftToRight(WebElement element, String words) {
        List<Number> lefts = HeadlessChromium.drawnAt(browser, element, words);
        assertThat(lefts).as("where \"%s\" is drawn", words).isNotNull();
        assertThat(lefts.get(0).doubleValue()).as("\"%s\": its first character is drawn left of its last", words)
                .isLessThan(lefts.get(1).doubleValue());
    }

    @Test
    void aProviderPage() throws Exception {
        browser.get(open.resolve("/ui/").toString());
        browser.findElement(By.linkText("acme/dummy")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/providers/acme/dummy"));
        String page = browser.findElement(By.tagName("main")).getText();
        assertThat(page).contains("required_providers", open.getAuthority() + "/acme/dummy", registry.keyId, "darwin_arm64, linux_amd64");
        List<String> versions = browser.findElements(By.cssSelector("main table tbody tr td:first-child")).stream().map(WebElement::getText).toList();
        assertThat(versions).containsExactly("1.1.0", "1.0.0");
        assertStyledAndClean("provider");
    }

    @Test
    void theNetworkMirrorPage() throws Exception {
        browser.get(open.resolve("/ui/").toString());
        browser.findElement(By.linkText("Providers the network mirror holds")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/mirror"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Network mirror");
        List<String> hosts = browser.findElements(By.cssSelector("main h2")).stream().map(WebElement::getText).toList();
        assertThat(hosts).containsExactly("registry.example.test", "registry.terraform.io");
        List<String> rows = browser.findElements(By.cssSelector("main table[aria-labelledby=host-registry-terraform-io] tbody tr")).stream()
                .map(WebElement::getText).toList();
        assertThat(rows).containsExactly("hashicorp/random 3.10.0 linux_amd64", "hashicorp/random 3.6.0 darwin_arm64, linux_amd64");
        assertThat(browser.findElement(By.tagName("pre")).getText()).contains("network_mirror", "https://" + open.getAuthority() + "/v1/mirror/");
        assertStyledAndClean("mirror");
    }

    @Test
    void signInWithAStaticToken() throws Exception {
        // Another site's form with a valid token (login CSRF) is refused, and signs nobody in.
        HeadlessChromium.postFromAnotherSite(browser, guarded.resolve("/ui/sign-in"), Map.of("token", TOKEN, "next", "/ui/providers/acme/dummy"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Refused");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("sent from another site", "Nothing changed");
        assertThat(consoleErrors()).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/sign-in").contains("403"));
        browser.get(guarded.resolve("/ui/providers/acme/dummy").toString());
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in");
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("acme");

        browser.findElement(By.id("token")).sendKeys("not-the-token", Keys.ENTER);
        waitFor(() -> !browser.findElements(By.id("sign-in-error")).isEmpty());
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("not accepted");

        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/providers/acme/dummy"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("acme/dummy");
        // HttpOnly: no script of the page can read the token.
        assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie")).isEqualTo("");
        List<LogEntry> errors = consoleErrors();
        // The one error expected is the refused wrong token (a 401 answer); nothing else.
        assertThat(errors).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/sign-in").contains("401"));
        screenshot("sign-in");
        // Nor does another site's form sign this visitor out.
        HeadlessChromium.postFromAnotherSite(browser, guarded.resolve("/ui/sign-out"), Map.of());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Refused");
        assertThat(consoleErrors()).allSatisfy(e -> assertThat(e.getMessage()).contains("/ui/sign-out").contains("403"));
        browser.get(guarded.resolve("/ui/providers/acme/dummy").toString());
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/providers/acme/dummy"));
        browser.findElement(By.cssSelector("form.sign-out button")).click();
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
        browser.get(guarded.resolve("/ui/").toString());
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
    }

    /**
     * A sign-in link whose next is /ui/../..//evil.example/ had passed as a path under /ui/: the browser, following it
     * after sign-in, left the UI for //evil.example/ (a protocol-relative address to anything that reads it as a link).
     */
    @Test
    void aNextThatLeavesTheUiOnceResolvedLeadsToTheUiAfterSignIn() {
        for (String next : List.of("/ui/../..//evil.example/", "/ui/%2e%2e/%2E%2E//evil.example/")) {
            browser.manage().deleteAllCookies();
            browser.get(guarded.resolve("/ui/sign-in?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8)).toString());
            browser.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
            waitFor(() -> !browser.getCurrentUrl().contains("/ui/sign-in"));
            URI landed = URI.create(browser.getCurrentUrl());
            assertThat(landed.getAuthority()).as(next).isEqualTo(guarded.getAuthority());
            assertThat(landed.getRawPath()).as(next).isEqualTo("/ui/");
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(next).isEqualTo("Modules and providers");
        }
    }

    @Test
    void signInThroughTheOidcIssuer() throws Exception {
        // Wharf as localhost and the issuer as 127.0.0.1 are different sites, as in real life: the
        // session cookie is SameSite=Strict, yet the browser must carry it right after the issuer's redirect.
        URI site = URI.create("http://localhost:" + oidcGuarded.getPort());
        int asked = issuer.authorizeRequests().size();
        browser.get(site.resolve("/ui/providers/acme/dummy").toString());
        approveAtTheIssuer();
        waitFor(() -> browser.getCurrentUrl().equals(site.resolve("/ui/providers/acme/dummy").toString()));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("acme/dummy");
        assertThat(issuer.authorizeRequests()).hasSize(asked + 1);
        assertThat(issuer.authorizeRequests().get(asked)).containsEntry("code_challenge_method", "S256");
        assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie")).isEqualTo("");
        browser.findElement(By.linkText("Wharf registry")).click();
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Modules and providers");
        assertStyledAndClean("oidc-sign-in");

        browser.findElement(By.cssSelector("form.sign-out button")).click();
        waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in"));
        assertThat(browser.findElement(By.linkText("Sign in with your identity provider")).isDisplayed()).isTrue();
        issuer.tamperState(true);
        try {
            browser.get(site.resolve("/ui/").toString());
            approveAtTheIssuer();
            waitFor(() -> browser.getCurrentUrl().contains("/ui/sign-in/callback"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign-in refused");
            assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("state");
            assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("acme");
            screenshot("oidc-wrong-state");
        } finally {
            issuer.tamperState(false);
        }
        browser.findElement(By.linkText("Sign in again")).click();
        approveAtTheIssuer();
        waitFor(() -> browser.getCurrentUrl().equals(site.resolve("/ui/").toString()));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Modules and providers");
    }

    @Test
    void aReadmesScriptAndOnerrorNeverRun() throws Exception {
        browser.get(open.resolve("/ui/modules/evil/readme/aws").toString());
        assertThat(browser.findElement(By.cssSelector(".readme")).getText()).contains("Harmless text before the attack.");
        // The image loads (a stylesheet is no image), so an onerror attribute that survived would fire.
        waitFor(() -> Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                "const i = document.querySelector('.readme img'); return i !== null && i.complete;")));
        assertThat(browser.getTitle()).doesNotContain("pwned").contains("evil/readme/aws");
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.wharfPwned")).isEqualTo("undefined");
        String html = (String) ((JavascriptExecutor) browser).executeScript("return document.querySelector('.readme').innerHTML");
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("onerror").doesNotContain("javascript:");
        browser.findElement(By.linkText("a link")).click();
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.wharfPwned")).isEqualTo("undefined");
        screenshot("hostile-readme");
    }

    private void approveAtTheIssuer() {
        waitFor(() -> browser.getCurrentUrl().startsWith(issuer.issuer() + "/authorize?"));
        browser.findElement(By.id("approve")).click();
    }

    private void assertStyledAndClean(String walk) throws Exception {
        String color = browser.findElement(By.tagName("header")).getCssValue("background-color");
        assertThat(color).as("the stylesheet applies").isEqualTo("rgba(11, 61, 92, 1)");
        assertThat(consoleErrors()).isEmpty();
        screenshot(walk);
    }

    private List<LogEntry> consoleErrors() {
        return HeadlessChromium.consoleErrors(browser);
    }

    private void screenshot(String walk) throws Exception {
        HeadlessChromium.screenshot(browser, walk);
    }

    private void waitFor(java.util.function.BooleanSupplier condition) {
        HeadlessChromium.waitFor(browser, condition);
    }

}
