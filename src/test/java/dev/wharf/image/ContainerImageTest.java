package dev.wharf.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.epr.TestPackages;
import dev.wharf.terraform.upload.FileSha256;
import dev.wharf.testing.DebianJreBase;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.Podman;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.TerraformCli;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
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
import java.util.Map;
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
 * {@code docker-registry} serves; the archive loaded into podman, and both programs run from it. Built twice, as
 * scripts/image builds it: without class-data archives, then with the ones scripts/image-class-data dumps in it (one
 * per server, one for every other command) from the class lists {@code package} trained, of which the entry point
 * maps the command's own. The image carries the shaded jar, so this runs after {@code package} (failsafe).
 */
class ContainerImageTest {
    private static final Duration PODMAN = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FROM_ARCHIVE = "dev.wharf.cli.Main source: shared objects file";
    /** A lambda of Wharf's own code, its class taken from the archive rather than defined at start. */
    private static final Pattern LAMBDA_FROM_ARCHIVE = Pattern.compile("dev\\.wharf\\.\\S+\\$\\$Lambda\\$\\S+ source: shared objects file");
    private static final String LOG_CLASS_LOADS = "JAVA_TOOL_OPTIONS=-Xlog:class+load";
    private static final List<String> ARCHIVES = List.of("wharf.jsa", "wharf-boring-registry.jsa", "wharf-package-registry.jsa");
    /** The feature release of the image's JVM: its base's. */
    private static final String IMAGE_RELEASE = DebianJreBase.JAVA_RELEASE;

    @TempDir
    static Path dir;
    static Podman podman;
    static DockerRegistryServer registry;
    static Path archive;
    static String baseRef;
    static String image;
    static String plainImage;
    static Path jar;
    static Path trainedList;
    /** The feature release of the JVM that trained the lists (their first line): the build's, which may be newer than the image's. */
    static String trainedRelease;
    static String dumpedBy;
    static String revision;
    private final List<String> containers = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();

    @BeforeAll
    static void buildTheImage() throws IOException {
        podman = new Podman(dir.resolve("podman"));
        Path skopeo = RequiredTool.require("skopeo", "skopeo");
        Path base = DebianJreBase.layout(podman);
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        baseRef = registry.host() + "/wharf-test/jre:" + DebianJreBase.TAG;
        Podman.Result copied = podman.exec(List.of(skopeo.toString(), "copy", "--dest-tls-verify=false",
                "oci:" + base + ":" + DebianJreBase.TAG, "docker://" + baseRef), PODMAN);
        assertThat(copied.ok()).as(copied.output()).isTrue();

        String id = UUID.randomUUID().toString().substring(0, 8);
        revision = "test-revision-" + id;
        // As scripts/image does: the image without an archive first, the archive made in it by its JVM, then the image with it.
        plainImage = "localhost/wharf-test-plain:" + id;
        jar = WharfProcess.freshJar().orElseThrow(() -> new AssertionError("no target/wharf.jar newer than the classes: run this after `package`"));
        trainedList = jar.resolveSibling("wharf.classlist");
        assertThat(trainedList).as("the class lists `package` trains (scripts/cds-archive; not with -Dcds.skip=true)").isRegularFile();
        Matcher header = Pattern.compile("# java\\.runtime\\.version=(\\d+)").matcher(Files.readAllLines(trainedList).get(0));
        assertThat(header.lookingAt()).as("the trained list's first line names its JVM").isTrue();
        trainedRelease = header.group(1);
        jib(plainImage, dir.resolve("wharf-image-plain.tar"));
        Path cds = Files.createDirectories(dir.resolve("cds"));
        Podman.Result dumped = dumpClassData(trainedList, cds);
        assertThat(dumped.ok()).as(dumped.output()).isTrue();
        ARCHIVES.forEach(name -> assertThat(cds.resolve(name)).isRegularFile());
        dumpedBy = dumped.output();

        image = "localhost/wharf-test:" + id;
        archive = dir.resolve("wharf-image.tar");
        jib(image, archive, "-Dimage.cds.dir=" + cds);
    }

