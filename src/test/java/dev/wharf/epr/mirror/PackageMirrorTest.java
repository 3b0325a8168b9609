package dev.wharf.epr.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.epr.PackageRegistryCommandLine;
import dev.wharf.epr.TestPackages;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.upstream.SignedUpstream;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code package-registry mirror} from a signed upstream Wharf into Debian's docker-registry: what
 * two Kibana versions can use is copied, verified, once; with the upstream stopped, the mirror
 * answers Fleet's requests exactly as the upstream did; a tampered zip or another key's signature
 * is refused and nothing is pushed.
 */
class PackageMirrorTest {
    private static final PgpKeys KEY = PgpKeys.generate("Upstream <upstream@example.test>");
    private static final PgpKeys OTHER_KEY = PgpKeys.generate("Someone else <other@example.test>");
    private static final String REPOSITORY = "epr/mirror";
    private static final List<String> KIBANA = List.of("8.15.0", "7.17.0");

    @TempDir
    Path dir;
    private DockerRegistryServer registry;
    private RegistryArtifactStore store;
    private final HttpClient http = HttpClient.newHttpClient();

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void startRegistry() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        store = dev.wharf.epr.RegistryStores.anonymous(registry);
    }

    @AfterEach
    void stopRegistry() {
        store.close();
        registry.close();
    }

    private Path keyFile(PgpKeys key) throws Exception {
        Path file = dir.resolve("key-" + System.nanoTime() + ".asc");
        Files.writeString(file, key.armoredPublicKey());
        return file;
    }

    private Run mirror(SignedUpstream upstream, String... extra) {
        return mirror(upstream.url(), extra);
    }

    private Run mirror(URI upstream, String... extra) {
        List<String> args = new ArrayList<>(List.of("mirror", "-proxy-to", upstream.toString(), "-proxy-allow-insecure",
                "-oci-registry", registry.host(), "-oci-insecure", "-oci-repository", REPOSITORY));
        KIBANA.forEach(k -> args.addAll(List.of("-kibana-version", k)));
        args.addAll(List.of(extra));
        var cl = PackageRegistryCommandLine.create(Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** Fleet's requests for one Kibana version: search, categories, then each listed package's answer, zip and signature. */
    private Map<String, byte[]> fleetAnswers(URI base, List<String> tags) throws Exception {
        Map<String, byte[]> answers = new LinkedHashMap<>();
        for (String kibana : KIBANA) {
            for (String q : List.of("/search?kibana.version=" + kibana + "&prerelease=false",
                    "/categories?kibana.version=" + kibana + "&prerelease=false&include_policy_templates=true")) {
                answers.put(q, get(base, q));
            }
        }
        for (String tag : tags) {
            String name = tag.substring(0, tag.indexOf('-'));
            String version = tag.substring(tag.indexOf('-') + 1);
            for (String path : List.of("/package/" + name + "/" + version + "/", "/epr/" + name + "/" + tag + ".zip",
                    "/epr/" + name + "/" + tag + ".zip.sig")) {
                answers.put(path, get(base, path));
            }
        }
        return answers;
    }

    private byte[] get(URI base, String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(path.substring(1))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(base + path).isEqualTo(200);
        return r.body();
    }

    @Test
    void copiesWhatTwoKibanaVersionsCanUseOnceAndAnswersFleetAsTheUpstreamDidAfterItStops() throws Exception {
        List<String> expected = List.of("acme_logs-1.1.0", "gallery-2.0.0", "legacy_stack-1.0.0", "sensor_input-0.3.0");
        Map<String, byte[]> upstreamAnswers;
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY)) {
            upstreamAnswers = fleetAnswers(upstream.url(), expected);
            Run first = mirror(upstream, "-verification-key", keyFile(KEY).toString());
            assertThat(first.code()).as(first.err() + first.out()).isZero();
            assertThat(first.out()).contains("copied: 4 (", String.join(", ", expected), "already there: 0", "refused: 0",
                    "verified: every copied zip matched its signature");
            assertThat(first.err()).contains("mirror: 4 package versions for Kibana 8.15.0, 7.17.0", "[1/4 packages, ",
                    "[4/4 packages, ", "verified (key ");
            for (String tag : expected) {
                assertThat(store.exists(REPOSITORY, tag)).as(tag).isTrue();
            }
            assertThat(store.exists(REPOSITORY, "acme_logs-1.0.0")).isFalse();
            assertThat(store.exists(REPOSITORY, "acme_logs-1.2.0-beta1")).isFalse();

            Run second = mirror(upstream, "-verification-key", keyFile(KEY).toString());
            assertThat(second.code()).as(second.err()).isZero();
            assertThat(second.out()).contains("copied: 0 (0 bytes)", "already there: 4", "refused: 0");
        }
        // The upstream is stopped: everything now comes from the registry.
        OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(REPOSITORY, dir.resolve("cache")));
        indexer.start();
        try (indexer; WebServer mirrored = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(),
                new EprApi(indexer, ApiSettings.defaults(), Clock.systemUTC())::register)) {
            Map<String, byte[]> mirroredAnswers = fleetAnswers(URI.create("http://127.0.0.1:" + mirrored.port() + "/"), expected);
            assertThat(mirroredAnswers.keySet()).containsExactlyElementsOf(upstreamAnswers.keySet());
            for (String path : upstreamAnswers.keySet()) {
                assertThat(new String(mirroredAnswers.get(path), java.nio.charset.StandardCharsets.ISO_8859_1)).as(path)
                        .isEqualTo(new String(upstreamAnswers.get(path), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        } finally {
            indexer.close();
        }
    }

    @Test
    void withPackageVersionsAndPrereleaseTheNewestTwoOfOnePackageAreCopied() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY)) {
            Run run = mirror(upstream, "-package", "acme_logs", "-versions", "2", "-prerelease");
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("copied: 2 (", "acme_logs-1.1.0, acme_logs-1.2.0-beta1",
                    "NOT verified: no -verification-key was given, so 2 packages were copied without checking their signatures");
            assertThat(store.exists(REPOSITORY, "acme_logs-1.0.0")).isFalse();
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isFalse();
        }
    }

    @Test
    void aNamedPackageTheUpstreamDoesNotOfferFailsTheRunAfterTheOthersAreCopied() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY)) {
            Run run = mirror(upstream, "-package", "gallery,galery");
            assertThat(run.code()).as(run.err()).isEqualTo(1);
            assertThat(run.out()).contains("copied: 1 (", "gallery-2.0.0", "refused: 0", "not offered: galery");
            assertThat(run.err()).contains("mirror: -package galery: " + upstream.url() + " offers no version of it for Kibana 8.15.0, 7.17.0"
                    + " (without -prerelease)");
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isTrue();
        }
    }

    /** Refused before the upstream is asked: the mirror here points at no upstream at all. */
    @Test
    void aKibanaVersionOrPackageNameThatCannotBeOneIsRefusedBeforeTheUpstreamIsAsked() {
        URI none = URI.create("http://127.0.0.1:1/");
        Map<List<String>, String> refusals = new LinkedHashMap<>();
        refusals.put(List.of("-kibana-version", "eight"), "-kibana-version 'eight' is not a version such as 8.14.0");
        refusals.put(List.of("-package", ""), "-package names an empty package; name packages, or leave the flag out for every package");
        refusals.put(List.of("-package", "gallery,,acme_logs"), "-package names an empty package");
        refusals.put(List.of("-package", "gallery&all=false"), "-package 'gallery&all=false' is not a package name (lower-case letters, digits and '_')");
        for (Map.Entry<List<String>, String> refusal : refusals.entrySet()) {
            Run run = mirror(none, refusal.getKey().toArray(String[]::new));
            assertThat(run.code()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).startsWith(refusal.getValue()).doesNotContain("cannot list the packages");
        }
    }

    @Test
    void aTamperedZipIsRefusedAndNothingIsPushed() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0"), zips -> {
            Path altered = dir.resolve("altered/gallery/2.0.0");
            TestPackages.copyTree(TestPackages.source().resolve("gallery/2.0.0"), altered);
            Path manifest = altered.resolve("manifest.yml");
            Files.writeString(manifest, Files.readString(manifest).replaceFirst("(?m)^description: .*$", "description: Not what was signed"));
            TestPackages.zipFolder(altered, "gallery-2.0.0", zips.resolve("gallery-2.0.0.zip"));
        })) {
            Run run = mirror(upstream, "-verification-key", keyFile(KEY).toString());
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.out()).contains("copied: 0", "refused: 1", "gallery-2.0.0: gallery-2.0.0.zip does not match its signature");
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isFalse();
        }
    }

    /**
     * Between the upstream and the mirror, acme_logs-1.1.0.zip is answered with 1.0.0's genuine zip
     * and signature: the signature holds, but the zip is not the package asked for. It had been
     * stored as 1.0.0 and 1.1.0 reported copied and verified.
     */
    @Test
    void anOlderReleasesGenuineZipAnsweredForTheVersionAskedIsRefusedAndNothingIsPushed() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("acme_logs/1.0.0", "acme_logs/1.1.0"))) {
            com.sun.net.httpserver.HttpServer swapping = front(upstream,
                    asked -> asked.replace("acme_logs-1.1.0.zip", "acme_logs-1.0.0.zip"), (asked, body) -> body);
            try {
                URI front = URI.create("http://127.0.0.1:" + swapping.getAddress().getPort() + "/");
                Run run = mirror(front, "-package", "acme_logs", "-verification-key", keyFile(KEY).toString());
                assertThat(run.code()).isEqualTo(1);
                assertThat(run.out()).contains("refused: 1", "acme_logs-1.1.0: the upstream answered acme_logs-1.1.0.zip with the package"
                        + " acme_logs-1.0.0; nothing was stored");
                assertThat(store.exists(REPOSITORY, "acme_logs-1.1.0")).isFalse();
                assertThat(store.exists(REPOSITORY, "acme_logs-1.0.0")).as("1.0.0 was not asked for").isFalse();
            } finally {
                swapping.stop(0);
            }
        }
    }

    /**
     * An upstream whose search ignores {@code package=} and lists entries no package can be (a
     * slash in the name, build metadata, no name): only the package asked is copied, and the bad
     * entries are left out with one line, where the first had ended the run with no summary.
     */
    @Test
    void entriesNoPackageCanBeAreLeftOutAndOnlyThePackageAskedIsCopied() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0", "sensor_input/0.3.0"))) {
            com.sun.net.httpserver.HttpServer careless = front(upstream,
                    asked -> asked.startsWith("/search") ? asked.replaceAll("([?&])package=[^&]*", "$1") : asked,
                    (asked, body) -> {
                        if (!asked.startsWith("/search")) {
                            return body;
                        }
                        String listed = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
                        return (listed.substring(0, listed.length() - 1) + ",{\"name\":\"../../evil\",\"version\":\"1.0.0\"},"
                                + "{\"name\":\"gallery\",\"version\":\"2.0.0+build\"},{\"version\":\"1.0.0\"}]")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    });
            try {
                URI front = URI.create("http://127.0.0.1:" + careless.getAddress().getPort() + "/");
                Run named = mirror(front, "-package", "gallery");
                assertThat(named.code()).as(named.out() + named.err()).isZero();
                assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isTrue();
                assertThat(store.exists(REPOSITORY, "sensor_input-0.3.0")).as("not asked for").isFalse();

                Run all = mirror(front);
                assertThat(all.code()).as(all.out() + all.err()).isZero();
                assertThat(all.err()).contains("mirror: left out 3 entries of the upstream's answer that no package can be (name, version):"
                        + " '' 1.0.0, '../../evil' 1.0.0, 'gallery' 2.0.0+build");
                assertThat(store.exists(REPOSITORY, "sensor_input-0.3.0")).isTrue();
            } finally {
                careless.stop(0);
            }
        }
    }

    /**
     * Two runs at once (a cron job overlapping a manual run): the second finds the first version
     * absent, and gets its zip only once the first run has pushed everything. Its push of that
     * version is refused as existing, which had been reported as "refused" and failed the run; now
     * it is already there, both runs succeed, and what the first run pushed is what stays.
     */
    @Test
    void twoRunsAtOnceBothSucceedAndAVersionTheOtherPushedFirstIsAlreadyThereNotOverwritten() throws Exception {
        List<String> expected = List.of("acme_logs-1.1.0", "gallery-2.0.0", "legacy_stack-1.0.0", "sensor_input-0.3.0");
        String key = keyFile(KEY).toString();
        CountDownLatch secondAsked = new CountDownLatch(1);
        CountDownLatch firstDone = new CountDownLatch(1);
        Map<String, String> afterFirst = new java.util.concurrent.ConcurrentHashMap<>();
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY)) {
            // The first run downloads no zip before the second has found the first version absent and asks for it.
            com.sun.net.httpserver.HttpServer firstFront = holding(upstream, () -> awaitLatch(secondAsked));
            com.sun.net.httpserver.HttpServer secondFront = holding(upstream, () -> {
                secondAsked.countDown();
                if (awaitLatch(firstDone) && afterFirst.isEmpty()) {
                    expected.forEach(tag -> store.resolve(REPOSITORY, tag).ifPresent(m -> afterFirst.put(tag, m.digest().toString())));
                }
            });
            try {
                CompletableFuture<Run> firstRun = CompletableFuture.supplyAsync(() -> {
                    try {
                        return mirror(address(firstFront), "-verification-key", key);
                    } finally {
                        firstDone.countDown();
                    }
                });
                Run second = mirror(address(secondFront), "-verification-key", key);
                Run first = firstRun.get(5, TimeUnit.MINUTES);

                assertThat(first.code()).as(first.err() + first.out()).isZero();
                assertThat(first.out()).contains("copied: 4 (", "already there: 0", "refused: 0");
                assertThat(second.code()).as(second.err() + second.out()).isZero();
                assertThat(second.out()).contains("copied: 0 (0 bytes)", "already there: 4", "refused: 0");
                assertThat(second.err()).contains("acme_logs-1.1.0: already there (pushed meanwhile by another writer)");
                assertThat(store.listTags(REPOSITORY)).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(afterFirst).as("the tags right after the first run").containsOnlyKeys(expected);
                for (String tag : expected) {
                    dev.wharf.oci.Manifest stored = store.resolve(REPOSITORY, tag).orElseThrow();
                    assertThat(stored.digest().toString()).as(tag + " is what the first run pushed").isEqualTo(afterFirst.get(tag));
                    try (java.io.InputStream zip = store.openBlob(REPOSITORY,
                            stored.layer(dev.wharf.epr.oci.OciPackageLayout.ZIP_MEDIA_TYPE).orElseThrow())) {
                        assertThat(zip.readAllBytes()).as(tag).isEqualTo(Files.readAllBytes(upstream.zip(tag)));
                    }
                }
            } finally {
                firstFront.stop(0);
                secondFront.stop(0);
            }
        }
    }

    private static URI address(com.sun.net.httpserver.HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** False when the other run never got there: the test's assertions then say what happened. */
    private static boolean awaitLatch(CountDownLatch latch) {
        try {
            return latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A front of {@code upstream} that runs {@code beforeZip} before answering each request for a zip. */
    private com.sun.net.httpserver.HttpServer holding(SignedUpstream upstream, Runnable beforeZip) throws java.io.IOException {
        return front(upstream, asked -> {
            if (asked.endsWith(".zip")) {
                beforeZip.run();
            }
            return asked;
        }, (asked, body) -> body);
    }

    /**
     * A server between the mirror and {@code upstream}: each request's path and query rewritten by
     * {@code path}, each answer's body by {@code body} (given the path asked), started.
     */
    private com.sun.net.httpserver.HttpServer front(SignedUpstream upstream, java.util.function.UnaryOperator<String> path,
            java.util.function.BiFunction<String, byte[], byte[]> body) throws java.io.IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String asked = exchange.getRequestURI().toString();
            try {
                HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(upstream.url().resolve(path.apply(asked))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                byte[] sent = body.apply(asked, answer.body());
                answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
                exchange.sendResponseHeaders(answer.statusCode(), sent.length == 0 ? -1 : sent.length);
                exchange.getResponseBody().write(sent);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void aZipSignedByAnotherKeyIsRefusedAndNothingIsPushed() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, OTHER_KEY, List.of("gallery/2.0.0"))) {
            Run run = mirror(upstream, "-verification-key", keyFile(KEY).toString());
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.out()).contains("copied: 0", "refused: 1", "gallery-2.0.0: gallery-2.0.0.zip is signed by key ", "which is not in ");
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isFalse();
        }
    }

    @Test
    void aBinarySigIsRefusedAsFleetReadsOnlyArmouredOnesAndNothingIsPushed() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0"), zips -> Files.write(
                zips.resolve("gallery-2.0.0.zip.sig"), KEY.detachedSignature(Files.readAllBytes(zips.resolve("gallery-2.0.0.zip")))))) {
            Run run = mirror(upstream, "-verification-key", keyFile(KEY).toString());
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.out()).contains("copied: 0", "refused: 1",
                    "gallery-2.0.0: gallery-2.0.0.zip.sig is not ASCII-armoured; Fleet reads only armoured signatures");
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isFalse();
        }
    }

    @Test
    void anUnreachableUpstreamIsOneClearError() throws Exception {
        SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0"));
        URI gone = upstream.url();
        upstream.close();
        Run run = mirror(gone, "-verification-key", keyFile(KEY).toString());
        assertThat(run.code()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("mirror: cannot list the packages to copy: upstream " + gone, "connection refused", "(5 tries)");
    }

    @Test
    void anInternalUpstreamBehindAPrivateCaIsTrustedThroughTheCaFileAndSaidUntrustedAtOnceWithout() throws Exception {
        TestCertificates.SelfSigned companyCa = TestCertificates.localhost();
        Path caFile = Files.writeString(dir.resolve("company-ca.pem"), companyCa.certificatePem());
        try (SignedUpstream upstream = SignedUpstream.startTls(dir, KEY, List.of("gallery/2.0.0"), companyCa)) {
            long started = System.nanoTime();
            Run untrusted = mirror(upstream, "-verification-key", keyFile(KEY).toString());
            assertThat(untrusted.code()).as(untrusted.err()).isEqualTo(1);
            assertThat(untrusted.err()).contains("the TLS handshake with " + upstream.url().toString().replaceAll("/$", "") + " failed",
                    "trusted with -proxy-ca-file").doesNotContain("tries)");
            // Not retried with EPR's waits (1 + 2 + 4 + 8 s): no wait mends an untrusted certificate.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isFalse();

            Run trusted = mirror(upstream, "-verification-key", keyFile(KEY).toString(), "-proxy-ca-file", caFile.toString());
            assertThat(trusted.code()).as(trusted.err() + trusted.out()).isZero();
            assertThat(trusted.out()).contains("copied: 1 (", "gallery-2.0.0");
            assertThat(store.exists(REPOSITORY, "gallery-2.0.0")).isTrue();
        }
    }
}
