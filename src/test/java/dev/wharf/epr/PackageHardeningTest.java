package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.testing.HostileZips;
import dev.wharf.testing.HostileZips.Bomb;
import dev.wharf.testing.HostileZips.Entry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile packages against EPR indexing, serving and push: links out of a package folder, zip-slip
 * and link entries, zip bombs (a few MB inflating to GiB) and zips whose sizes lie. Each is refused
 * or left out with a reason, nothing outside a package is ever served, nothing refused is pushed.
 */
class PackageHardeningTest {
    private static final String SECRET = "root:$6$not-a-real-hash:19000:0:99999:7:::";
    private static final String MANIFEST = """
            format_version: 3.0.0
            name: %s
            title: Hostile
            version: 1.0.0
            description: A package made to attack whoever unpacks it.
            type: integration
            owner:
              github: wharf/integrations
              type: community
            """;

    @TempDir
    Path dir;
    private Path outside;
    // Following redirects: a path with '..' is sent to its clean form first, as EPR's router sends it.
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @BeforeEach
    void setUp() throws Exception {
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("shadow"), SECRET + "\n");
    }

    @Test
    void aFolderWithLinksOutOfItIsLeftOutAndNothingOutsideIsServed() throws Exception {
        Path paths = Files.createDirectories(dir.resolve("packages"));
        Path linked = copyPackage(paths, "acme_logs", "1.0.0");
        Files.createSymbolicLink(linked.resolve("docs/secret.md"), outside.resolve("shadow"));
        Files.createSymbolicLink(linked.resolve("docs/etc"), outside);
        copyPackage(paths, "acme_logs", "1.1.0");

        FileSystemIndexer indexer = indexer(paths, ArchiveLimits.DEFAULT);
        assertThat(indexer.packages()).extracting(IndexedPackage::key).containsExactly("acme_logs-1.1.0");
        try (WebServer server = serve(indexer)) {
            for (String path : List.of("/package/acme_logs/1.0.0/docs/etc/shadow", "/package/acme_logs/1.0.0/docs/secret.md",
                    "/package/acme_logs/1.1.0/../1.0.0/docs/etc/shadow")) {
                HttpResponse<String> r = get(server, path);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).as(path).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void linksPutIntoAnIndexedFolderAreNeitherServedNorZipped() throws Exception {
        Path paths = Files.createDirectories(dir.resolve("packages"));
        Path pkg = copyPackage(paths, "acme_logs", "1.1.0");
        FileSystemIndexer indexer = indexer(paths, ArchiveLimits.DEFAULT);
        assertThat(indexer.packages()).hasSize(1);
        Files.createSymbolicLink(pkg.resolve("docs/secret.md"), outside.resolve("shadow"));
        Files.createSymbolicLink(pkg.resolve("docs/etc"), outside);
        Files.createSymbolicLink(pkg.resolve("docs/chain"), Path.of("etc"));
        try (WebServer server = serve(indexer)) {
            for (String path : List.of("/package/acme_logs/1.1.0/docs/etc/shadow", "/package/acme_logs/1.1.0/docs/secret.md",
                    "/package/acme_logs/1.1.0/docs/chain/shadow")) {
                HttpResponse<String> r = get(server, path);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).doesNotContain(SECRET);
            }
            assertThat(get(server, "/package/acme_logs/1.1.0/docs/README.md").statusCode()).isEqualTo(200);
            HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(url(server, "/epr/acme_logs/acme_logs-1.1.0.zip")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zip.statusCode()).isEqualTo(200);
            List<String> names = new ArrayList<>();
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    names.add(e.getName());
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(e.getName()).doesNotContain(SECRET);
                }
            }
            assertThat(names).contains("acme_logs-1.1.0/docs/README.md").noneMatch(n -> n.contains("secret") || n.contains("etc/"));
        }
    }

    @Test
    void zipsFoldersAndSignaturesLinkedFromOutsideThePackagePathAreLeftOut() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        TestPackages.zipFolder(copyPackage(elsewhere, "acme_logs", "1.0.0"), "acme_logs-1.0.0", elsewhere.resolve("acme_logs-1.0.0.zip"));
        Path paths = Files.createDirectories(dir.resolve("packages"));
        Files.createSymbolicLink(paths.resolve("acme_logs-1.0.0.zip"), elsewhere.resolve("acme_logs-1.0.0.zip"));
        Files.createDirectories(paths.resolve("acme_logs"));
        Files.createSymbolicLink(paths.resolve("acme_logs/1.2.0-beta1"), copyPackage(elsewhere, "acme_logs", "1.2.0-beta1"));
        Path signed = copyPackage(paths, "acme_logs", "1.1.0");
        Files.createSymbolicLink(signed.resolveSibling("1.1.0.sig"), outside.resolve("shadow"));
        Path gallery = copyPackage(Files.createDirectories(dir.resolve("g")), "gallery", "2.0.0");
        TestPackages.zipFolder(gallery, "gallery-2.0.0", paths.resolve("gallery-2.0.0.zip"));

        FileSystemIndexer indexer = indexer(paths, ArchiveLimits.DEFAULT);
        assertThat(indexer.packages()).extracting(IndexedPackage::key).containsExactly("gallery-2.0.0");
        try (WebServer server = serve(indexer)) {
            HttpResponse<String> sig = get(server, "/epr/acme_logs/acme_logs-1.1.0.zip.sig");
            assertThat(sig.statusCode()).isEqualTo(404);
            assertThat(sig.body()).doesNotContain(SECRET);
        }
    }

    @Test
    void hostileZipsInPackagePathsAreLeftOut() throws Exception {
        Path paths = Files.createDirectories(dir.resolve("packages"));
        assertThat(hostileZips(paths)).hasSize(8);
        copyPackage(paths, "acme_logs", "1.1.0");
        FileSystemIndexer indexer = indexer(paths, ArchiveLimits.DEFAULT);
        assertThat(indexer.packages()).extracting(IndexedPackage::key).containsExactly("acme_logs-1.1.0");
    }

    @Test
    void pushRefusesHostileZipsAndStoresNothing() throws Exception {
        ArtifactStore store = new ImageLayoutStore(dir.resolve("oci"));
        PackagePublisher publisher = new PackagePublisher(store, "packages", 512L << 20, true, ArchiveLimits.DEFAULT);
        List<Path> zips = hostileZips(Files.createDirectories(dir.resolve("zips")));
        for (Path zip : zips) {
            assertThatThrownBy(() -> publisher.push(zip, w -> { })).as(zip.getFileName().toString())
                    .isInstanceOf(InvalidPackageException.class);
        }
        assertThat(store.listTags("packages")).isEmpty();
    }

    @Test
    void aZipWithTwoEntriesForOneFileIsRefusedAndLeftOut() throws Exception {
        // Fleet reads the first manifest (its name as written); the second, the same file once its name is cleaned, came last.
        String other = MANIFEST.formatted("twice").replace("title: Hostile", "title: Not what Fleet installs");
        Path paths = Files.createDirectories(dir.resolve("packages"));
        Path manifests = HostileZips.write(paths.resolve("twice-1.0.0.zip"), List.of(Entry.file("twice-1.0.0/manifest.yml", MANIFEST.formatted("twice")),
                Entry.file("twice-1.0.0/docs/README.md", "# twice\n"), Entry.file("twice-1.0.0//manifest.yml", other)));
        Path readmes = HostileZips.write(dir.resolve("zips/dotted-1.0.0.zip"), List.of(Entry.file("dotted-1.0.0/manifest.yml", MANIFEST.formatted("dotted")),
                Entry.file("dotted-1.0.0/docs/README.md", "# dotted\n"), Entry.file("./dotted-1.0.0/docs/README.md", "# another\n")));

        ArtifactStore store = new ImageLayoutStore(dir.resolve("oci"));
        PackagePublisher publisher = new PackagePublisher(store, "packages", 512L << 20, true, ArchiveLimits.DEFAULT);
        assertThatThrownBy(() -> publisher.push(manifests, w -> { })).isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("zip entries 'twice-1.0.0/manifest.yml' and 'twice-1.0.0//manifest.yml' are both the file manifest.yml");
        assertThatThrownBy(() -> publisher.push(readmes, w -> { })).isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("'dotted-1.0.0/docs/README.md' and './dotted-1.0.0/docs/README.md' are both the file docs/README.md");
        assertThat(store.listTags("packages")).isEmpty();

        copyPackage(paths, "acme_logs", "1.1.0");
        assertThat(indexer(paths, ArchiveLimits.DEFAULT).packages()).extracting(IndexedPackage::key).containsExactly("acme_logs-1.1.0");
    }

    @Test
    void pushRefusesABombWithTheReasonAndTheLimitsAreSettable() throws Exception {
        ArtifactStore store = new ImageLayoutStore(dir.resolve("oci"));
        Path zip = bomb(dir.resolve("bomb-1.0.0.zip"), "bomb");
        assertThat(Files.size(zip)).isLessThan(8L << 20);
        assertThatThrownBy(() -> new PackagePublisher(store, "packages", 512L << 20, true, ArchiveLimits.DEFAULT).push(zip, w -> { }))
                .hasMessageContaining("compression ratio").hasMessageContaining("docs/README.md");
        assertThatThrownBy(() -> new PackagePublisher(store, "packages", 512L << 20, true, new ArchiveLimits(64L << 20, 100_000))
                .push(zip, w -> { })).hasMessageContaining("uncompressed size limit");
        assertThat(store.listTags("packages")).isEmpty();
    }

    @Test
    void pushRefusesAFolderWithLinksOutAndStoresNothing() throws Exception {
        ArtifactStore store = new ImageLayoutStore(dir.resolve("oci"));
        PackagePublisher publisher = new PackagePublisher(store, "packages", 512L << 20, true, ArchiveLimits.DEFAULT);
        Path fileLink = copyPackage(dir.resolve("a"), "acme_logs", "1.0.0");
        Files.createSymbolicLink(fileLink.resolve("docs/secret.md"), outside.resolve("shadow"));
        Path dirLink = copyPackage(dir.resolve("b"), "acme_logs", "1.0.0");
        Files.createSymbolicLink(dirLink.resolve("docs/etc"), outside);
        for (Path folder : List.of(fileLink, dirLink)) {
            assertThatThrownBy(() -> publisher.push(folder, w -> { })).isInstanceOf(InvalidPackageException.class)
                    .hasMessageContaining("symbolic link leading out of the package folder").hasMessageNotContaining(SECRET);
        }
        assertThat(store.listTags("packages")).isEmpty();
        Path inner = copyPackage(dir.resolve("c"), "acme_logs", "1.0.0");
        Files.createSymbolicLink(inner.resolve("docs/alias.md"), inner.resolve("docs/README.md"));
        assertThat(publisher.push(inner, w -> { }).tag()).isEqualTo("acme_logs-1.0.0");
    }

    /** One zip per way of attacking, each otherwise a valid package of its own name. */
    private List<Path> hostileZips(Path into) throws Exception {
        List<Path> zips = new ArrayList<>();
        zips.add(withExtra(into, "slip", Entry.file("slip-1.0.0/../../../../tmp/x", "pwned")));
        zips.add(withExtra(into, "absolute", Entry.file("/etc/abs", "pwned")));
        zips.add(withExtra(into, "backslash", Entry.file("backslash-1.0.0\\..\\..\\evil", "pwned")));
        zips.add(withExtra(into, "nul", Entry.file("nul-1.0.0/docs/a\u0000.md", "pwned")));
        zips.add(withExtra(into, "symlink", Entry.symlink("symlink-1.0.0/docs/etc", "/etc")));
        zips.add(withExtra(into, "inner_link", Entry.symlink("inner_link-1.0.0/docs/alias.md", "README.md")));
        zips.add(bomb(into.resolve("bomb-1.0.0.zip"), "bomb"));
        zips.add(HostileZips.write(into.resolve("liar-1.0.0.zip"), List.of(Entry.file("liar-1.0.0/manifest.yml", MANIFEST.formatted("liar"))),
                List.of(new Bomb("liar-1.0.0/docs/README.md", 8L << 20, 12))));
        return zips;
    }

    private static Path withExtra(Path into, String name, Entry extra) throws Exception {
        return HostileZips.write(into.resolve(name + "-1.0.0.zip"), List.of(Entry.file(name + "-1.0.0/manifest.yml", MANIFEST.formatted(name)),
                Entry.file(name + "-1.0.0/docs/README.md", "# " + name + "\n"), extra));
    }

    /** A valid package of a few MB whose README, fields and changelog inflate to 4 GiB. */
    private static Path bomb(Path zip, String name) throws Exception {
        String root = name + "-1.0.0/";
        return HostileZips.write(zip, List.of(Entry.file(root + "manifest.yml", MANIFEST.formatted(name))), List.of(
                Bomb.honest(root + "docs/README.md", 2048L << 20), Bomb.honest(root + "changelog.yml", 1024L << 20),
                Bomb.honest(root + "fields/fields.yml", 1024L << 20)));
    }

    private Path copyPackage(Path paths, String name, String version) throws Exception {
        Path to = paths.resolve(name).resolve(version);
        TestPackages.copyTree(TestPackages.source().resolve(name).resolve(version), to);
        return to;
    }

    private static FileSystemIndexer indexer(Path paths, ArchiveLimits limits) throws Exception {
        FileSystemIndexer indexer = new FileSystemIndexer(List.of(paths), true, false, limits, Clock.systemUTC());
        indexer.start();
        return indexer;
    }

    private static WebServer serve(FileSystemIndexer indexer) {
        ApiSettings settings = new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(1), false);
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        EprApi api = new EprApi(indexer, settings, Clock.systemUTC(), ready);
        return WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready), (r, m, s, t) -> { }, api::register);
    }

    private HttpResponse<String> get(WebServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(server, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(WebServer server, String path) {
        return URI.create(server.localUri() + path);
    }
}