    /**
     * Runs the pom's Jib configuration as scripts/image does and loads the image into podman: jib:buildTar alone, on the
     * jar `package` made.
     */
    private static void jib(String name, Path tar, String... more) {
        List<String> maven = new ArrayList<>(List.of(Path.of(System.getProperty("wharf.maven.home"), "bin", "mvn").toString(), "-B", "-q"));
        // Never -o: Jib refuses to pull a base image in Maven's offline mode (the plugin itself comes from the local repository).
        maven.addAll(List.of("-Dmaven.repo.local=" + System.getProperty("wharf.maven.repo"), "-f", Path.of("pom.xml").toAbsolutePath().toString(),
                "-Dimage.base=" + baseRef, "-Djib.allowInsecureRegistries=true", "-Djib.disableUpdateChecks=true",
                "-Dimage.tar=" + tar, "-Dimage.name=" + name, "-Dimage.revision=" + revision,
                "-Djib.applicationCache=" + dir.resolve("jib-cache")));
        maven.addAll(List.of(more));
        maven.add("jib:buildTar");
        Podman.Result built = podman.exec(maven, Duration.ofMinutes(5));
        assertThat(built.ok()).as("the Jib build:\n" + built.output() + "\n" + registry.log()).isTrue();
        assertThat(podman.ok(PODMAN, "load", "--input", tar.toString())).contains(name);
    }

    private static Podman.Result dumpClassData(Path classList, Path into) {
        return podman.exec(List.of(Path.of("scripts/image-class-data").toAbsolutePath().toString(), plainImage,
                classList.toString(), into.toString()), Map.of("PODMAN", String.join(" ", podman.commandLine())), PODMAN);
    }

    @AfterAll
    static void removeTheImage() {
        if (podman != null) {
            for (String built : new String[] {image, plainImage}) {
                if (built != null) {
                    podman.run(PODMAN, "rmi", "--force", built);
                }
            }
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
        // The launchers' defaults (bench figure "jvm"): the serial collector with a young generation a quarter of the heap,
        // a heap that starts at 16 MiB, and C2 kept (C1 alone has no SHA-256 intrinsic).
        assertThat(flags).containsPattern("bool UseSerialGC\\s+= true").containsPattern("uintx NewRatio\\s+= 3\\s")
                .containsPattern("size_t InitialHeapSize\\s+= " + (16L << 20) + "\\s")
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
        int port = TestPorts.free();
        int telemetry = TestPorts.free();
        String container = start("--env", LOG_CLASS_LOADS, "--volume", volume + ":/data", "--volume", tls + ":/tls:ro", image,
                "boring-registry", "server", "--listen-address", "127.0.0.1:" + port, "--listen-telemetry-address", "127.0.0.1:" + telemetry,
                "--tls-cert-file", "/tls/cert.pem", "--tls-key-file", "/tls/key.pem");
        HttpClient https = HttpClient.newBuilder().sslContext(certificate.trustingContext()).connectTimeout(Duration.ofSeconds(2)).build();
        String host = "127.0.0.1:" + port;
        awaitAnswer(container, https, URI.create("https://" + host + "/v1/modules/example/hello/null/versions"), body -> body.contains("\"1.0.0\""));
        assertThat(get(https, URI.create("http://127.0.0.1:" + telemetry + "/health")).statusCode()).isEqualTo(200);
        // Its classes came from the image's class-data archive, which the image's own JVM made: the server's own.
        // BouncyCastle, which reads the TLS key and which no archive holds, from the jar.
        String logs = podman.ok(PODMAN, "logs", container);
        assertThat(logs).contains(FROM_ARCHIVE).containsPattern("org\\.bouncycastle\\.\\S+ source: file:/app/wharf\\.jar");
        assertLambdasAsTheListsAllow(logs);
        assertThat(mappedArchives(container)).containsExactly("/app/cds/wharf-boring-registry.jsa");

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
        int port = TestPorts.free();
        // The default ./packages is /data/packages in the image.
        String container = start("--env", LOG_CLASS_LOADS, "--volume", volume() + ":/data", "--volume", packages + ":/data/packages:ro",
                "--env", "EPR_ADDRESS=127.0.0.1:" + port, image, "package-registry", "-require-package-signatures=false");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String body = awaitAnswer(container, http, URI.create("http://127.0.0.1:" + port + "/search"), answer -> answer.startsWith("["));
        JsonNode found = JSON.readTree(body);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("name").asText()).isEqualTo("gallery");
        assertThat(found.get(0).path("version").asText()).isEqualTo("2.0.0");
        String logs = podman.ok(PODMAN, "logs", container);
        assertThat(logs).contains(FROM_ARCHIVE);
        assertLambdasAsTheListsAllow(logs);
        assertThat(mappedArchives(container)).containsExactly("/app/cds/wharf-package-registry.jsa");
        // podman stop sends SIGTERM to the JVM, PID 1 in the container: it drains and exits with 0, not 143.
        podman.ok(PODMAN, "stop", "--time", "30", container);
        assertThat(podman.ok(PODMAN, "inspect", "--format", "{{.State.ExitCode}}", container).trim())
                .as(podman.run(PODMAN, "logs", container).output()).isEqualTo("0");
        assertThat(podman.ok(PODMAN, "logs", container)).contains("drained in");
    }

