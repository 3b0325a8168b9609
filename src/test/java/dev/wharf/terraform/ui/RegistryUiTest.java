package dev.wharf.terraform.ui;

import static dev.wharf.terraform.ui.CatalogUi.HTTP;
import static dev.wharf.terraform.ui.CatalogUi.get;
import static dev.wharf.terraform.ui.CatalogUi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.terraform.auth.ClientAuthentication;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ui/} over HTTP, on a real docker-registry: what each page shows and the headers that keep
 * scripts out. The sign-in that guards the pages is RegistryUiSignInTest's.
 */
class RegistryUiTest {
    @TempDir
    static Path dir;
    private static CatalogUi ui;
    private static UiRegistry registry;
    private static URI open;
    private static URI guarded;

    @BeforeAll
    static void start() throws Exception {
        ui = new CatalogUi(dir);
        registry = ui.registry;
        open = ui.open;
        guarded = ui.guarded;
    }

    @AfterAll
    static void stop() throws Exception {
        ui.close();
    }

    @Test
    void homeListsNamespacesModulesAndProvidersAndSearchesByNameAndDescription() throws Exception {
        HttpResponse<String> home = get(open, "/ui/", null);
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(home.headers().firstValue("Content-Security-Policy")).hasValue(RegistryUi.CSP);
        assertThat(RegistryUi.CSP).contains("default-src 'none'").doesNotContain("unsafe-inline").doesNotContain("script-src");
        assertThat(home.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(home.body()).contains("<h1>Modules and providers</h1>", "<label for=\"q\">", "acme/vpc/aws", "acme/dns/aws",
                "evil/readme/aws", "href=\"/ui/providers/acme/dummy\"", "href=\"/ui/?namespace=evil\"", "1.10.0",
                "A VPC with public and private subnets").doesNotContain("<script");

        String search = get(open, "/ui/?q=" + URLEncoder.encode("private subnets", StandardCharsets.UTF_8), null).body();
        assertThat(search).contains("acme/vpc/aws").doesNotContain("acme/dns/aws").doesNotContain("evil/readme/aws");
        assertThat(get(open, "/ui/?q=route", null).body()).contains("acme/dns/aws").doesNotContain("acme/vpc/aws");
        String evil = get(open, "/ui/?namespace=evil", null).body();
        assertThat(evil).contains("evil/readme/aws").doesNotContain("acme/vpc/aws").doesNotContain("/ui/providers/acme/dummy");
        assertThat(get(open, "/ui/?q=%3Cb%3Exss", null).body()).contains("value=\"&lt;b&gt;xss\"").doesNotContain("<b>xss");
        // A control character asked for is no raw byte of the page: a NUL is a parse error in HTML.
        assertThat(get(open, "/ui/?q=a%00b", null).body()).contains("value=\"a\uFFFDb\"").doesNotContain("\u0000");
    }

    @Test
    void aModulePageShowsVersionsNewestFirstTheRenderedReadmeAndAUsageSnippetForThisHost() throws Exception {
        HttpResponse<String> page = get(open, "/ui/modules/acme/vpc/aws", null);
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        assertThat(body.indexOf(">1.10.0<")).isPositive().isLessThan(body.indexOf(">1.2.0<"));
        assertThat(body.indexOf(">1.2.0<")).isLessThan(body.indexOf(">1.0.0<"));
        assertThat(body).contains("<strong>VPC</strong>", "<code>public</code>", "<table>", "https://git.example.com/acme/vpc",
                "source  = \"" + open.getAuthority() + "/acme/vpc/aws\"", "version = \"1.10.0\"");
        // An older version (from a zip archive) shows its own README; the snippet still names the newest.
        String older = get(open, "/ui/modules/acme/vpc/aws/1.2.0", null).body();
        assertThat(older).contains("Zipped.", "aria-current=\"page\">1.2.0<", "version = \"1.10.0\"");
        assertThat(get(open, "/ui/modules/acme/dns/aws", null).body()).contains("This version has no README.");

        HttpResponse<String> missing = get(open, "/ui/modules/acme/nothing/aws", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<h1>Not found</h1>", "module acme/nothing/aws not found");
        assertThat(get(open, "/ui/modules/acme/vpc/aws/9.9.9", null).statusCode()).isEqualTo(404);
        // A version that cannot be one is a bad request, as a malformed namespace is, even for a module that does not exist.
        for (String path : List.of("/ui/modules/acme/vpc/aws/1.0", "/ui/modules/acme/nothing/aws/v1.0.0")) {
            HttpResponse<String> malformed = get(open, path, null);
            assertThat(malformed.statusCode()).as(path).isEqualTo(400);
            assertThat(malformed.body()).as(path).contains("<h1>Bad request</h1>", "is not a semantic version");
        }
    }

    @Test
    void aModulePageDocumentsItsInputsOutputsResourcesProvidersAndSubmodules() throws Exception {
        String body = get(open, "/ui/modules/acme/vpc/aws/1.10.0", null).body();
        String docs = body.substring(body.indexOf("<section class=\"docs\""), body.indexOf("<section class=\"readme\""));
        assertThat(docs).contains("<caption>Inputs (4, 2 required)</caption>",
                "<th scope=\"col\">Name</th><th scope=\"col\">Type</th><th scope=\"col\">Default</th><th scope=\"col\">Description</th>"
                        + "<th scope=\"col\">Required</th>",
                "<tr><th scope=\"row\"><code><bdi>cidr</bdi></code></th><td><pre><code>string</code></pre></td><td><code>&quot;10.0.0.0/16&quot;</code></td>"
                        + "<td>The &lt;b&gt;IPv4&lt;/b&gt; CIDR block</td><td>no</td></tr>",
                "<tr><th scope=\"row\"><code><bdi>name</bdi></code></th><td><pre><code>string</code></pre></td><td></td><td>Name prefix for every object</td>"
                        + "<td>yes</td></tr>",
                "<code><bdi>password</bdi></code> <span class=\"note\">sensitive</span>",
                "map(object({\n    cidr = string\n    public = optional(bool, false)\n  }))",
                "<caption>Outputs (2)</caption>", "<code><bdi>vpc_id</bdi></code></th><td>The VPC&#39;s ID</td>",
                "<caption>Resources (2)</caption>", "<code>aws_vpc.this</code></th><td><code>aws_vpc</code></td><td>managed</td>",
                "<code>data.aws_region.current</code></th><td><code>aws_region</code></td><td>data source</td>",
                "<caption>Required providers</caption>", "<code>aws</code></th><td><code>hashicorp/aws</code></td><td><code><bdi>&gt;= 5.0</bdi></code>",
                "<summary><code>modules/endpoints</code></summary>", "<caption><bdi>modules/endpoints</bdi>: Inputs (1, 1 required)</caption>");
        assertThat(docs).doesNotContain("<b>IPv4");
        // The snippet names the newest version's required inputs, on the newest version's page and on older ones.
        String snippet = "  # Required inputs\n  name    = null # string\n  subnets = null # map(object({…\n}";
        assertThat(body).contains(snippet);
        String older = get(open, "/ui/modules/acme/vpc/aws/1.0.0", null).body();
        assertThat(older).contains(snippet, "<caption>Outputs (1)</caption>", "<code><bdi>version</bdi></code>").doesNotContain("<caption>Inputs");
        // A zipped version is documented as well.
        String dns = get(open, "/ui/modules/acme/dns/aws", null).body();
        assertThat(dns).contains("<h2 id=\"docs\">Documentation</h2>", "<caption>Outputs (1)</caption>");
    }

    /**
     * The usage snippet is the registry's own text: a required input's quoted label with escapes or a
     * type with a carriage return had written HCL of the publisher's outside its module block.
     */
    @Test
    void aModuleCannotWriteItsOwnLinesIntoTheUsageSnippet(@TempDir Path own) throws Exception {
        try (UiRegistry sneaky = new UiRegistry(own)) {
            sneaky.module("acme", "sneaky", "aws", "1.0.0", false, java.util.Map.of("variables.tf", """
                    variable "x\\n}\\nresource \\"null_resource\\" \\"r\\" {\\n  y" {}
                    variable "region" {
                      type = "string\\r}\\rmodule \\"m\\" {"
                    }
                    variable "plain" {
                      type = string
                    }
                    """), "# sneaky\n", java.util.Map.of());
            String body = get(sneaky.serve(ClientAuthentication.open()), "/ui/modules/acme/sneaky/aws", null).body();
            String snippet = body.substring(body.indexOf("<h2>Usage</h2>"), body.indexOf("<h2>Versions</h2>"));
            assertThat(snippet).as(body).contains("  plain  = null # string\n", "  region = null # string…\n")
                    .doesNotContain("null_resource").doesNotContain("\r").doesNotContain("module &quot;m&quot;");
            assertThat(snippet.split("\\R")).filteredOn(l -> l.startsWith("}")).hasSize(1);
        }
    }

    /**
     * The snippet's required inputs are the names terraform takes for identifiers, as the documentation's are: a
     * combining mark is an identifier part (Unicode ID_Continue) though no letter or digit, which the page's own
     * pattern had left the input out for, so a caller copying the snippet missed a required input.
     */
    @Test
    void aRequiredInputNamedWithACombiningMarkIsInTheUsageSnippetAsInTheDocumentation(@TempDir Path own) throws Exception {
        try (UiRegistry marked = new UiRegistry(own)) {
            marked.module("acme", "marked", "aws", "1.0.0", false, java.util.Map.of("variables.tf", """
                    variable "re\u0301gion" {}
                    variable "plain" {}
                    """), "# marked\n", java.util.Map.of());
            String body = get(marked.serve(ClientAuthentication.open()), "/ui/modules/acme/marked/aws", null).body();
            String snippet = body.substring(body.indexOf("<h2>Usage</h2>"), body.indexOf("<h2>Versions</h2>"));
            assertThat(snippet).as(body).contains("  plain   = null\n", "  re\u0301gion = null\n");
        }
    }

    @Test
    void aVersionWhoseArchiveCannotBeReadStillHasItsPageWhichSaysWhy(@TempDir Path own) throws Exception {
        try (UiRegistry broken = new UiRegistry(own)) {
            broken.store.push(broken.layout.moduleRepository("acme", "odd", "aws"), broken.layout.moduleTag("acme", "odd", "aws", "1.0.0"),
                    new dev.wharf.oci.Artifact(dev.wharf.terraform.layout.MediaTypes.MODULE_ARTIFACT, List.of(dev.wharf.oci.Layer.file(
                            dev.wharf.terraform.layout.MediaTypes.MODULE_TAR_GZ, "module.tar.gz",
                            dev.wharf.oci.BlobSource.ofBytes("not gzip".getBytes(StandardCharsets.UTF_8)))), java.util.Map.of()), false);
            HttpResponse<String> page = get(broken.serve(ClientAuthentication.open()), "/ui/modules/acme/odd/aws", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<h1>acme/odd/aws <span class=\"note\">1.0.0</span></h1>",
                    "<h2 id=\"docs\">Documentation</h2>\n<p class=\"note\">The documentation could not be read from this version&#39;s archive: ",
                    "The README could not be read").doesNotContain("# Required inputs");
        }
    }

    @Test
    void aReadmesScriptsAndEventHandlersNeverReachThePage() throws Exception {
        String body = get(open, "/ui/modules/evil/readme/aws", null).body();
        String readme = body.substring(body.indexOf("<section class=\"readme\""));
        assertThat(readme).contains("Harmless text before the attack.", "<img")
                .doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("onerror").doesNotContain("javascript:")
                .doesNotContain("wharfPwned");
    }

    @Test
    void aProviderPageShowsVersionsPlatformsProtocolsKeysAndARequiredProvidersSnippet() throws Exception {
        HttpResponse<String> page = get(open, "/ui/providers/acme/dummy", null);
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        assertThat(body.indexOf("<td>1.1.0</td>")).isPositive().isLessThan(body.indexOf("<td>1.0.0</td>"));
        assertThat(body).contains("<td>5.0</td>", "darwin_arm64, linux_amd64", registry.keyId, "required_providers",
                "source  = \"" + open.getAuthority() + "/acme/dummy\"", "version = \"1.1.0\"");
        assertThat(get(open, "/ui/providers/acme/nothing", null).statusCode()).isEqualTo(404);
        HttpResponse<String> css = get(open, "/ui/static/ui.css", null);
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
    }

    @Test
    void theMirrorPageShowsWhatTheNetworkMirrorHoldsByOriginHost() throws Exception {
        assertThat(get(open, "/ui/", null).body()).contains("<a href=\"/ui/mirror\">");
        HttpResponse<String> page = get(open, "/ui/mirror", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(RegistryUi.CSP);
        String body = page.body();
        assertThat(body).contains("<h1>Network mirror</h1>", "url = \"https://" + open.getAuthority() + "/v1/mirror/\"");
        // Hosts sorted by name, each with its own table.
        int example = body.indexOf(">registry.example.test</h2>");
        int terraform = body.indexOf(">registry.terraform.io</h2>");
        assertThat(example).isPositive().isLessThan(terraform);
        String exampleTable = body.substring(example, terraform);
        assertThat(exampleTable).contains("<td>acme/dummy</td><td>1.0.0</td><td>linux_amd64</td>").doesNotContain("hashicorp");
        String terraformTable = body.substring(terraform);
        // Newest first by version order (3.10.0 after 3.6.0 as text), platforms sorted; the signing keys are no provider.
        assertThat(terraformTable).contains("<td>hashicorp/random</td><td>3.10.0</td><td>linux_amd64</td>",
                "<td>hashicorp/random</td><td>3.6.0</td><td>darwin_arm64, linux_amd64</td>");
        assertThat(terraformTable.indexOf("3.10.0")).isLessThan(terraformTable.indexOf("3.6.0"));
        assertThat(body.split("<tr><td>", -1)).hasSize(4);
        assertThat(body).doesNotContain("signing-keys");
    }

    @Test
    void theRegistrysAddressAloneLeadsABrowserToThePages() throws Exception {
        for (URI base : List.of(open, guarded)) {
            HttpResponse<String> root = get(base, "/", null);
            assertThat(root.statusCode()).isEqualTo(302);
            assertThat(root.headers().firstValue("Location")).hasValue("/ui/");
        }
    }

    /**
     * A mistyped page is the UI's own 404 page, whatever the browser accepts; any other unknown path
     * is the protocol's JSON, where a browser used to get Javalin's plain text.
     */
    @Test
    void aMistypedPageIsTheUisOwn404AndAnUnknownApiPathTheProtocolsJsonForABrowserToo() throws Exception {
        for (String accept : List.of("text/html,application/xhtml+xml", "*/*")) {
            for (String path : List.of("/ui/nope", "/ui/modules/acme/vpc", "/ui/modules/acme/vpc/aws/1.0.0/extra")) {
                HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(open.resolve(path)).header("Accept", accept).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).as(path).isEqualTo(404);
                assertThat(page.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("text/html");
                assertThat(page.headers().firstValue("Content-Security-Policy")).as(path).isPresent();
                assertThat(page.body()).as(path).contains("<h1>Not found</h1>", "There is no page at <bdi>" + path + "</bdi>.",
                        "<a href=\"/ui/\">Home</a>");
            }
            for (String path : List.of("/nope", "/v1/nope", "/v1/modules/acme/vpc/aws/1.0.0/download/extra")) {
                HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(open.resolve(path)).header("Accept", accept).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(api.statusCode()).as(path).isEqualTo(404);
                assertThat(api.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
                assertThat(api.body()).as(path).isEqualTo("{\"errors\":[\"no such endpoint: " + path + "\"]}");
            }
        }
        assertThat(get(open, "/ui/%3Cb%3E", null).body()).contains("There is no page at <bdi>/ui/%3Cb%3E</bdi>.").doesNotContain("<b>");
        // A namespace is the home page filtered to it, where the namespace links lead.
        HttpResponse<String> namespace = get(open, "/ui/modules/acme", null);
        assertThat(namespace.statusCode()).isEqualTo(302);
        assertThat(namespace.headers().firstValue("Location")).hasValue("/ui/?namespace=acme");
        assertThat(get(open, "/ui/?namespace=acme", null).body()).contains("acme/vpc/aws");
    }

    /**
     * Every page names its encoding in its Content-Type: the sign-in form, the 404 page, the mirror page and the
     * refusals had said a bare text/html, leaving a browser to guess before it reached the meta tag.
     */
    @Test
    void everyPageSaysItIsUtf8() throws Exception {
        Map<String, HttpResponse<String>> pages = new java.util.LinkedHashMap<>();
        pages.put("home", get(open, "/ui/", null));
        pages.put("404", get(open, "/ui/nope", null));
        pages.put("mirror", get(open, "/ui/mirror", null));
        pages.put("sign-in form", get(guarded, "/ui/sign-in?next=/ui/", null));
        pages.put("refused token", post(guarded, "/ui/sign-in", "token=nope&next=/ui/"));
        pages.put("cross-site post", HTTP.send(HttpRequest.newBuilder(guarded.resolve("/ui/sign-out")).header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
        pages.forEach((page, answer) -> assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(page)
                .startsWith("text/html").containsIgnoringCase("charset=utf-8"));
    }

}
