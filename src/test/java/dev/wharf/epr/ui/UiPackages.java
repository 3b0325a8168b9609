package dev.wharf.epr.ui;

import dev.wharf.epr.TestPackages;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.index.Indexer;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.WebServer;
import dev.wharf.http.access.TokenHash;
import dev.wharf.http.access.TokensFile;
import dev.wharf.oci.archive.ArchiveLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Wharf's test packages in a package path, plus two of this UI's own: one whose manifest and README
 * attack the page ({@code <script>}, {@code onerror}, {@code javascript:}) and one whose README is
 * larger than a page shows. Served by the real API and UI on 127.0.0.1, open or behind a tokens file.
 */
final class UiPackages implements AutoCloseable {
    static final String TOKEN = "wharf_ui-test-token-1234567890";
    static final String EXPIRED_TOKEN = "wharf_ui-expired-token-0987654321";

    final Path root;
    final Indexer indexer;
    private final Path dir;
    private final List<WebServer> servers = new ArrayList<>();

    UiPackages(Path dir) throws Exception {
        this.dir = dir;
        this.root = TestPackages.fileSystemLayout(dir);
        hostile(root.resolve("hostile_pkg/1.0.0"));
        oversized(root.resolve("long_readme/1.0.0"));
        screenshots(root.resolve("screens/1.0.0"));
        this.indexer = new FileSystemIndexer(List.of(root), true, false, ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
    }

    /** The API and UI over this index; {@code tokens}: sign-in needed. */
    URI serve(boolean tokens) throws IOException {
        return serve(indexer, tokens ? Optional.of(tokensFile()) : Optional.empty(), Optional.empty());
    }

    URI serve(Indexer index, Optional<TokensFile> tokens, Optional<TlsFiles> tls) {
        WebServer server = serveOver(index, tokens, tls, Clock.systemUTC());
        servers.add(server);
        return server.localUri();
    }

    /** The EPR API and this UI over {@code index}, as package-registry wires them. */
    static WebServer serveOver(Indexer index, Optional<TokensFile> tokens, Optional<TlsFiles> tls, Clock clock) {
        ApiSettings settings = new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(1), true);
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        EprApi api = new EprApi(index, settings, clock, ready);
        PackageUi ui = new PackageUi(index, tokens, clock, ready);
        // As the server runs it: repeats are answered from memory in front of the router.
        return WebServer.start(ListenAddress.parse("127.0.0.1:0"), tls, Optional.of(ready), (route, method, status, micros) -> { }, c -> {
            api.register(c);
            ui.register(c);
        });
    }

    /** A tokens file with one read token and one expired publish token. */
    TokensFile tokensFile() throws IOException {
        Path file = dir.resolve("tokens.yml");
        Files.writeString(file, "tokens:\n"
                + "  - name: reader\n    hash: \"" + TokenHash.of(TOKEN) + "\"\n    scopes: [read]\n"
                + "  - name: old-ci\n    hash: \"" + TokenHash.of(EXPIRED_TOKEN) + "\"\n    scopes: [\"publish:*\"]\n"
                + "    expires: \"2020-01-01T00:00:00Z\"\n");
        return new TokensFile(file, Clock.systemUTC());
    }

    private static void hostile(Path pkg) throws IOException {
        TestPackages.copyTree(TestPackages.source().resolve("sensor_input/0.3.0"), pkg);
        String manifest = Files.readString(pkg.resolve("manifest.yml"))
                .replace("name: sensor_input", "name: hostile_pkg")
                .replace("version: 0.3.0", "version: 1.0.0")
                // Ends in a right-to-left override (U+202E, escaped for YAML), which would show the version after it backwards.
                .replace("title: Sensor input", "title: \"<script>window.wharfPwned=1</script>Hostile\\u202E\"")
                // The GitHub field too, which would show the owner type after it backwards.
                .replace("  github: wharf/sensors", "  github: \"wharf/sensors\\u202E\"\n  type: community")
                .replace("description: Reads measurements from a sensor gateway.",
                        "description: \"<img src=x onerror=window.wharfPwned=1> sneaky\"");
        Files.writeString(pkg.resolve("manifest.yml"), manifest);
        Files.writeString(pkg.resolve("docs/README.md"), """
                # Hostile package

                Harmless text before the attack.

                <script>window.wharfPwned = 1; document.title = 'pwned';</script>

                <img src="/ui/static/ui.css" alt="not an image" onerror="window.wharfPwned = 1">

                [a link](javascript:window.wharfPwned=1)

                <a href="javascript:window.wharfPwned=1" onclick="window.wharfPwned=1">another</a>
                """);
        // Files a publisher may put in a package that a browser would run as pages of the registry's origin.
        Files.writeString(pkg.resolve("docs/active.html"), "<!doctype html><title>Active</title><p>text</p>"
                + "<script>document.title = 'pwned'; fetch('/ui/').then(() => document.title = 'pwned and read');</script>\n");
        Files.writeString(pkg.resolve("docs/NOTICE"), "<html><head><title>Notice</title></head><body>"
                + "<script>document.title = 'pwned'</script></body></html>\n");
        Files.createDirectories(pkg.resolve("img"));
        Files.writeString(pkg.resolve("img/active.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
                + "<script>document.documentElement.setAttribute('data-pwned', '1')</script><rect width=\"10\" height=\"10\"/></svg>\n");
    }

    /**
     * A copy of gallery whose README names its screenshot as Kibana reads it, from the package's top folder, written both ways
     * packages write it; beside them a link to another of its files, and targets that must stay as they are.
     */
    private static void screenshots(Path pkg) throws IOException {
        TestPackages.copyTree(TestPackages.source().resolve("gallery/2.0.0"), pkg);
        Files.writeString(pkg.resolve("manifest.yml"), Files.readString(pkg.resolve("manifest.yml"))
                .replace("name: gallery", "name: screens").replace("version: 2.0.0", "version: 1.0.0").replace("title: Gallery", "title: Screens"));
        Files.writeString(pkg.resolve("docs/README.md"), """
                # Screens

                ![overview](../img/overview.png)

                <img src="img/overview.png" alt="overview again">

                [the metrics](../docs/metrics.md) and [more](docs/metrics.md?plain#top),
                [escaping](../../../../search), [elsewhere](https://example.com/x.png), [a section](#screens)

                ![remote](//evil.example/x.png)
                """);
    }

    private static void oversized(Path pkg) throws IOException {
        TestPackages.copyTree(TestPackages.source().resolve("sensor_input/0.3.0"), pkg);
        String manifest = Files.readString(pkg.resolve("manifest.yml"))
                .replace("name: sensor_input", "name: long_readme")
                .replace("version: 0.3.0", "version: 1.0.0")
                .replace("title: Sensor input", "title: Long README");
        Files.writeString(pkg.resolve("manifest.yml"), manifest);
        Files.writeString(pkg.resolve("docs/README.md"), "# Long\n\n" + "All work and no play. ".repeat(30_000));
    }

    @Override
    public void close() {
        servers.forEach(WebServer::close);
        indexer.close();
    }
}