    @Test
    void theImageCarriesTheShadedJarAloneAndTheArchivesWereMadeForIt() throws Exception {
        // Jib's own layout (Wharf's classes, 55 library jars, its class path file) is filtered out: one jar, the one
        // `package` made and the failsafe tests run, beside the entry point and the archives.
        String files = podman.ok(PODMAN, "run", "--rm", "--network", "none", "--entrypoint", "sh", image, "-c",
                "find /app -type f | sort; sha256sum /app/wharf.jar");
        String digest = FileSha256.of(jar);
        assertThat(files.lines().toList()).containsExactly("/app/cds/wharf-boring-registry.jsa", "/app/cds/wharf-package-registry.jsa",
                "/app/cds/wharf.jsa", "/app/wharf-entrypoint", "/app/wharf.jar", digest + "  /app/wharf.jar");

        // The archive's class path is that jar, and the JVM takes it.
        String logged = podman.ok(PODMAN, "run", "--rm", "--network", "none", "--env", "JAVA_TOOL_OPTIONS=-Xlog:class+path=info -Xlog:class+load",
                image, "boring-registry", "version");
        Matcher expected = Pattern.compile("Expecting -Djava\\.class\\.path=(\\S+)").matcher(logged);
        assertThat(expected.find()).as(logged).isTrue();
        assertThat(expected.group(1)).isEqualTo("/app/wharf.jar");
        assertThat(logged).contains(FROM_ARCHIVE).contains("boring-registry (Wharf)");
    }

    @Test
    void commandsOtherThanTheServersMapTheArchiveOfEveryCommand() {
        for (List<String> command : List.of(List.of("boring-registry", "version"), List.of("package-registry", "push", "--help"))) {
            List<String> run = new ArrayList<>(List.of("run", "--rm", "--network", "none", "--env", "JAVA_TOOL_OPTIONS=-XX:+PrintFlagsFinal -Xlog:class+load", image));
            run.addAll(command);
            assertThat(podman.ok(PODMAN, run.toArray(String[]::new))).contains(FROM_ARCHIVE).containsPattern("ccstr SharedArchiveFile\\s+= /app/cds/wharf.jsa\\s");
        }
        // package-registry serves when its first argument is a flag (EPR's command line): -version maps the server's archive, as the launchers do.
        String serving = podman.ok(PODMAN, "run", "--rm", "--network", "none", "--env", "JAVA_TOOL_OPTIONS=-XX:+PrintFlagsFinal",
                image, "package-registry", "-version");
        assertThat(serving).contains("package-registry (Wharf)").containsPattern("ccstr SharedArchiveFile\\s+= /app/cds/wharf-package-registry.jsa\\s");
    }

    @Test
    void theImageCarriesTheArchivesAndWithoutThemOrWithOnesThatDoNotFitBothProgramsRunSilently() {
        String carried = podman.ok(PODMAN, "run", "--rm", "--network", "none", "--entrypoint", "sh", image, "-c",
                "cd /app/cds && test -s wharf.jsa && test -s wharf-boring-registry.jsa && test -s wharf-package-registry.jsa && echo carried");
        assertThat(carried.strip()).isEqualTo("carried");

        // The image built without podman's dump has none: the JVM starts as without, and says nothing of it.
        for (String[] program : new String[][] {{"boring-registry", "version"}, {"package-registry", "-version"}, {"boring-registry", "server", "--help"}}) {
            List<String> command = new ArrayList<>(List.of("run", "--rm", "--network", "none", "--env", LOG_CLASS_LOADS, plainImage));
            command.addAll(List.of(program));
            String plain = podman.ok(PODMAN, command.toArray(String[]::new));
            assertThat(plain).contains(program.length > 2 ? "Usage: boring-registry server" : program[0] + " (Wharf)").contains("dev.wharf.cli.Main source: file:/app/")
                    .doesNotContain(FROM_ARCHIVE).doesNotContain("[cds").doesNotContain("[warning]").doesNotContain("VM warning");
        }

        // An archive the JVM's settings do not fit (no compressed class pointers): ignored, silently.
        String unfit = podman.ok(PODMAN, "run", "--rm", "--network", "none",
                "--env", "JAVA_TOOL_OPTIONS=-XX:-UseCompressedClassPointers -Xlog:class+load", image, "boring-registry", "version");
        assertThat(unfit).contains("boring-registry (Wharf)").contains("dev.wharf.cli.Main source: file:/app/")
                .doesNotContain(FROM_ARCHIVE).doesNotContain("[cds").doesNotContain("[warning]").doesNotContain("VM warning");
    }

