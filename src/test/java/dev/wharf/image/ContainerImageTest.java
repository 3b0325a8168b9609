package dev.wharf.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.epr.TestPackages;
import dev.wharf.testing.DebianJreBase;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.Podman;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.TerraformCli;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image, for real: the pom's Jib configuration run by Maven as {@code scripts/image}
 * runs it, on a base made from Debian's packages (CI reaches no public registry) that a real
 * {@code docker-registry} serves; the archive loaded into podman, and both programs run from it.
 */
class ContainerImageTest {
    private static final Duration PODMAN = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Podman podman;
    static DockerRegistryServer registry;
    static Path archive;
    static String image;
    static String revision;
    private final List<String> containers = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();

    @BeforeAll
    static void buildTheImage() throws IOException {
        podman = new Podman(dir.resolve("podman"));
        Path skopeo = RequiredTool.require("skopeo", "skopeo");
        Path base = DebianJreBase.layout(podman);
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        String baseRef = registry.host() + "/wharf-test/jre:" + DebianJreBase.TAG;
        Podman.Result copied = podman.exec(List.of(skopeo.toString(), "copy", "--dest-tls-verify=false",
                "oci:" + base + ":" + DebianJreBase.TAG, "docker://" + baseRef), PODMAN);
        assertThat(copied.ok()).as(copied.output()).isTrue();

        String id = UUID.randomUUID().toString().substring(0, 8);
        image = "localhost/wharf-test:" + id;
        revision = "test-revision-" + id;
        archive = dir.resolve("wharf-image.tar");
        List<String> maven = new ArrayList<>(List.of(Path.of(System.getProperty("wharf.maven.home"), "bin", "mvn").toString(), "-B", "-q"));
        // jib:buildTar alone: the classes are compiled already, and a second `package` would rewrite the jar other tests run.
        // Never -o: Jib refuses to pull a base image in Maven's offline mode (the plugin itself comes from the local repository).
        maven.addAll(List.of("-Dmaven.repo.local=" + System.getProperty("wharf.maven.repo"), "-f", Path.of("pom.xml").toAbsolutePath().toString(),
                "-Dimage.base=" + baseRef, "-Djib.allowInsecureRegistries=true", "-Djib.disableUpdateChecks=true",
                "-Dimage.tar=" + archive, "-Dimage.name=" + image, "-Dimage.revision=" + revision,
                "-Djib.applicationCache=" + dir.resolve("jib-cache"), "jib:buildTar"));
        Podman.Result built = podman.exec(maven, Duration.ofMinutes(5));
        assertThat(built.ok()).as("the Jib build:\n" + built.output() + "\n" + registry.log()).isTrue();
        assertThat(podman.ok(PODMAN, "load", "--input", archive.toString())).contains(image);
    }

    @AfterAll
    static void removeTheImage() {
        if (podman != null && image != null) {
            podman.run(PODMAN, "rmi", "--force", image);
        }
        if (registry != null) {
            registry.close();
        }
    }

    void removeContainers() {
        containers.forEach(c -> podman.run(PODMAN, "rm", "--force", "--volumes", c));
        volumes.forEach(v -> podman.run(PODMAN, "volume", "rm", "--force", v));
    }

    @org.junit.jupiter.api.AfterEach
    void cleanUp() {
        removeContainers();
    }

