package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.auth.OidcSettings;
import dev.wharf.terraform.auth.OidcVerifier;
import dev.wharf.terraform.layout.RepositoryLayout;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.RegistryFront;
import dev.wharf.terraform.mirror.upstream.HttpUpstreamRegistry;
import dev.wharf.terraform.mirror.upstream.OpenPgpSignatureCheck;
import dev.wharf.terraform.mirror.upstream.UpstreamHosts;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.terraform.web.FileUrlSigner;
import dev.wharf.terraform.web.MirrorApi;
import dev.wharf.terraform.web.StaticTokens;
import dev.wharf.terraform.web.TerraformApi;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.TestCertificates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 5's proof with the real terraform CLI: an upstream Wharf holding a signed provider, reached by
 * a port-less hostname through the mirror's upstream mapping; the mirror Wharf serving
 * {@code network_mirror} over TLS with a certificate made here.
 */
class MirrorEndToEndTest {
    private static final String SOURCE = "registry.example.test/acme/dummy";
    private static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    private Path terraform;
    private TestCertificates.SelfSigned certificate;
    private Path certFile;
    private Map<String, Path> zips;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        terraform = RequiredTool.require("terraform", "terraform (HashiCorp's apt repository)");
        certificate = TestCertificates.localhost();
        certFile = certificate.writePem(temp.resolve("tls"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    /** Where the mirror keeps what it pulls through: the embedded layout or Debian's docker-registry. */
    enum MirrorStorageKind {
        IMAGE_LAYOUT, DOCKER_REGISTRY,
        /** docker-registry behind a front with Docker Hub's naming rule, flat layout in myorg/boring-registry. */
        DOCKER_HUB_FRONT_FLAT,
        /** docker-registry behind a front with GitLab's depth rule, flat layout in group/project/boring-registry. */
        GITLAB_FRONT_FLAT
    }

    /** The repository the mirror keeps its files below (flat: the one it keeps them in). */
    private String mirrorBase = "boring-registry";
    /** The flat kinds' registry, read without the flat view, to see the tags as stored. */
    private ArtifactStore rawFlat;

    @ParameterizedTest(name = "mirror storage in {0}")
    @EnumSource(MirrorStorageKind.class)
    void pullThroughStoresWhatInitFetchesAndServesItWhenTheUpstreamIsGone(MirrorStorageKind kind) throws Exception {
        WebServer upstream = startUpstream();
        ArtifactStore mirrorStore = openMirrorStore(kind);
        WebServer mirror = startMirror(mirrorStore, true, upstream, ClientAuthentication.open());

        Path first = workDir("first");
        Result init = run(first, cliConfig(mirror, Optional.empty()), "init", "-input=false");
        assertThat(init.exit()).as(init.output()).isZero();
        assertThat(init.output()).contains("Installed registry.example.test/acme/dummy v1.0.0 (verified checksum)");
        assertThat(mirrorStore.listTags(mirrorBase + "/mirror/providers/registry.example.test/acme/dummy"))
                .contains("terraform-provider-dummy_1.0.0_linux_amd64.zip", "terraform-provider-dummy_1.0.0_SHA256SUMS",
                        "terraform-provider-dummy_1.0.0_SHA256SUMS.sig");
        if (rawFlat != null) {
            assertThat(rawFlat.listTags(mirrorBase)).contains(
                    "mirror..providers..registry.example.test..acme..dummy._terraform-provider-dummy_1.0.0_SHA256SUMS",
                    "mirror..providers..registry.example.test..acme._signing-keys.json");
        }

        Result lock = run(first, cliConfig(mirror, Optional.empty()), "providers", "lock",
                "-net-mirror=" + mirror.localUri() + "/v1/mirror/", "-platform=linux_amd64", "-platform=darwin_arm64");
        assertThat(lock.exit()).as(lock.output()).isZero();
        String lockFile = Files.readString(first.resolve(".terraform.lock.hcl"));
        assertThat(lockFile).contains(PackageHashes.h1Of(zips.get("linux_amd64")), PackageHashes.h1Of(zips.get("darwin_arm64")));

        upstream.close();

        Path second = workDir("second");
        Files.copy(first.resolve(".terraform.lock.hcl"), second.resolve(".terraform.lock.hcl"));
        Result again = run(second, cliConfig(mirror, Optional.empty()), "init", "-input=false");
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("Installed registry.example.test/acme/dummy v1.0.0");
    }

    @Test
    void aTerraformProvidersMirrorDirectoryUploadedAirGappedIsServedWithoutUpstream() throws Exception {
        WebServer upstream = startUpstream();
        Path work = workDir("mirror-from");
        Path cli = Files.writeString(temp.resolve("origin.tfrc"), """
                host "registry.example.test" {
                  services = { "providers.v1" = "%s/v1/providers/" }
                }
                """.formatted(upstream.localUri()));
        Path out = temp.resolve("providers-mirror");
        Result mirrored = run(work, cli, "providers", "mirror", "-platform=linux_amd64", "-platform=darwin_arm64", out.toString());
        assertThat(mirrored.exit()).as(mirrored.output()).isZero();
        upstream.close();

        ArtifactStore store = new ImageLayoutStore(temp.resolve("airgap-oci"));
        MirrorStorage storage = new MirrorStorage(store, TerraformLayout.under("boring-registry"), tempDir());
        MirrorUpload.Result uploaded = new MirrorUpload(storage, new ZipInspector(ArchiveLimits.DEFAULT)).upload(out);
        assertThat(uploaded.stored()).hasSize(2);
        WebServer mirror = startMirror(store, false, null, ClientAuthentication.open());

        Path fresh = workDir("fresh");
        Result init = run(fresh, cliConfig(mirror, Optional.empty()), "init", "-input=false");
        assertThat(init.exit()).as(init.output()).isZero();
        assertThat(init.output()).contains("Installed registry.example.test/acme/dummy v1.0.0 (verified checksum)");
    }

    @Test
    void withOidcAValidTokenInstallsAndAnExpiredOrForgedOneFails() throws Exception {
        OidcIssuer issuer = OidcIssuer.start();
        running.add(issuer);
        ArtifactStore store = new ImageLayoutStore(temp.resolve("oidc-oci"));
        MirrorStorage storage = new MirrorStorage(store, TerraformLayout.under("boring-registry"), tempDir());
        Path zip = TestZips.provider(temp.resolve("p/terraform-provider-dummy_1.0.0_linux_amd64.zip"), "dummy", "1.0.0", "linux_amd64");
        storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
        OidcVerifier verifier = OidcVerifier.connect(new OidcSettings(issuer.issuer(), "wharf", Optional.empty(), List.of("openid"),
                Optional.empty(), OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN), HttpClient.newHttpClient(), Clock.systemUTC());
        WebServer mirror = startMirror(store, false, null, new ClientAuthentication(h -> false, false, Optional.of(verifier)));

        Result good = run(workDir("good"), cliConfig(mirror, Optional.of(issuer.token("alice", "wharf", Duration.ofMinutes(10)))),
                "init", "-input=false");
        assertThat(good.exit()).as(good.output()).isZero();

        Result expired = run(workDir("expired"), cliConfig(mirror, Optional.of(issuer.expiredToken("alice", "wharf", Duration.ofMinutes(10)))),
                "init", "-input=false");
        assertThat(expired.exit()).as(expired.output()).isNotZero();
        assertThat(expired.output()).contains("rejected the given");

        Result forged = run(workDir("forged"), cliConfig(mirror, Optional.of(issuer.forgedToken("mallory", "wharf"))), "init", "-input=false");
        assertThat(forged.exit()).as(forged.output()).isNotZero();

        Result none = run(workDir("none"), cliConfig(mirror, Optional.empty()), "init", "-input=false");
        assertThat(none.exit()).as(none.output()).isNotZero();
    }

    private ArtifactStore openMirrorStore(MirrorStorageKind kind) {
        ArtifactStore store = switch (kind) {
            case IMAGE_LAYOUT -> new ImageLayoutStore(temp.resolve("mirror-oci"));
            case DOCKER_REGISTRY -> {
                DockerRegistryServer registry = DockerRegistryServer.anonymous(temp.resolve("mirror-registry"));
                running.add(registry);
                yield new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()));
            }
            case DOCKER_HUB_FRONT_FLAT, GITLAB_FRONT_FLAT -> {
                DockerRegistryServer registry = DockerRegistryServer.anonymous(temp.resolve("mirror-registry"));
                running.add(registry);
                RegistryFront front = kind == MirrorStorageKind.DOCKER_HUB_FRONT_FLAT
                        ? RegistryFront.dockerHub(registry.url(), false) : RegistryFront.gitLab(registry.url(), "group/project");
                running.add(front);
                mirrorBase = kind == MirrorStorageKind.DOCKER_HUB_FRONT_FLAT ? "myorg/boring-registry" : "group/project/boring-registry";
                rawFlat = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()));
                running.add(rawFlat);
                yield RepositoryLayout.flat(TerraformLayout.under(mirrorBase))
                        .over(new RegistryArtifactStore(new RegistrySettings(front.url(), false, Optional.empty())), mirrorBase);
            }
        };
        running.add(store);
        return store;
    }

    private WebServer startUpstream() throws IOException {
        ArtifactStore store = new ImageLayoutStore(temp.resolve("upstream-oci"));
        TerraformLayout layout = TerraformLayout.under("boring-registry");
        ProviderService providers = new ProviderService(store, layout, JSON);
        PgpKeys key = PgpKeys.generate("Wharf Mirror Test <mirror@example.test>");
        Path release = Files.createDirectories(temp.resolve("release"));
        Path armored = Files.writeString(release.resolve("key.asc"), key.armoredPublicKey());
        new SigningKeyUploader(store, layout, providers, JSON).add("acme", armored);
        zips = new java.util.LinkedHashMap<>();
        StringBuilder sums = new StringBuilder();
        for (String platform : List.of("linux_amd64", "darwin_arm64")) {
            String name = "terraform-provider-dummy_1.0.0_" + platform + ".zip";
            Path zip = TestZips.provider(release.resolve(name), "dummy", "1.0.0", platform);
            zips.put(platform, zip);
            sums.append(Digest.sha256(Files.readAllBytes(zip)).hex()).append("  ").append(name).append('\n');
        }
        Path sumsFile = Files.writeString(release.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS"), sums);
        Files.write(release.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS.sig"), key.detachedSignature(sums.toString().getBytes(StandardCharsets.UTF_8)));
        new ProviderUploader(store, layout, providers, JSON, new ZipInspector(ArchiveLimits.DEFAULT), line -> { }).upload("acme", sumsFile, List.copyOf(zips.values()), false);

        TerraformApi api = new TerraformApi(new ModuleService(store, layout), providers, StaticTokens.of(List.of()),
                FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), true, JSON);
        WebServer server = WebServer.start(new ListenAddress("127.0.0.1", 0), tls(), api::register);
        running.add(server);
        return server;
    }

    private WebServer startMirror(ArtifactStore store, boolean pullThrough, WebServer upstream, ClientAuthentication auth) throws IOException {
        MirrorStorage storage = new MirrorStorage(store, TerraformLayout.under(mirrorBase), tempDir());
        Optional<PullThrough> pull = Optional.empty();
        if (pullThrough) {
            HttpUpstreamRegistry client = new HttpUpstreamRegistry(
                    HttpUpstreamRegistry.client(Optional.of(certificate.trustingContext()), Duration.ofSeconds(5)),
                    UpstreamHosts.parse(List.of("registry.example.test=" + upstream.localUri())), new OpenPgpSignatureCheck(),
                    Duration.ofSeconds(30));
            pull = Optional.of(new PullThrough(client, storage, tempDir(), new ZipInspector(ArchiveLimits.DEFAULT)));
        }
        MirrorApi api = new MirrorApi(new MirrorService(storage, pull), auth, FileUrlSigner.withRandomKey(Duration.ofMinutes(5)));
        WebServer server = WebServer.start(new ListenAddress("127.0.0.1", 0), tls(), api::register);
        running.add(server);
        return server;
    }

    private Optional<TlsFiles> tls() {
        return Optional.of(new TlsFiles(certFile, certFile.resolveSibling("key.pem"), Optional.empty()));
    }

    private Path tempDir() throws IOException {
        return Files.createDirectories(temp.resolve("tmp"));
    }

    private Path workDir(String name) throws IOException {
        Path dir = Files.createDirectories(temp.resolve("work-" + name));
        Files.writeString(dir.resolve("main.tf"), """
                terraform {
                  required_providers {
                    dummy = { source = "%s", version = "1.0.0" }
                  }
                }
                """.formatted(SOURCE));
        return dir;
    }

    private Path cliConfig(WebServer mirror, Optional<String> token) throws IOException {
        String host = mirror.localUri().getAuthority();
        String config = """
                provider_installation {
                  network_mirror { url = "%s/v1/mirror/" }
                }
                """.formatted(mirror.localUri());
        if (token.isPresent()) {
            config += "credentials \"" + host + "\" { token = \"" + token.get() + "\" }\n";
        }
        return Files.writeString(Files.createTempFile(temp, "cli", ".tfrc"), config);
    }

    private record Result(int exit, String output) {
    }

    private Result run(Path work, Path cliConfig, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(terraform.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        pb.environment().put("SSL_CERT_FILE", certFile.toString());
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        pb.environment().put("TF_PLUGIN_CACHE_DIR", "");
        pb.environment().put("NO_COLOR", "1");
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("terraform finished").isTrue();
        return new Result(process.exitValue(), output);
    }
}
