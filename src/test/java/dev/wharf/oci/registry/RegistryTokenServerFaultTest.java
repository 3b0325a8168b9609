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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /** The token service is judged as the registry is: a 500 that clears is asked past, one that stays ends the tries. */
    @Test
    void aTokenServerAnswering500IsAskedAgainAtMostTwice() {
        AtomicInteger failed = new AtomicInteger();
        realm.inject(FaultProxy.Fault.STATUS_500, r -> tokenRequest(r) && failed.incrementAndGet() <= 2);
        try (RegistryArtifactStore store = store()) {
            assertThat(store.listTags("r/app")).containsExactly("v1");
        }
        assertThat(tokenRequests()).as("two 500s, then a token").hasSize(3);
        assertThat(tokens.tokensIssued()).isEqualTo(1);

        realm.inject(FaultProxy.Fault.STATUS_500, RegistryTokenServerFaultTest::tokenRequest);
        RetryPolicy patient = new RetryPolicy(10, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(200));
        try (RegistryArtifactStore store = store(RegistryTimeouts.DEFAULT_RESPONSE, RegistryTimeouts.DEFAULT_RETRY_BUDGET, patient)) {
            assertThatThrownBy(() -> store.listTags("r/app")).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.getMessage()).contains("the token server of registry", "failed with HTTP 500"));
        }
        assertThat(tokenRequests()).as("three more, though the policy allows ten").hasSize(6);
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

    /** A store of its own with the given response timeout and retry budget, asking with Bob's password. */
    private RegistryArtifactStore store(Duration response, Duration budget, RetryPolicy retry) {
        RegistryTimeouts timeouts = new RegistryTimeouts(RegistryTimeouts.DEFAULT_CONNECT, response, RegistryTimeouts.DEFAULT_IDLE, budget);
        return new RegistryArtifactStore(new RegistrySettings("http://" + registry.host(), false, Optional.empty(), timeouts),
                CredentialSource.fixed(new Credentials.Basic("bob", "bobs-password"), "test flags"), retry, null);
    }

    /**
     * A token server that never answers costs a request what is left of its retry budget, not the response timeout:
     * bounded by the timeout alone, the token request held this one 5 s against its budget of 1 s. The bounds
     * below are behaviour, not speed: far from both the budget and the timeout.
     */
    @Test
    void aTokenServerThatHangsCostsARequestItsRetryBudgetNotTheResponseTimeout() {
        realm.inject(FaultProxy.Fault.STALL, RegistryTokenServerFaultTest::tokenRequest);
        try (RegistryArtifactStore store = store(Duration.ofSeconds(5), Duration.ofSeconds(1), RegistryTestStores.QUICK_RETRY)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.listTags("r/app")).isInstanceOf(StorageException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3500));
        } finally {
            realm.heal();
        }
    }

    /**
     * Two requests for one scope while the token server hangs: the second waits for the first's token request and
     * takes its failure, instead of then sending one of its own and waiting its full timeout again (3 s, then 3 s).
     */
    @Test
    void aRequestQueuedBehindAHangingTokenRequestTakesItsFailure() throws Exception {
        realm.inject(FaultProxy.Fault.STALL, RegistryTokenServerFaultTest::tokenRequest);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (RegistryArtifactStore store = store(Duration.ofSeconds(3), Duration.ofSeconds(30), RetryPolicy.none())) {
            long start = System.nanoTime();
            List<Future<Duration>> requests = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                requests.add(threads.submit(() -> {
                    assertThatThrownBy(() -> store.listTags("r/app")).isInstanceOf(StorageException.class);
                    return Duration.ofNanos(System.nanoTime() - start);
                }));
            }
            for (Future<Duration> request : requests) {
                assertThat(request.get()).isLessThan(Duration.ofMillis(4500));
            }
            assertThat(tokenRequests()).as("one token request for both").hasSize(1);
        } finally {
            threads.shutdownNow();
            realm.heal();
        }
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