    @Test
    void theArchiveIsAnOciImageWithTheLabelsUserVolumeAndPortsOperatorsExpect() throws IOException {
        List<String> entries = new ArrayList<>();
        try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.add(entry.getName());
            }
        }
        assertThat(entries).contains("oci-layout", "index.json");

        JsonNode config = JSON.readTree(podman.ok(PODMAN, "image", "inspect", "--format", "{{json .Config}}", image));
        assertThat(config.path("User").asText()).isEqualTo("65532:0");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/data");
        assertThat(config.path("Volumes").has("/data")).as(config.toString()).isTrue();
        assertThat(config.path("ExposedPorts").fieldNames()).toIterable().contains("5601/tcp", "7801/tcp", "8080/tcp");
        JsonNode labels = config.path("Labels");
        assertThat(labels.path("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
        assertThat(labels.path("org.opencontainers.image.revision").asText()).isEqualTo(revision);
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(System.getProperty("wharf.version"));
        assertThat(labels.has("org.opencontainers.image.source")).isTrue();

        // Not root, and still able to write the volume (group 0 may, as on OpenShift's random ids).
        String volume = volume();
        String written = podman.ok(PODMAN, "run", "--rm", "--network", "host", "--volume", volume + ":/data", "--entrypoint", "sh", image,
                "-c", "id -u; touch /data/written && echo ok");
        assertThat(written.lines().toList()).containsExactly("65532", "ok");
    }

    @Test
    void javaToolOptionsAreHonouredAndTheHeapFollowsTheContainersMemoryLimit() {
        String flags = podman.ok(PODMAN, "run", "--rm", "--network", "host", "--memory", "256m",
                "--env", "JAVA_TOOL_OPTIONS=-XX:+PrintFlagsFinal", image, "boring-registry", "version");
        assertThat(flags).contains("Picked up JAVA_TOOL_OPTIONS: -XX:+PrintFlagsFinal").contains("boring-registry (Wharf)");
        Matcher heap = Pattern.compile("size_t MaxHeapSize\\s+=\\s+(\\d+)").matcher(flags);
        assertThat(heap.find()).as(flags).isTrue();
        // 75 % of 256 MiB, give or take the heap's alignment; the JVM's own default would be 25 %.
        assertThat(Long.parseLong(heap.group(1))).isBetween(180L << 20, 200L << 20);
        // The launchers' defaults (bench figure "jvm"): the serial collector, a heap that starts at 16 MiB, and C2 kept
        // (C1 alone has no SHA-256 intrinsic).
        assertThat(flags).containsPattern("bool UseSerialGC\\s+= true").containsPattern("size_t InitialHeapSize\\s+= " + (16L << 20) + "\\s")
                .containsPattern("intx TieredStopAtLevel\\s+= 4\\s");
    }

    @Test
    void boringRegistryInTheContainerServesTheExampleModuleToTerraform() throws Exception {
        String volume = volume();
        Path examples = Path.of("examples").toAbsolutePath();
        podman.ok(PODMAN, "run", "--rm", "--network", "host", "--volume", volume + ":/data", "--volume", examples + ":/examples:ro",
                image, "boring-registry", "upload", "module", "/examples/modules");

        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        Path tls = dir.resolve("tls-" + UUID.randomUUID());
        Path certFile = certificate.writePem(tls);
        int port = WharfProcess.freePort();
        int telemetry = WharfProcess.freePort();
        String container = start("--volume", volume + ":/data", "--volume", tls + ":/tls:ro", image,
                "boring-registry", "server", "--listen-address", "127.0.0.1:" + port, "--listen-telemetry-address", "127.0.0.1:" + telemetry,
                "--tls-cert-file", "/tls/cert.pem", "--tls-key-file", "/tls/key.pem");
        HttpClient https = HttpClient.newBuilder().sslContext(certificate.trustingContext()).connectTimeout(Duration.ofSeconds(2)).build();
        String host = "127.0.0.1:" + port;
        awaitAnswer(container, https, URI.create("https://" + host + "/v1/modules/example/hello/null/versions"), body -> body.contains("\"1.0.0\""));
        assertThat(get(https, URI.create("http://127.0.0.1:" + telemetry + "/health")).statusCode()).isEqualTo(200);

        Path config = Files.createTempFile(dir, "terraformrc-", ".tfrc");
        TerraformCli.writeConfig(config, host, null);
        Path root = Files.createDirectories(dir.resolve("terraform-" + UUID.randomUUID()));
        Files.writeString(root.resolve("main.tf"), """
                module "hello" {
                  source  = "%s/example/hello/null"
                  version = "~> 1.0"
                }
                """.formatted(host));
        TerraformCli.Result init = new TerraformCli(config, certFile).run(root, "init", "-no-color");
        assertThat(init.ok()).as(init.output() + "\n" + podman.run(PODMAN, "logs", container).output()).isTrue();
        assertThat(init.output()).contains("Downloading " + host + "/example/hello/null 1.0.0");
        assertThat(root.resolve(".terraform/modules/hello/main.tf")).exists();
    }

    @Test
    void packageRegistryInTheContainerAnswersSearch() throws Exception {
        Path packages = dir.resolve("packages-" + UUID.randomUUID());
        TestPackages.copyTree(TestPackages.source().resolve("gallery"), packages.resolve("gallery"));
        int port = WharfProcess.freePort();
        // The default ./packages is /data/packages in the image.
        String container = start("--volume", volume() + ":/data", "--volume", packages + ":/data/packages:ro",
                "--env", "EPR_ADDRESS=127.0.0.1:" + port, image, "package-registry", "-require-package-signatures=false");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String body = awaitAnswer(container, http, URI.create("http://127.0.0.1:" + port + "/search"), answer -> answer.startsWith("["));
        JsonNode found = JSON.readTree(body);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("name").asText()).isEqualTo("gallery");
        assertThat(found.get(0).path("version").asText()).isEqualTo("2.0.0");
    }

    private String volume() {
        String name = "wharf-test-" + UUID.randomUUID();
        podman.ok(PODMAN, "volume", "create", name);
        volumes.add(name);
        return name;
    }

    /** {@code podman run --detach} on the host's network; removed after the test. */
    private String start(String... args) {
        String name = "wharf-test-" + UUID.randomUUID();
        List<String> command = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host"));
        command.addAll(List.of(args));
        containers.add(name);
        podman.ok(PODMAN, command.toArray(String[]::new));
        return name;
    }

    /** Polls {@code url} until it answers 200 with a body {@code correct} accepts; the body. */
    private String awaitAnswer(String container, HttpClient http, URI url, Predicate<String> correct) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "(no answer)";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = get(http, url);
                if (answer.statusCode() == 200 && correct.test(answer.body())) {
                    return answer.body();
                }
                last = answer.statusCode() + " " + answer.body();
            } catch (IOException e) {
                last = e.toString();
                String running = podman.run(PODMAN, "inspect", "--format", "{{.State.Running}}", container).output().trim();
                assertThat(running).as("container %s stopped:\n%s", container, podman.run(PODMAN, "logs", container).output()).isEqualTo("true");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no correct answer from " + url + " within 90 s; last: " + last + "\n" + podman.run(PODMAN, "logs", container).output());
    }

    private static HttpResponse<String> get(HttpClient http, URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
