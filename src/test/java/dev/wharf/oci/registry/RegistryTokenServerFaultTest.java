package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.TokenServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-registry with {@code auth: token}, its token server behind a fault-injecting proxy: the token
 * server's failures are retried as the registry's are, and a realm that fails is asked of the registry again.
 */
class RegistryTokenServerFaultTest {
    @TempDir
    Path tmp;

    private TokenServer tokens;
    private FaultProxy realm;
    private DockerRegistryServer registry;
    /** How many requests the realm's proxy had seen when the test began. */
    private int seenBefore;

    @BeforeEach
    void start() throws IOException {
        tokens = new TokenServer(tmp.resolve("tokens")).user("bob", "bobs-password");
        realm = FaultProxy.before("127.0.0.1:" + tokens.uri().getPort());
        registry = DockerRegistryServer.builder(tmp.resolve("registry")).tokenAuth(tokens, "http://" + realm.host() + "/token").start();
        try (RegistryArtifactStore store = store()) {
            store.push("r/app", "v1", artifact("hello"), false);
        }
        tokens.reset();
        seenBefore = realm.requests().size();
    }

    @AfterEach
    void stop() {
        registry.close();
        realm.close();
        tokens.close();
    }

    private static Artifact artifact(String text) {
        return Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("text/plain", "f.txt", BlobSource.ofBytes(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** A store of its own each time, so no token is cached from before. */
    private RegistryArtifactStore store() {
        return RegistryTestStores.with("http://" + registry.host(), false,
                CredentialSource.fixed(new Credentials.Basic("bob", "bobs-password"), "test flags"), null);
    }

    private static boolean tokenRequest(FaultProxy.Request request) {
        return request.path().startsWith("/token");
    }

    /** The token requests the realm saw since the test began. */
    private List<FaultProxy.Request> tokenRequests() {
        List<FaultProxy.Request> all = realm.requests();
        return all.subList(seenBefore, all.size()).stream().filter(RegistryTokenServerFaultTest::tokenRequest).toList();
    }

    @Test
    void aTokenServerAnswering503IsAskedAgainAndTheRequestSucceeds() {
        AtomicInteger failed = new AtomicInteger();
        realm.inject(FaultProxy.Fault.STATUS_503, r -> tokenRequest(r) && failed.incrementAndGet() <= 2);
        try (RegistryArtifactStore store = store()) {
            assertThat(store.listTags("r/app")).containsExactly("v1");
        }
        assertThat(tokenRequests()).as("two 503s, then a token").hasSize(3);
        assertThat(tokens.tokensIssued()).isEqualTo(1);
    }

    @Test
    void aTokenServerThatKeepsFailingIsAskedAsOftenAsTheRetryPolicyAllowsAndTheFailureNamesIt() {
        realm.inject(FaultProxy.Fault.STATUS_503, RegistryTokenServerFaultTest::tokenRequest);
        try (RegistryArtifactStore store = store()) {
            assertThatThrownBy(() -> store.listTags("r/app")).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(StorageException.Kind.REGISTRY_ERROR);
                assertThat(e.getMessage()).isEqualTo("the token server of registry " + registry.host() + " failed with HTTP 503 for"
                        + " repository:r/app:pull; try again later or check the registry's auth service");
            });
        }
        assertThat(tokenRequests()).hasSize(RegistryTestStores.QUICK_RETRY.maxAttempts());
    }

    @Test
    void aTokenServiceThatMovedIsLearnedAgainFromTheRegistry() {
        try (FaultProxy moved = FaultProxy.before("127.0.0.1:" + tokens.uri().getPort()); RegistryArtifactStore store = store()) {
            assertThat(store.listTags("r/app")).containsExactly("v1");
            realm.inject(FaultProxy.Fault.REFUSE);
            registry.moveTokenRealm("http://" + moved.host() + "/token");

            // Pushing needs a token the store does not hold: it comes from where the registry now sends clients.
            store.push("r/app", "v2", artifact("moved"), false);
            assertThat(store.listTags("r/app")).containsExactlyInAnyOrder("v1", "v2");
            assertThat(moved.requests()).isNotEmpty().allSatisfy(request -> assertThat(tokenRequest(request)).isTrue());
        }
    }
}
