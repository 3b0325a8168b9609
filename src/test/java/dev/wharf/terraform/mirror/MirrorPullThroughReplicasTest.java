package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.StaticHttpServer;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's pull-through across replicas: two boring-registry processes with the network mirror's
 * pull-through on one docker-registry are asked for the same upstream provider archive at the same
 * moment. The upstream holds its zip until both replicas are fetching it, so both push the same
 * tags at once: the worst case, since replicas do not coordinate. Both must answer the upstream's
 * bytes, and the registry must end with one consistent copy.
 */
class MirrorPullThroughReplicasTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String HOST = "registry.example.test";
    private static final String ZIP = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
    private static final String SUMS = "terraform-provider-dummy_1.0.0_SHA256SUMS";
    private static final String MIRROR_REPOSITORY = "boring-registry/mirror/providers/" + HOST + "/acme/dummy";
    private static final String SIGNING_KEYS_REPOSITORY = "boring-registry/mirror/providers/" + HOST + "/acme";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String armoredKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Replica(WharfProcess process, int port) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    @Test
    void twoReplicasPullingTheSameProviderAtOnceLeaveOneConsistentCopy() throws Exception {
        byte[] zip = Files.readAllBytes(TestZips.provider(dir.resolve("release").resolve(ZIP), "dummy", "1.0.0", "linux_amd64"));
        byte[] sums = (Digest.sha256(zip).hex() + "  " + ZIP + "\n").getBytes(StandardCharsets.UTF_8);
        try (StaticHttpServer upstream = signedUpstream(zip, sums);
             DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
             RegistryArtifactStore store = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
            CountDownLatch upstreamZip = upstream.gate("/files/" + ZIP);
            List<Replica> replicas = new ArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < 2; i++) {
                    replicas.add(startBoring(registry, upstream, "replica-" + i));
                }
                for (Replica r : replicas) {
                    r.process().awaitHttp(r.uri("/v1/mirror/" + HOST + "/acme/dummy/index.json"), START);
                }
                String archive = "/v1/mirror/" + HOST + "/acme/dummy/" + ZIP;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
                for (Replica r : replicas) {
                    answers.add(clients.submit(() -> {
                        go.await();
                        return http.send(HttpRequest.newBuilder(r.uri(archive)).timeout(Duration.ofSeconds(40)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                    }));
                }
                go.countDown();
                // Both replicas found the archive missing and are fetching it: only then does the upstream answer.
                awaitFetches(upstream, 2);
                upstreamZip.countDown();

                for (int i = 0; i < answers.size(); i++) {
                    HttpResponse<byte[]> answer = answers.get(i).get(45, TimeUnit.SECONDS);
                    assertThat(answer.statusCode()).as("replica %d: %s", i, new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
                    assertThat(answer.body()).as("replica %d's archive", i).isEqualTo(zip);
                }
                long fetches = zipFetches(upstream);
                System.out.println("pull-through across 2 replicas asked at once: " + fetches + " upstream fetches of the archive");
                assertThat(fetches).as("at most one upstream fetch per replica").isBetween(1L, 2L);

                assertOneConsistentCopy(registry, store, zip, sums);
                List<String> hashes = new ArrayList<>();
                for (Replica r : replicas) {
                    JsonNode version = JSON.readTree(get(r.uri("/v1/mirror/" + HOST + "/acme/dummy/1.0.0.json")));
                    hashes.add(version.path("archives").path("linux_amd64").path("hashes").toString());
                    assertThat(get(r.uri(archive))).isEqualTo(zip);
                }
                assertThat(hashes.get(0)).contains(PackageHashes.h1Of(dir.resolve("release").resolve(ZIP)))
                        .contains("zh:" + Digest.sha256(zip).hex());
                assertThat(hashes.get(1)).isEqualTo(hashes.get(0));
                assertThat(zipFetches(upstream)).as("served from the registry afterwards").isEqualTo(fetches);
            } finally {
                upstreamZip.countDown();
                clients.shutdownNow();
                replicas.forEach(r -> r.process().close());
            }
        }
    }

    /** Every mirror tag resolves to one manifest whose file is the upstream's, byte for byte. */
    private void assertOneConsistentCopy(DockerRegistryServer registry, RegistryArtifactStore store, byte[] zip, byte[] sums) throws Exception {
        List<String> tags = store.listTags(MIRROR_REPOSITORY);
        assertThat(tags).containsExactlyInAnyOrder(ZIP, SUMS, SUMS + ".sig");
        Map<String, String> digests = new TreeMap<>();
        for (String tag : tags) {
            digests.put(tag, manifestDigest(registry, tag));
            Manifest manifest = store.resolve(MIRROR_REPOSITORY, tag).orElseThrow();
            assertThat(manifest.layers()).as(tag).hasSize(1);
            try (InputStream in = store.openBlob(MIRROR_REPOSITORY, manifest.layers().get(0).digest())) {
                byte[] content = in.readAllBytes();
                if (tag.equals(ZIP)) {
                    assertThat(content).isEqualTo(zip);
                } else if (tag.equals(SUMS)) {
                    assertThat(content).isEqualTo(sums);
                }
            }
        }
        System.out.println("mirror tags after the race: " + digests);
        Manifest keys = store.resolve(SIGNING_KEYS_REPOSITORY, "signing-keys.json").orElseThrow();
        try (InputStream in = store.openBlob(SIGNING_KEYS_REPOSITORY, keys.layers().get(0).digest())) {
            JsonNode listed = JSON.readTree(in).path("gpg_public_keys");
            assertThat(listed).as("the upstream's key, once").hasSize(1);
            assertThat(listed.get(0).path("ascii_armor").asText()).isEqualTo(armoredKey);
        }
        // Asked twice more: a tag rewritten by a late second push would show a different digest.
        for (String tag : tags) {
            assertThat(manifestDigest(registry, tag)).as(tag).isEqualTo(digests.get(tag));
        }
    }

    private String manifestDigest(DockerRegistryServer registry, String tag) throws Exception {
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/" + MIRROR_REPOSITORY + "/manifests/" + tag))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept", Manifest.OCI_IMAGE_MANIFEST).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).as(tag).isEqualTo(200);
        return head.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private StaticHttpServer signedUpstream(byte[] zip, byte[] sums) throws Exception {
        PgpKeys key = PgpKeys.generate("Wharf Replicas Test <replicas@example.test>");
        armoredKey = key.armoredPublicKey();
        String keys = JSON.writeValueAsString(Map.of("gpg_public_keys",
                List.of(Map.of("key_id", "51DE51DE51DE51DE", "ascii_armor", armoredKey))));
        StaticHttpServer upstream = StaticHttpServer.start();
        upstream.put("/.well-known/terraform.json", "{\"providers.v1\":\"/v1/providers/\"}");
        upstream.put("/v1/providers/acme/dummy/versions",
                "{\"versions\":[{\"version\":\"1.0.0\",\"protocols\":[\"5.0\"],\"platforms\":[{\"os\":\"linux\",\"arch\":\"amd64\"}]}]}");
        upstream.put("/v1/providers/acme/dummy/1.0.0/download/linux/amd64", """
                {"protocols":["5.0"],"os":"linux","arch":"amd64","filename":"%s","download_url":"/files/%s",
                 "shasums_url":"/files/%s","shasums_signature_url":"/files/%s.sig","shasum":"%s","signing_keys":%s}
                """.formatted(ZIP, ZIP, SUMS, SUMS, Digest.sha256(zip).hex(), keys));
        upstream.put("/files/" + ZIP, zip);
        upstream.put("/files/" + SUMS, sums);
        upstream.put("/files/" + SUMS + ".sig", key.detachedSignature(sums));
        return upstream;
    }

    private Replica startBoring(DockerRegistryServer registry, StaticHttpServer upstream, String name) {
        int port = TestPorts.free();
        List<String> args = List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + port,
                "--listen-telemetry-address", "127.0.0.1:" + TestPorts.free(), "--storage-oci-registry", registry.host(),
                "--storage-oci-insecure", "--network-mirror-pull-through", "--network-mirror-upstream", HOST + "=" + upstream.base());
        return new Replica(WharfProcess.start(dir.resolve(name), Map.of(), args), port);
    }

    private byte[] get(URI uri) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(uri + ": " + new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return response.body();
    }

    private static long zipFetches(StaticHttpServer upstream) {
        return upstream.requests().stream().filter(p -> p.equals("/files/" + ZIP)).count();
    }

    private static void awaitFetches(StaticHttpServer upstream, long count) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (zipFetches(upstream) < count) {
            assertThat(System.nanoTime()).as("both replicas fetching from upstream; requests: %s", upstream.requests()).isLessThan(end);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
