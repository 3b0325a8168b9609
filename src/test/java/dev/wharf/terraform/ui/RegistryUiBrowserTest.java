package dev.wharf.terraform.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.terraform.auth.ClientAuthentication;
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

/**
 * {@code /ui/}'s pages in Debian's headless Chromium, driven by Selenium through chromium-driver, as a
 * person would use them: links followed and forms typed into, what the page shows asserted, the
 * browser console checked for errors, and a screenshot of each walk left under target/. The sign-in
 * that guards them: RegistryUiSignInBrowserTest.
 */
class RegistryUiBrowserTest extends ChromiumWalks {
    @TempDir
    static Path dir;
    private static UiRegistry registry;
    private static URI open;

    RegistryUiBrowserTest() {
        super(Ui.REGISTRY);
    }

    @BeforeAll
    static void start() throws Exception {
        registry = new UiRegistry(dir).withCatalog();
        open = registry.serve(ClientAuthentication.open());
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
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
     * A description and a submodule's folder are the publisher's: one ending in a right-to-left override
     * (U+202E) had made Chromium draw the registry's words after it backwards (a caption read
     * "(deriuqer 2 ,2) stupnI :"). Measured by where the characters are drawn. A variable's name ending in one
     * had turned "sensitive" round too; such a name is no HCL identifier, so terraform refuses the module and
     * the docs leave the variable out (HclIdentifier), and its row is not drawn at all.
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
            assertThat(root.findElements(By.xpath(".//tr[contains(., 'password')]"))).isEmpty();
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

    /**
     * A note's reason may quote the publisher inside the registry's sentence (here the quoted token the HCL reader could
     * not take), where no {@code <bdi>} fits: a right-to-left override in the quote had drawn the words after it
     * backwards, and a line of any length was shown whole. The override shows escaped, and the quote is cut.
     */
    @Test
    void aNoteQuotingTheModulesOwnTextShowsAnOverrideEscapedAndIsCut(@TempDir Path own) throws Exception {
        try (UiRegistry bidi = new UiRegistry(own)) {
            bidi.module("acme", "quoted", "aws", "1.0.0", false, Map.of("main.tf", "variable \"region\" {}\n",
                    "broken.tf", "\"left\u202E then right\" = 1\n", "long.tf", "\"" + "x".repeat(5000) + "\" = 1\n"), "# quoted\n", Map.of());
            browser.get(bidi.serve(ClientAuthentication.open()).resolve("/ui/modules/acme/quoted/aws").toString());
            WebElement quoting = browser.findElement(By.xpath("//p[@class='note'][contains(., 'broken.tf')]"));
            assertThat(quoting.getText()).contains("left\\u202e then right").doesNotContain("\u202E");
            assertReadsLeftToRight(quoting, "then right");
            String cut = browser.findElement(By.xpath("//p[@class='note'][contains(., 'long.tf')]")).getText();
            // The HCL reader's note quotes at most 200 characters of the token; the page would cut a longer reason at 1 000.
            assertThat(cut).contains("x…'").hasSizeLessThan(1100);
            screenshot("note-quoting-an-override");
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

}