    /**
     * Wharf's lambdas come from the archive when the lists were trained by a JVM of the image's release; lists of another
     * (a build on JDK 25) give an archive of class names alone, and the lambdas are defined at start.
     */
    private static void assertLambdasAsTheListsAllow(String classLoads) {
        if (IMAGE_RELEASE.equals(trainedRelease)) {
            assertThat(classLoads).containsPattern(LAMBDA_FROM_ARCHIVE);
        } else {
            assertThat(classLoads).doesNotContainPattern(LAMBDA_FROM_ARCHIVE);
        }
    }

    @Test
    void theArchivesHoldTheLambdasOfListsOfTheImagesReleaseAndOnlyClassNamesOtherwise() throws IOException {
        // A build on the image's release (CI's: Debian's 17 both) has the lists' lambda lines taken; one on a newer JDK, class names alone.
        String expected = IMAGE_RELEASE.equals(trainedRelease) ? "JVM: classes and lambdas (lists of " + IMAGE_RELEASE + "."
                : "JVM: classes only (lists of " + trainedRelease + ".";
        assertThat(dumpedBy.lines().filter(line -> line.startsWith("image-class-data: ")))
                .hasSize(3).allMatch(line -> line.contains(expected), dumpedBy);

        // Lists of another release: their lambda lines name another JDK's internals, so class names alone.
        Path other = relabelledLists("other", "# java.runtime.version=99.0.1+1", List.of());
        Podman.Result fromOther = dumpClassData(other, Files.createDirectories(dir.resolve("cds-other")));
        assertThat(fromOther.ok()).as(fromOther.output()).isTrue();
        assertThat(fromOther.output().lines().filter(line -> line.startsWith("image-class-data: ")))
                .hasSize(3).allMatch(line -> line.contains("classes only (lists of 99.0.1+1, JVM " + IMAGE_RELEASE + "."), fromOther.output());

        // Lists of the image's release whose lines its JVM refuses: dumped again from the class names.
        Path refused = relabelledLists("refused", "# java.runtime.version=" + IMAGE_RELEASE + ".0.99+1", List.of("@no-such-tag a b c"));
        Path into = Files.createDirectories(dir.resolve("cds-refused"));
        Podman.Result fromRefused = dumpClassData(refused, into);
        assertThat(fromRefused.ok()).as(fromRefused.output()).isTrue();
        assertThat(fromRefused.output().lines().filter(line -> line.startsWith("image-class-data: ")))
                .hasSize(3).allMatch(line -> line.contains("classes only (the whole list failed with JVM " + IMAGE_RELEASE + "."), fromRefused.output());
        ARCHIVES.forEach(name -> assertThat(into.resolve(name)).isNotEmptyFile());
        assertThat(into.resolve("dump-wharf.log")).content().contains("@no-such-tag");
    }

    /** Copies of the trained lists (the one of all and each server's) with another first line and extra lines after it. */
    private static Path relabelledLists(String name, String header, List<String> extra) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("lists-" + name));
        for (String list : List.of("wharf.classlist", "wharf-boring-registry.classlist", "wharf-package-registry.classlist")) {
            List<String> lines = Files.readAllLines(trainedList.resolveSibling(list));
            assertThat(lines.get(0)).startsWith("# java.runtime.version=");
            List<String> relabelled = new ArrayList<>(List.of(header));
            relabelled.addAll(extra);
            relabelled.addAll(lines.subList(1, lines.size()));
            Files.write(folder.resolve(list), relabelled);
        }
        return folder.resolve("wharf.classlist");
    }

    /** The class-data archives the container's process 1 maps, from its {@code /proc/1/maps}. */
    private static List<String> mappedArchives(String container) {
        return podman.ok(PODMAN, "exec", container, "cat", "/proc/1/maps").lines()
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .filter(path -> path.endsWith(".jsa"))
                .distinct()
                .toList();
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
