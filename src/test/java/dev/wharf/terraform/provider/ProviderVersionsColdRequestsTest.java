package dev.wharf.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.epr.RegistryStores;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.DockerRegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cold provider versions answer, counted in docker-registry's own access log (what the benchmark
 * counts): versions and platforms are tag names, so the tag list (after the new store's {@code /v2/}
 * check) is the whole cost, however many versions there are; only a version whose release has a {@code _manifest.json} costs the one
 * SHA256SUMS manifest that carries its protocols.
 */
class ProviderVersionsColdRequestsTest {
    private static final Pattern REQUEST = Pattern.compile("\"(GET|HEAD) (/v2/[^ ]*) HTTP");
    private static final String BASE = "boring-registry";

    @TempDir
    Path dir;

    private DockerRegistryServer registry;
    private RegistryArtifactStore publishing;

    @BeforeEach
    void start() throws Exception {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        publishing = RegistryStores.anonymous(registry);
    }

    @AfterEach
    void stop() {
        publishing.close();
        registry.stop();
    }

    @Test
    void aColdAnswerCostsTheTagListWhateverTheNumberOfVersions() throws Exception {
        for (int i = 0; i < 2; i++) {
            release("few", "1." + i + ".0", false);
        }
        for (int i = 0; i < 12; i++) {
            release("many", "2." + i + ".0", false);
        }

        assertThat(coldRequests("few", 2)).containsExactly("GET /v2/", "GET /v2/boring-registry/providers/acme/few/tags/list");
        assertThat(coldRequests("many", 12)).containsExactly("GET /v2/", "GET /v2/boring-registry/providers/acme/many/tags/list");
    }

    @Test
    void onlyAVersionWithARegistryManifestCostsItsSha256SumsManifest() throws Exception {
        for (int i = 0; i < 6; i++) {
            release("proto", "3." + i + ".0", i == 4);
        }

        ProviderService service = coldService();
        long mark = logLines();
        List<ProviderVersion> versions = service.versions(new ProviderAddress("acme", "proto")).value();
        assertThat(requestsSince(mark)).containsExactly(
                "GET /v2/",
                "GET /v2/boring-registry/providers/acme/proto/tags/list",
                "GET /v2/boring-registry/providers/acme/proto/manifests/terraform-provider-proto_3.4.0_SHA256SUMS");
        assertThat(versions).extracting(ProviderVersion::version).containsExactly("3.5.0", "3.4.0", "3.3.0", "3.2.0", "3.1.0", "3.0.0");
        assertThat(versions).extracting(ProviderVersion::protocols).containsExactly(
                List.of("5.0"), List.of("5.0", "6.0"), List.of("5.0"), List.of("5.0"), List.of("5.0"), List.of("5.0"));
        assertThat(versions.get(0).platforms()).extracting(p -> p.os() + "_" + p.arch()).containsExactly("darwin_arm64", "linux_amd64");
    }

    private List<String> coldRequests(String name, int expectedVersions) throws Exception {
        ProviderService service = coldService();
        long mark = logLines();
        assertThat(service.versions(new ProviderAddress("acme", name)).value()).hasSize(expectedVersions);
        return requestsSince(mark);
    }

    /** As a freshly started server has it: nothing cached, the store on the registry behind the tag cache. */
    private ProviderService coldService() {
        RegistryArtifactStore remote = RegistryStores.anonymous(registry);
        return new ProviderService(new CachingArtifactStore(remote, Duration.ofMinutes(5)), TerraformLayout.under(BASE), new ObjectMapper());
    }

    /** Two platforms, SHA256SUMS and signature, and with {@code registryManifest} a _manifest.json declaring 5.0 and 6.0, as an upload stores them. */
    private void release(String name, String version, boolean registryManifest) {
        String repository = BASE + "/providers/acme/" + name;
        String prefix = "terraform-provider-" + name + "_" + version;
        List<String> files = new ArrayList<>(List.of(prefix + "_linux_amd64.zip", prefix + "_darwin_arm64.zip"));
        if (registryManifest) {
            files.add(prefix + "_manifest.json");
        }
        for (String file : files) {
            push(repository, file, Map.of());
        }
        push(repository, prefix + "_SHA256SUMS", registryManifest ? Map.of(MediaTypes.PROTOCOLS_ANNOTATION, "5.0,6.0") : Map.of());
        push(repository, prefix + "_SHA256SUMS.sig", Map.of());
    }

    private void push(String repository, String file, Map<String, String> annotations) {
        Layer layer = Layer.file("application/octet-stream", file, BlobSource.ofBytes(file.getBytes(StandardCharsets.UTF_8)));
        publishing.push(repository, file, new Artifact("application/vnd.wharf.terraform.provider.v1", List.of(layer), annotations), false);
    }

    /** The requests docker-registry logged since {@code mark} lines; it logs each before it sends the answer. */
    private List<String> requestsSince(long mark) throws Exception {
        return Files.readAllLines(dir.resolve("registry/registry.log")).stream().skip(mark).map(REQUEST::matcher)
                .filter(Matcher::find).map(m -> m.group(1) + " " + m.group(2)).toList();
    }

    private long logLines() throws Exception {
        return Files.readAllLines(dir.resolve("registry/registry.log")).size();
    }
}
