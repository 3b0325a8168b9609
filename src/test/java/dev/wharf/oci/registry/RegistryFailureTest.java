package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.DockerRegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docker-registry 2.8 never does, played by small stub servers (pages of tags as distribution
 * 3 sends them, HTML, 503s, redirects to a storage host), and what the real registry does when it
 * goes away or refuses deletion.
 */
class RegistryFailureTest {
    /** TagLister.MAX_TAGS, written out so that this test also compiles (and fails) against a TagLister without it. */
    private static final int MAX_TAGS = 500_000;
    /** A short budget, so that a listing that never ends costs a test about a second. */
    private static final RegistryTimeouts QUICK_BUDGET = new RegistryTimeouts(Duration.ofMillis(500), Duration.ofMillis(700),
            Duration.ofMillis(700), Duration.ofMillis(1000));

    @TempDir
    Path tmp;

    private static Artifact artifact(String text) {
        return Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("text/plain", "f.txt", BlobSource.ofBytes(text.getBytes(StandardCharsets.UTF_8))));
    }

    private static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Map.of();
        }
        return java.util.Arrays.stream(raw.split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p.length > 1 ? java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
    }

    /** Answers tags/list in pages of {@code n} (default 100) after {@code last}, with a Link to the next page, as distribution 3 does. */
    private static void pagedTags(HttpExchange exchange, List<String> all, boolean absoluteLinks, String host) throws IOException {
        Map<String, String> q = query(exchange);
        int n = Integer.parseInt(q.getOrDefault("n", "100"));
        int from = q.containsKey("last") ? all.indexOf(q.get("last")) + 1 : 0;
        List<String> page = all.subList(from, Math.min(all.size(), from + n));
        if (from + n < all.size()) {
            String next = "/v2/paged/app/tags/list?last=" + page.get(page.size() - 1) + "&n=" + n;
            // Alternate: relative links on even pages, absolute on odd ones when asked.
            boolean absolute = absoluteLinks && (from / n) % 2 == 1;
            exchange.getResponseHeaders().add("Link", "<" + (absolute ? "http://" + host + next : next) + ">; rel=\"next\"");
        }
        String body = "{\"name\":\"paged/app\",\"tags\":[" + page.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",")) + "]}";
        StubHttpServer.respond(exchange, 200, "application/json", body);
    }

    private static boolean isPing(HttpExchange exchange) {
        return exchange.getRequestURI().getPath().equals("/v2/");
    }

    /** A stub that answers the {@code /v2/} ping as a registry does and every other request with {@code rest}. */
    private static StubHttpServer afterPing(com.sun.net.httpserver.HttpHandler rest) throws IOException {
        return new StubHttpServer(exchange -> {
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else {
                rest.handle(exchange);
            }
        });
    }

    @Test
    void followsLinkPaginationRelativeAndAbsolute() throws IOException {
        List<String> all = IntStream.range(0, 250).mapToObj(i -> String.format("v%03d", i)).toList();
        String[] host = new String[1];
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else {
                pagedTags(exchange, all, true, host[0]);
            }
        })) {
            host[0] = stub.host();
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThat(store.listTags("paged/app")).containsExactlyElementsOf(all);
            assertThat(stub.requests()).containsExactly(
                    "GET /v2/",
                    "GET /v2/paged/app/tags/list",
                    "GET /v2/paged/app/tags/list?last=v099&n=100",
                    "GET /v2/paged/app/tags/list?last=v199&n=100");
        }
    }

    /**
     * A Link with a new query on every page (a counter) never repeats a URL: the listing shares one retry budget
     * and ends with a clear message instead of following 100,000 pages after the client left.
     */
    @Test
    void endlessPaginationEndsWithinTheRetryBudget() throws IOException {
        AtomicInteger pages = new AtomicInteger();
        try (StubHttpServer stub = afterPing(exchange -> {
            int n = pages.incrementAndGet();
            exchange.getResponseHeaders().add("Link", "</v2/endless/app/tags/list?x=" + n + ">; rel=\"next\"");
            StubHttpServer.respond(exchange, 200, "application/json", "{\"name\":\"endless/app\",\"tags\":[\"t" + n + "\"]}");
        }); RegistryArtifactStore store = new RegistryArtifactStore(new RegistrySettings("http://" + stub.host(), false,
                Optional.empty(), QUICK_BUDGET), CredentialSource.fixed(new Credentials.Anonymous(), "test"),
                RegistryTestStores.QUICK_RETRY, null)) {
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> store.listTags("endless/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                        assertThat(e.getMessage()).contains(stub.host(), "endless/app", "did not end within 4 retry budgets",
                                "tags read");
                    }));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(QUICK_BUDGET.retryBudget().multipliedBy(TagLister.LISTING_BUDGETS).plusSeconds(2));
            int asked = pages.get();
            assertThat(stub.requests()).as("no page is asked for once the listing failed").hasSize(asked + 1);
        }
    }

    @Test
    void aLinkBackToTheFirstPageIsALoopAtOnce() throws IOException {
        try (StubHttpServer stub = afterPing(exchange -> {
            exchange.getResponseHeaders().add("Link", "</v2/loop/app/tags/list>; rel=\"next\"");
            StubHttpServer.respond(exchange, 200, "application/json", "{\"name\":\"loop/app\",\"tags\":[\"a\"]}");
        })) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.listTags("loop/app")).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.getMessage()).contains(stub.host(), "loop/app", "points back at a page already read"));
            assertThat(stub.requests()).containsExactly("GET /v2/", "GET /v2/loop/app/tags/list");
        }
    }

    @Test
    void aTagListOfMoreTagsThanAListingKeepsIsRefused() throws IOException {
        StringBuilder page = new StringBuilder("{\"name\":\"many/app\",\"tags\":[");
        for (int i = 0; i <= MAX_TAGS; i++) {
            page.append(i == 0 ? "\"" : ",\"").append(i).append('"');
        }
        String body = page.append("]}").toString();
        try (StubHttpServer stub = afterPing(exchange -> StubHttpServer.respond(exchange, 200, "application/json", body))) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.listTags("many/app")).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                assertThat(e.getMessage()).contains(stub.host(), "many/app", "more than " + MAX_TAGS + " tags");
            });
        }
    }

    /** distribution 2.x lists every tag in one page when not asked for fewer: a flat layout's tags run past 4 MiB. */
    @Test
    void aLongTagListIsReadWholeAndAnOversizedManifestIsSaidToBeOne() throws IOException {
        List<String> all = IntStream.range(0, 90_000).mapToObj(i -> String.format("providers..hashicorp..aws._5.%05d.0-linux-amd64", i)).toList();
        StringBuilder list = new StringBuilder("{\"name\":\"flat\",\"tags\":[");
        for (int i = 0; i < all.size(); i++) {
            list.append(i == 0 ? "\"" : ",\"").append(all.get(i)).append('"');
        }
        String page = list.append("]}").toString();
        assertThat(page.length()).isGreaterThan(RegistryTransport.SMALL_BODY_LIMIT);
        String huge = "{\"schemaVersion\":2,\"annotations\":{\"x\":\"" + "a".repeat(RegistryTransport.SMALL_BODY_LIMIT) + "\"}}";
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else if (exchange.getRequestURI().getPath().endsWith("/tags/list")) {
                StubHttpServer.respond(exchange, 200, "application/json", page);
            } else {
                StubHttpServer.respond(exchange, 200, "application/vnd.oci.image.manifest.v1+json", huge);
            }
        })) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThat(store.listTags("flat")).containsExactlyElementsOf(all);
            assertThatThrownBy(() -> store.resolve("flat", "v1"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PROTOCOL))
                    .hasMessageContaining("answered more than 4 MiB");
        }
    }

    @Test
    void registryDyingInTheMiddleOfAListingIsUnreachable() throws IOException {
        List<String> all = IntStream.range(0, 250).mapToObj(i -> "t" + i).toList();
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else if (exchange.getRequestURI().getQuery() == null) {
                pagedTags(exchange, all, false, null);
            }
            // Later pages: the connection closes without an answer, as when the process dies.
        })) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.listTags("paged/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                        assertThat(e.getMessage()).contains(stub.host(), "paged/app", "list the tags", "check that the registry is running");
                    });
            // Idempotent: the second page was retried (the JDK client itself also repeats a GET once when a connection closes).
            int attempts = RegistryTestStores.QUICK_RETRY.maxAttempts();
            assertThat(stub.requests()).filteredOn(r -> r.contains("last=")).hasSizeBetween(attempts, 2 * attempts);
        }
    }

    @Test
    void realRegistryStoppedBetweenCallsAndRestarted() throws IOException {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(tmp.resolve("registry"))) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + registry.host());
            store.push("stop/app", "1", artifact("before"), false);
            registry.stop();
            assertThatThrownBy(() -> store.listTags("stop/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                        assertThat(e.getMessage()).contains("registry " + registry.host(), "repository stop/app",
                                "cannot connect", "check that the registry is running");
                    });
            assertThatThrownBy(() -> store.push("stop/app", "2", artifact("during"), false))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE));
            registry.start();
            assertThat(store.listTags("stop/app")).containsExactly("1");
        }
    }

    @Test
    void nothingListeningIsUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RegistryArtifactStore store = RegistryTestStores.anonymous("http://127.0.0.1:" + port);
        assertThatThrownBy(() -> store.resolve("any/app", "1"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + port, "cannot connect");
                });
    }

    @Test
    void unknownHostIsUnreachableWithADnsHint() {
        RegistryArtifactStore store = RegistryTestStores.with("http://registry.wharf-test.invalid", true,
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), null);
        assertThatThrownBy(() -> store.listTags("any/app"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                    assertThat(e.getMessage()).contains("registry.wharf-test.invalid", "DNS");
                });
    }

    @Test
    void anHtmlPageIsNotOci() throws IOException {
        try (StubHttpServer stub = new StubHttpServer(exchange -> StubHttpServer.respond(exchange, 200, "text/html; charset=utf-8",
                "<!DOCTYPE html><html><body>Welcome to our portal</body></html>"))) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.listTags("any/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                        assertThat(e.getMessage()).contains(stub.host(), "HTML page", "not at a web site");
                    });
        }
    }

    @Test
    void htmlOrForeignJsonBehindAWorkingPingIsNotOci() throws IOException {
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else if (path.startsWith("/v2/html/")) {
                StubHttpServer.respond(exchange, 200, "text/html", "<html><body>login</body></html>");
            } else if (path.contains("/manifests/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{\"hello\":\"world\"}");
            } else {
                StubHttpServer.respond(exchange, 200, "application/json", "{\"items\":[1,2,3]}");
            }
        })) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThatThrownBy(() -> store.listTags("html/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PROTOCOL));
            assertThatThrownBy(() -> store.listTags("json/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                        assertThat(e.getMessage()).contains("OCI tag list shape");
                    });
            assertThatThrownBy(() -> store.resolve("json/app", "1"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
                        assertThat(e.getMessage()).contains("not an artifact manifest");
                    });
        }
    }

    @Test
    void retriesTransientAnswersThenSucceeds() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
                return;
            }
            int n = calls.incrementAndGet();
            if (n == 1) {
                exchange.getResponseHeaders().set("Retry-After", "0");
                StubHttpServer.respond(exchange, 429, "application/json", "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}");
            } else if (n == 2) {
                StubHttpServer.respond(exchange, 503, "text/plain", "");
            } else {
                StubHttpServer.respond(exchange, 200, "application/json", "{\"name\":\"r/app\",\"tags\":[\"a\"]}");
            }
        })) {
            assertThat(RegistryTestStores.anonymous("http://" + stub.host()).listTags("r/app")).containsExactly("a");
            assertThat(calls).hasValue(3);
        }
    }

    @Test
    void persistentServerErrorsEndInOneMessageWithTheRegistrysWords() throws IOException {
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else {
                StubHttpServer.respond(exchange, 503, "application/json",
                        "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"storage backend down\"}]}");
            }
        })) {
            assertThatThrownBy(() -> RegistryTestStores.anonymous("http://" + stub.host()).listTags("r/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.REGISTRY_ERROR);
                        assertThat(e.getMessage()).contains("HTTP 503", "UNAVAILABLE: storage backend down", "r/app");
                    });
            assertThat(stub.requests()).filteredOn(r -> r.contains("tags")).hasSize(3);
        }
    }

    @Test
    void ociErrorBodyIsQuotedInTheMessage() throws IOException {
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else {
                StubHttpServer.respond(exchange, 400, "application/json",
                        "{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"invalid repository name\",\"detail\":{}}]}");
            }
        })) {
            assertThatThrownBy(() -> RegistryTestStores.anonymous("http://" + stub.host()).resolve("r/app", "1"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.REGISTRY_ERROR);
                        assertThat(e.getMessage()).contains("HTTP 400", "NAME_INVALID: invalid repository name", "read the manifest '1'");
                    });
        }
    }

    @Test
    void blobRedirectsToAnotherHostWithoutTheAuthorizationHeader() throws IOException {
        byte[] content = "bytes kept on a storage host".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        List<String> storageAuthorization = new CopyOnWriteArrayList<>();
        List<String> registryAuthorization = new CopyOnWriteArrayList<>();
        try (StubHttpServer storage = new StubHttpServer(exchange -> {
            storageAuthorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, content.length);
            exchange.getResponseBody().write(content);
        }); StubHttpServer stub = new StubHttpServer(exchange -> {
            registryAuthorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else {
                exchange.getResponseHeaders().set("Location", "http://" + storage.host() + "/bucket/" + digest.hex() + "?X-Signature=abc");
                StubHttpServer.respond(exchange, 307, null, "");
            }
        })) {
            RegistryArtifactStore store = RegistryTestStores.with("http://" + stub.host(), false,
                    CredentialSource.fixed(new Credentials.Token("static-registry-token"), "test"), null);
            try (InputStream in = store.openBlob("r/app", digest)) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
            assertThat(store.directBlobUrl("r/app", digest)).hasValueSatisfying(uri ->
                    assertThat(uri.toString()).startsWith("http://" + storage.host() + "/bucket/"));
            assertThat(registryAuthorization).contains("Bearer static-registry-token");
            assertThat(storageAuthorization).containsOnly("null");
        }
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestFailsAtTheEnd() throws IOException {
        Digest promised = Digest.sha256("the real content".getBytes(StandardCharsets.UTF_8));
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else {
                StubHttpServer.respond(exchange, 200, "application/octet-stream", "tampered content");
            }
        })) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + stub.host());
            assertThat(store.directBlobUrl("r/app", promised)).isEmpty();
            assertThatThrownBy(() -> {
                try (InputStream in = store.openBlob("r/app", promised)) {
                    in.readAllBytes();
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("does not match its digest");
        }
    }

    @Test
    void deletionDisabledIsUnsupported() throws IOException {
        try (DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("nodelete")).deleteEnabled(false).start()) {
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + registry.host());
            store.push("nodelete/app", "1", artifact("x"), false);
            assertThatThrownBy(() -> store.delete("nodelete/app", "1"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
                        assertThat(e.getMessage()).contains("nodelete/app", "storage.delete.enabled");
                    });
            assertThat(store.exists("nodelete/app", "1")).isTrue();
            assertThat(store.delete("nodelete/app", "never-pushed")).isFalse();
        }
    }

    @Test
    void unknownRepositoryOnPushSaysSo() throws IOException {
        try (StubHttpServer stub = new StubHttpServer(exchange -> {
            if (isPing(exchange)) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
            } else {
                StubHttpServer.respond(exchange, 404, "application/json",
                        "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}");
            }
        })) {
            assertThatThrownBy(() -> RegistryTestStores.anonymous("http://" + stub.host()).push("ghost/app", "1", artifact("x"), false))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
                        assertThat(e.getMessage()).contains("repository ghost/app", "does not exist", "NAME_UNKNOWN");
                    });
        }
    }

    @Test
    void contentThatChangesDuringThePushIsRefusedAsCorrupt() throws IOException {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(tmp.resolve("changing"))) {
            AtomicInteger opened = new AtomicInteger();
            BlobSource changing = new BlobSource() {
                @Override
                public InputStream open() {
                    String text = opened.incrementAndGet() == 1 ? "first read" : "other read";
                    return new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public long size() {
                    return 10;
                }

                @Override
                public String toString() {
                    return "changing.txt";
                }
            };
            RegistryArtifactStore store = RegistryTestStores.anonymous("http://" + registry.host());
            assertThatThrownBy(() -> store.push("changing/app", "1", Artifact.single("application/vnd.wharf.test.v1",
                    Layer.file("text/plain", "c.txt", changing)), false))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
                        assertThat(e.getMessage()).contains("does not match", "changing.txt");
                    });
            assertThat(store.exists("changing/app", "1")).isFalse();
        }
    }

    @Test
    void badRegistryAddressesAndNamesAreRefusedUpFront() {
        assertThatThrownBy(() -> RegistryTestStores.anonymous("ftp://host"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme 'ftp'");
        assertThatThrownBy(() -> RegistryTestStores.anonymous("host:5000/some/repo"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host[:port]");
        RegistryArtifactStore store = RegistryTestStores.anonymous("http://127.0.0.1:1");
        assertThatThrownBy(() -> store.listTags("Bad_Name/x")).hasMessageContaining("not valid for OCI");
        // Plain HTTP by the address alone reaches only this machine, as docker's default insecure registries do.
        assertThatThrownBy(() -> RegistryTestStores.anonymous("http://registry.example.com:5000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain HTTP to another machine")
                .hasMessageContaining("--storage-oci-insecure, -oci-insecure");
        assertThatThrownBy(() -> RegistryTestStores.anonymous("http://10.1.2.3")).hasMessageContaining("plain HTTP to another machine");
        for (String local : List.of("http://localhost:5000", "http://127.0.0.2:5000", "http://[::1]:5000")) {
            RegistryTestStores.anonymous(local).close();
        }
        RegistryTestStores.with("http://registry.example.com:5000", true, CredentialSource.fixed(new Credentials.Anonymous(), "test"), null).close();
        assertThatThrownBy(() -> store.resolve("ok/name", "bad tag")).hasMessageContaining("not a valid OCI tag");
    }
}
