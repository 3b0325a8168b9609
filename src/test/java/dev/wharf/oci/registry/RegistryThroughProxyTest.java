package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.ChunkBytes;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.ForwardProxy;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behind a forward proxy every request of a store goes through it, whichever of the store's two
 * HTTP clients sends it: pushes (the JDK client) and every read, blob content included (Jetty's).
 * Over plain HTTP the proxy sees each request; over TLS it sees the tunnels, and the store still
 * checks the registry's certificate through them.
 */
class RegistryThroughProxyTest {
    private static final CredentialSource ANONYMOUS = CredentialSource.fixed(new Credentials.Anonymous(), "-");
    private static final String REPO = "proxied/app";

    private static Path dir;
    private static DockerRegistryServer plain;
    private static DockerRegistryServer tls;
    private static byte[] content;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("wharf-registry-proxy");
        plain = DockerRegistryServer.anonymous(dir.resolve("plain"));
        tls = DockerRegistryServer.builder(dir.resolve("tls")).tls().start();
        content = new byte[1 << 20];
        new Random(23).nextBytes(content);
    }

    @AfterAll
    static void stop() {
        plain.close();
        tls.close();
        TestFiles.deleteQuietly(dir);
    }

    private static RegistryArtifactStore store(String registry, @Nullable SSLContext trust, ProxySelector proxies) {
        return new RegistryArtifactStore(new RegistrySettings(registry, false, Optional.empty()), ANONYMOUS,
                RegistryTestStores.QUICK_RETRY, trust, RegistryCallObserver.NONE, proxies);
    }

    private static Artifact artifact(String tag) {
        return Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("application/octet-stream", tag + ".bin", BlobSource.ofBytes(content)));
    }

    /** Pushes, then lists, resolves and reads the blob back through a fresh store. */
    private static void pushAndReadBack(String registry, @Nullable SSLContext trust, ProxySelector proxies, String tag) throws IOException {
        Manifest pushed;
        try (RegistryArtifactStore store = store(registry, trust, proxies)) {
            pushed = store.push(REPO, tag, artifact(tag), false);
        }
        try (RegistryArtifactStore store = store(registry, trust, proxies)) {
            assertThat(store.listTags(REPO)).contains(tag);
            assertThat(store.resolve(REPO, tag)).contains(pushed);
            assertThat(ChunkBytes.readAll(store.readBlob(REPO, pushed.layers().get(0).digest()))).isEqualTo(content);
        }
    }

    @Test
    void everyRequestToAPlainHttpRegistryGoesThroughTheProxy() throws IOException {
        try (ForwardProxy proxy = new ForwardProxy()) {
            String base = "http://" + plain.host();
            pushAndReadBack(base, null, ProxySelector.of(proxy.address()), "1");

            assertThat(proxy.requests()).anyMatch(startsWith("PUT " + base + "/v2/" + REPO + "/manifests/1"))
                    .anyMatch(startsWith("GET " + base + "/v2/" + REPO + "/tags/list"))
                    .anyMatch(startsWith("GET " + base + "/v2/" + REPO + "/manifests/1"))
                    .anyMatch(startsWith("GET " + base + "/v2/" + REPO + "/blobs/sha256:"))
                    .allMatch(startsWith("GET " + base + "/").or(startsWith("HEAD " + base + "/"))
                            .or(startsWith("PUT " + base + "/")).or(startsWith("POST " + base + "/"))
                            .or(startsWith("PATCH " + base + "/")));
        }
    }

    @Test
    void aTlsRegistryIsReachedThroughTunnelsWithItsCertificateChecked() throws IOException {
        try (ForwardProxy proxy = new ForwardProxy()) {
            SSLContext trust = tls.certificate().orElseThrow().trustingContext();
            pushAndReadBack("https://" + tls.host(), trust, ProxySelector.of(proxy.address()), "1");

            assertThat(proxy.requests()).isNotEmpty().allMatch(startsWith("CONNECT " + tls.host()));
            // Both clients opened tunnels: the JDK one (pushes) and Jetty's (reads) are separate pools.
            assertThat(proxy.requests()).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void withoutAProxyTheSelectorNamesNothingGoesThroughIt() throws IOException {
        try (ForwardProxy proxy = new ForwardProxy()) {
            ProxySelector direct = new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    return List.of(Proxy.NO_PROXY);
                }

                @Override
                public void connectFailed(URI uri, SocketAddress address, IOException e) {
                }
            };
            pushAndReadBack("http://" + plain.host(), null, direct, "2");
            assertThat(proxy.requests()).isEmpty();
        }
    }

    private static Predicate<String> startsWith(String prefix) {
        return s -> s.startsWith(prefix);
    }
}
