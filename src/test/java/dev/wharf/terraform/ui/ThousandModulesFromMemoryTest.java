package dev.wharf.terraform.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StandardAnnotations;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.discovery.ModuleCatalog;
import dev.wharf.terraform.discovery.ProviderCatalog;
import dev.wharf.terraform.docs.ModuleDocumentation;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home and module pages over 1 000 modules in the embedded layout, wired as the server wires
 * them (the caching store over the layout): once warm they are answered from memory, with no
 * storage call at all, even when the lists are older than their ttl; the old list is rebuilt away
 * from the request, and what that rebuild finds shows next.
 */
class ThousandModulesFromMemoryTest {
    private static final int MODULES = 1000;
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static final TerraformLayout LAYOUT = TerraformLayout.under("boring-registry");
    private static final AtomicLong NANOS = new AtomicLong(1);
    private static final List<Runnable> REBUILDS = Collections.synchronizedList(new ArrayList<>());
    private static ImageLayoutStore layout;
    private static CountingStore counting;
    private static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        layout = new ImageLayoutStore(dir.resolve("data"));
        byte[] archive = UiRegistry.tarGz(Map.of("main.tf", "variable \"cidr\" {}\n", "README.md", "# A module\n\nOne of many.\n"));
        IntStream.range(0, MODULES).parallel().forEach(i -> push(layout, "team" + (i % 20), "m%04d".formatted(i), archive));
        counting = new CountingStore(layout);
        // As ServerCommand stacks them: the caching store over the storage, everything else over it.
        CachingArtifactStore served = new CachingArtifactStore(counting, TTL, Duration.ofHours(24), NANOS::get);
        ModuleService modules = new ModuleService(served, LAYOUT);
        ObjectMapper json = new ObjectMapper();
        RegistryUi ui = new RegistryUi(new ModuleCatalog(served, LAYOUT, modules, TTL, NANOS::get, REBUILDS::add),
                new ProviderCatalog(served, LAYOUT, TTL, NANOS::get, REBUILDS::add), new ProviderService(served, LAYOUT, json),
                new ModuleReadmes(modules), new ModuleDocumentation(modules, ArchiveLimits.DEFAULT), ClientAuthentication.open(), Optional.empty(),
                new dev.wharf.http.ReadyAnswers(1L << 20));
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), ui::register);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        layout.close();
    }

    @Test
    void warmPagesMakeNoStorageCallEvenPastTheTtlAndTheRebuildShowsWhatIsNew() throws Exception {
        assertThat(page("/ui/")).contains("team0/m0000/aws", "Next modules");
        assertThat(counting.calls()).as("the first home page reads storage").isPositive();
        assertThat(page("/ui/modules/team0/m0500/aws")).contains("team0/m0500/aws", "One of many.");

        counting.reset();
        assertThat(page("/ui/")).contains("team0/m0000/aws");
        assertThat(page("/ui/?q=m0999")).contains("team19/m0999/aws").doesNotContain("m0998");
        assertThat(page("/ui/?namespace=team7&offset=0")).contains("team7/m0007/aws");
        assertThat(page("/ui/modules/team0/m0500/aws")).contains("One of many.");
        assertThat(counting.calls()).as("calls for warm pages within the ttl").isZero();

        NANOS.addAndGet(TTL.plusSeconds(1).toNanos());
        push(layout, "zeta", "fresh", UiRegistry.tarGz(Map.of("main.tf", "\n")));
        counting.reset();
        assertThat(page("/ui/?q=m0042")).contains("team2/m0042/aws").doesNotContain("zeta/fresh/aws");
        assertThat(counting.calls()).as("calls for the home page past the ttl").isZero();
        assertThat(REBUILDS).as("the old lists' rebuilds, queued away from the request").isNotEmpty();

        List<Runnable> queued;
        synchronized (REBUILDS) {
            queued = List.copyOf(REBUILDS);
            REBUILDS.clear();
        }
        queued.forEach(Runnable::run);
        assertThat(counting.calls()).as("the rebuild reads storage").isPositive();
        assertThat(page("/ui/?q=fresh")).contains("zeta/fresh/aws");
    }

    private static void push(ArtifactStore store, String namespace, String name, byte[] archive) {
        Map<String, String> annotations = new HashMap<>(StandardAnnotations.of(name, "1.0.0", Instant.parse("2026-11-02T10:00:00Z")));
        annotations.put(StandardAnnotations.DESCRIPTION, "Module " + name);
        store.push(LAYOUT.moduleRepository(namespace, name, "aws"), LAYOUT.moduleTag(namespace, name, "aws", "1.0.0"),
                new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(Layer.file(MediaTypes.MODULE_TAR_GZ, "module.tar.gz", BlobSource.ofBytes(archive))),
                        annotations), false);
    }

    private static String page(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.localUri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** Counts every call that reaches storage. */
    private static final class CountingStore extends ForwardingArtifactStore {
        private final AtomicInteger calls = new AtomicInteger();

        CountingStore(ArtifactStore delegate) {
            super(delegate);
        }

        int calls() {
            return calls.get();
        }

        void reset() {
            calls.set(0);
        }

        @Override
        public List<String> listTags(String repository) {
            calls.incrementAndGet();
            return super.listTags(repository);
        }

        @Override
        public List<String> listRepositories(String prefix) {
            calls.incrementAndGet();
            return super.listRepositories(prefix);
        }

        @Override
        public Optional<Manifest> resolve(String repository, String reference) {
            calls.incrementAndGet();
            return super.resolve(repository, reference);
        }

        @Override
        public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
            calls.incrementAndGet();
            return super.resolveAll(repository, references);
        }

        @Override
        public Stamped<List<String>> listTagsStamped(String repository) {
            calls.incrementAndGet();
            return super.listTagsStamped(repository);
        }

        @Override
        public Stamped<Optional<Manifest>> resolveStamped(String repository, String reference) {
            calls.incrementAndGet();
            return super.resolveStamped(repository, reference);
        }

        @Override
        public boolean isCurrentTagList(String repository, Generation generation) {
            calls.incrementAndGet();
            return super.isCurrentTagList(repository, generation);
        }

        @Override
        public boolean isCurrentResolution(String repository, String reference, Generation generation) {
            calls.incrementAndGet();
            return super.isCurrentResolution(repository, reference, generation);
        }

        @Override
        public boolean exists(String repository, String tag) {
            calls.incrementAndGet();
            return super.exists(repository, tag);
        }

        @Override
        public InputStream openBlob(String repository, Digest digest) {
            calls.incrementAndGet();
            return super.openBlob(repository, digest);
        }

        @Override
        public ChunkSource readBlob(String repository, Digest digest) {
            calls.incrementAndGet();
            return super.readBlob(repository, digest);
        }

        @Override
        public Optional<URI> directBlobUrl(String repository, Digest digest) {
            calls.incrementAndGet();
            return super.directBlobUrl(repository, digest);
        }
    }
}
