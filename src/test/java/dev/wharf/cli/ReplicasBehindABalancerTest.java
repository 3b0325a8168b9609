package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.epr.TestPackages;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.NginxBalancer;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.TestModules;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas of each program behind Debian's nginx (round robin) on one docker-registry, all on
 * 127.0.0.1. Publishing goes through the CLI into the registry; reading goes through every replica.
 * The tests measure and print the real staleness window after a publish, check that no replica ever
 * lists a version it cannot serve, that package-registry replicas with their own cache directories
 * converge within one refresh while two sharing one directory are refused, and that a replica
 * killed with SIGKILL under steady load costs at most the requests in flight on it.
 */
class ReplicasBehindABalancerTest {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration TAG_TTL = Duration.ofSeconds(2);
    private static final Duration REFRESH = Duration.ofSeconds(1);
    /** Polling every 50 ms and one request per replica per poll: the measurement's own resolution. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final int REPLICAS = 3;
    private static final int WRK_CONNECTIONS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Replica(WharfProcess process, int port, int telemetry, List<String> args) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    @Test
    void boringRegistryReplicasServeAPublishWithinTheTagTtlAndSurviveAKilledReplica() throws Exception {
        Path wrk = RequiredTool.require("wrk", "wrk");
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            uploadModule(registry, "1.0.0");
            List<Replica> replicas = new ArrayList<>();
            try {
                for (int i = 0; i < REPLICAS; i++) {
                    replicas.add(startBoring(registry, "boring-" + i));
                }
                replicas.forEach(this::awaitBoringReady);
                try (NginxBalancer balancer = NginxBalancer.start(dir.resolve("nginx-boring"), replicas.stream().map(Replica::port).toList())) {
                    String versions = "/v1/modules/acme/replicated/aws/versions";
                    for (int i = 0; i < 2 * REPLICAS; i++) {
                        assertThat(moduleVersions(URI.create(balancer.url() + versions))).containsExactly("1.0.0");
                    }

                    uploadModule(registry, "1.1.0");
                    long published = System.nanoTime();
                    Map<Integer, Duration> seen = awaitEveryReplica(replicas, published, r -> {
                        List<String> listed = moduleVersions(r.uri(versions));
                        if (listed.contains("1.1.0")) {
                            assertCompleteModule(r, "1.1.0");
                            return true;
                        }
                        return false;
                    });
                    Duration worst = seen.values().stream().max(Duration::compareTo).orElseThrow();
                    System.out.println("boring-registry: a module published through the CLI was listed by replicas after " + millis(seen)
                            + " (--cache-tags-ttl " + TAG_TTL.toMillis() + " ms)");
                    assertThat(worst).as("staleness after publish").isLessThanOrEqualTo(TAG_TTL.plus(SLACK));
                    for (int i = 0; i < 2 * REPLICAS; i++) {
                        assertThat(moduleVersions(URI.create(balancer.url() + versions))).containsExactly("1.0.0", "1.1.0");
                    }

                    killUnderLoad(wrk, balancer, replicas, versions);
                }
            } finally {
                replicas.forEach(r -> r.process().close());
            }
        }
    }

    private void killUnderLoad(Path wrk, NginxBalancer balancer, List<Replica> replicas, String versions) throws Exception {
        Replica victim = replicas.get(1);
        ProcessBuilder load = new ProcessBuilder(wrk.toString(), "-t1", "-c" + WRK_CONNECTIONS, "-d8s", balancer.url() + versions)
                .redirectErrorStream(true).redirectOutput(dir.resolve("wrk.out").toFile());
        Process running = load.start();
        try {
            // Killed once it has taken a steady share of the load, not at a guessed moment.
            await(() -> count(victim.process().output(), versions) >= 200, "the victim to serve load", Duration.ofSeconds(30));
            victim.process().kill();
            assertThat(running.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            running.destroyForcibly();
        }
        String report = Files.readString(dir.resolve("wrk.out"));
        System.out.println("wrk through nginx, one of three replicas killed with SIGKILL:\n" + report);
        long requests = longOf(report, "(\\d+) requests in");
        long failed = longOf(report, "Non-2xx or 3xx responses: (\\d+)") + socketErrors(report);
        assertThat(requests).isGreaterThan(500);
        assertThat(failed).as("failed requests: at most the %d that can be in flight", WRK_CONNECTIONS).isLessThanOrEqualTo(WRK_CONNECTIONS);
        // Nothing corrupt: the survivors and the balancer answer the full list.
        for (int i = 0; i < 2 * REPLICAS; i++) {
            assertThat(moduleVersions(URI.create(balancer.url() + versions))).containsExactly("1.0.0", "1.1.0");
        }

        long begun = System.nanoTime();
        WharfProcess restarted = WharfProcess.start(dir.resolve("boring-restarted"), Map.of(), victim.args());
        Replica back = new Replica(restarted, victim.port(), victim.telemetry(), victim.args());
        replicas.set(1, back);
        awaitBoringReady(back);
        Duration coldStart = Duration.ofNanos(System.nanoTime() - begun);
        System.out.println("boring-registry: the killed replica was ready again " + coldStart.toMillis() + " ms after its restart");
        assertThat(coldStart).as("back within a cold start").isLessThan(Duration.ofSeconds(60));
        assertThat(moduleVersions(back.uri(versions))).containsExactly("1.0.0", "1.1.0");
        await(() -> {
            try {
                moduleVersions(URI.create(balancer.url() + versions));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return count(restarted.output(), versions) >= 1;
        }, "the balancer to send the restarted replica traffic", Duration.ofSeconds(30));
    }

    @Test
    void packageRegistryReplicasConvergeWithinOneRefreshAndRefuseASharedCacheDirectory() throws Exception {
        Path packages = dir.resolve("src");
        TestPackages.copyTree(TestPackages.source(), packages);
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            push(registry, packages.resolve("legacy_stack/1.0.0"));
            String search = "/search?package=legacy_stack&all=true";
            List<Replica> replicas = new ArrayList<>();
            try {
                for (int i = 0; i < REPLICAS; i++) {
                    replicas.add(startEpr(registry, "epr-" + i, dir.resolve("cache-" + i)));
                }
                for (Replica r : replicas) {
                    r.process().awaitReady(r.uri("/health"), START);
                }
                try (NginxBalancer balancer = NginxBalancer.start(dir.resolve("nginx-epr"), replicas.stream().map(Replica::port).toList())) {
                    for (int i = 0; i < 2 * REPLICAS; i++) {
                        assertThat(packageVersions(URI.create(balancer.url() + search))).containsExactly("1.0.0");
                    }

                    Path newer = dir.resolve("newer/legacy_stack/1.0.1");
                    TestPackages.copyTree(packages.resolve("legacy_stack/1.0.0"), newer);
                    Path manifest = newer.resolve("manifest.yml");
                    Files.writeString(manifest, Files.readString(manifest).replace("version: 1.0.0", "version: 1.0.1"));
                    push(registry, newer);
                    long published = System.nanoTime();
                    Map<Integer, Duration> seen = awaitEveryReplica(replicas, published, r -> {
                        if (packageVersions(r.uri(search)).contains("1.0.1")) {
                            HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(r.uri("/epr/legacy_stack/legacy_stack-1.0.1.zip")).build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            assertThat(zip.statusCode()).as("a listed version is served").isEqualTo(200);
                            assertThat(zip.body()).startsWith('P', 'K');
                            return true;
                        }
                        return false;
                    });
                    Duration worst = seen.values().stream().max(Duration::compareTo).orElseThrow();
                    System.out.println("package-registry: a package pushed through the CLI was listed by replicas after " + millis(seen)
                            + " (-oci-refresh-interval " + REFRESH.toMillis() + " ms)");
                    assertThat(worst).as("staleness after push: one refresh interval and the refresh itself")
                            .isLessThanOrEqualTo(REFRESH.plus(SLACK));
                    for (int i = 0; i < 2 * REPLICAS; i++) {
                        assertThat(packageVersions(URI.create(balancer.url() + search))).containsExactly("1.0.0", "1.0.1");
                    }
                }

                // A fourth process on replica 0's cache directory refuses to start, and says why.
                WharfProcess sharing = WharfProcess.start(dir.resolve("epr-sharing"), Map.of(), eprArgs(registry,
                        TestPorts.free(), dir.resolve("cache-0")));
                assertThat(sharing.waitFor(START)).isEqualTo(1);
                assertThat(sharing.output()).contains("the cache directory " + dir.resolve("cache-0") + " is in use by another package-registry")
                        .contains("give every replica its own -oci-cache-dir");
                assertThat(replicas.get(0).process().isAlive()).isTrue();
                assertThat(packageVersions(replicas.get(0).uri(search))).containsExactly("1.0.0", "1.0.1");
            } finally {
                replicas.forEach(r -> r.process().close());
            }
        }
    }

    private interface Probe {
        boolean sees(Replica replica) throws Exception;
    }

    /** Polls every replica directly until each sees the change; the time each took after {@code since}. */
    private static Map<Integer, Duration> awaitEveryReplica(List<Replica> replicas, long since, Probe probe) throws Exception {
        Map<Integer, Duration> seen = new HashMap<>();
        long end = since + Duration.ofSeconds(60).toNanos();
        while (seen.size() < replicas.size()) {
            assertThat(System.nanoTime()).as("replicas that saw the publish: %s", seen.keySet()).isLessThan(end);
            for (int i = 0; i < replicas.size(); i++) {
                if (!seen.containsKey(i) && probe.sees(replicas.get(i))) {
                    seen.put(i, Duration.ofNanos(System.nanoTime() - since));
                }
            }
            LockSupport.parkNanos(50_000_000);
        }
        return seen;
    }

    private static String millis(Map<Integer, Duration> seen) {
        return seen.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "#" + e.getKey() + " " + e.getValue().toMillis() + " ms").toList().toString();
    }

    private void uploadModule(DockerRegistryServer registry, String version) throws Exception {
        Path module = TestModules.write(dir.resolve("module-" + version), "replicated", version, "version " + version);
        WharfProcess upload = WharfProcess.start(dir.resolve("upload-" + version), Map.of(), List.of("boring-registry", "upload", "module",
                "--storage-oci-registry", registry.host(), "--storage-oci-insecure", "--storage-module-archive-format", "zip",
                module.toString()));
        assertThat(upload.waitFor(START)).as(upload.output()).isZero();
    }

    private void push(DockerRegistryServer registry, Path folder) {
        WharfProcess push = WharfProcess.start(dir.resolve("push-" + folder.getFileName()), Map.of(), List.of("package-registry", "push",
                "-oci-registry", registry.host(), "-oci-repository", "packages", "-oci-insecure", folder.toString()));
        assertThat(push.waitFor(START)).as(push.output()).isZero();
    }

    private Replica startBoring(DockerRegistryServer registry, String name) {
        int port = TestPorts.free();
        int telemetry = TestPorts.free();
        List<String> args = List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + port,
                "--listen-telemetry-address", "127.0.0.1:" + telemetry, "--storage-oci-registry", registry.host(),
                "--storage-oci-insecure", "--cache-tags-ttl", TAG_TTL.toSeconds() + "s", "--cache-manifests-ttl", TAG_TTL.toSeconds() + "s",
                "--signed-url-key", "replicas-share-this-key-77");
        return new Replica(WharfProcess.start(dir.resolve(name), Map.of(), args), port, telemetry, args);
    }

    private void awaitBoringReady(Replica r) {
        r.process().awaitReady(URI.create("http://127.0.0.1:" + r.telemetry() + "/health"), START);
    }

    private Replica startEpr(DockerRegistryServer registry, String name, Path cache) {
        int port = TestPorts.free();
        List<String> args = eprArgs(registry, port, cache);
        return new Replica(WharfProcess.start(dir.resolve(name), Map.of(), args), port, port, args);
    }

    private static List<String> eprArgs(DockerRegistryServer registry, int port, Path cache) {
        return List.of("package-registry", "-feature-oci-indexer", "-oci-registry", registry.host(), "-oci-repository", "packages",
                "-oci-insecure", "-address", "127.0.0.1:" + port, "-require-package-signatures=false", "-log-type", "dev",
                "-oci-refresh-interval", REFRESH.toMillis() + "ms", "-oci-cache-dir", cache.toString());
    }

    private void assertCompleteModule(Replica r, String version) throws Exception {
        HttpResponse<String> download = http.send(HttpRequest.newBuilder(r.uri("/v1/modules/acme/replicated/aws/" + version + "/download")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(download.statusCode()).as("a listed version downloads").isEqualTo(204);
        String file = download.headers().firstValue("X-Terraform-Get").orElseThrow();
        HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(r.uri(file)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(new String(zip.body(), StandardCharsets.ISO_8859_1)).startsWith("PK").contains("content.txt");
    }

    private List<String> moduleVersions(URI uri) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<String> versions = new ArrayList<>();
        for (JsonNode v : JSON.readTree(answer.body()).path("modules").path(0).path("versions")) {
            versions.add(v.path("version").asText());
        }
        return versions.stream().sorted().toList();
    }

    private List<String> packageVersions(URI uri) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<String> versions = new ArrayList<>();
        for (JsonNode p : JSON.readTree(answer.body())) {
            versions.add(p.path("version").asText());
        }
        return versions.stream().sorted().toList();
    }

    private static long count(String output, String path) {
        return output.lines().filter(l -> l.contains(path)).count();
    }

    private static long longOf(String report, String regex) {
        Matcher m = Pattern.compile(regex).matcher(report);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long socketErrors(String report) {
        Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(report);
        return m.find() ? Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)) + Long.parseLong(m.group(4)) : 0;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            LockSupport.parkNanos(50_000_000);
        }
    }
}
