package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A thread interrupted while it waits to repeat a request to the registry (docker-registry behind a
 * {@link FaultProxy} answering 503) fails as a thread interrupted during the request does: a
 * {@link StorageException} (UNREACHABLE) naming what it was doing and the registry, with its interrupt
 * flag kept. Callers (a publish, a background cache fill) handle that exception, and nothing else.
 * The waits are long (15–30 s) and the interrupt comes once the thread is seen asleep in one of them,
 * so nothing here depends on timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryWaitInterruptTest {
    private static final RegistryTimeouts LONG = new RegistryTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(120));
    private static final RetryPolicy PATIENT = new RetryPolicy(2, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
    private static final String REPO = "interrupts/app";

    private Path dir;
    private DockerRegistryServer registry;
    private FaultProxy proxy;
    private RegistryArtifactStore store;

    @BeforeAll
    void startRegistry() throws IOException {
        dir = Files.createTempDirectory("registry-interrupts-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        try (RegistryArtifactStore direct = store(registry.host())) {
            direct.push(REPO, "1", artifact("stored"), false);
        }
    }

    @AfterAll
    void stopRegistry() {
        registry.close();
        ScratchFolder.deleteTree(dir);
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.before(registry.host());
        store = store(proxy.host());
    }

    @AfterEach
    void stopProxy() {
        store.close();
        proxy.close();
    }

    private static RegistryArtifactStore store(String host) {
        return new RegistryArtifactStore(new RegistrySettings("http://" + host, false, Optional.empty(), LONG),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), PATIENT, null);
    }

    private static Artifact artifact(String content) {
        return Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("application/octet-stream", "f.bin", BlobSource.ofBytes(content.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void anInterruptWhileWaitingToRepeatARequestIsAStorageExceptionAsDuringTheRequest() throws InterruptedException {
        proxy.inject(Fault.STATUS_503, FaultProxy.Request::isManifestRead);

        Interrupted outcome = interruptWhileAsleep(() -> store.resolve(REPO, "1"), stack -> true);

        // On the old code: IllegalStateException "interrupted while waiting to retry", which no caller of the store handles.
        assertThat(outcome.failure()).isExactlyInstanceOf(StorageException.class)
                .hasMessage("interrupted while trying to read the manifest '1' at registry " + proxy.host());
        assertThat(((StorageException) outcome.failure()).kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(outcome.flagKept()).as("interrupt flag kept").isTrue();
        assertThat(proxy.requests()).filteredOn(FaultProxy.Request::isManifestRead).hasSize(1);
    }

    @Test
    void anInterruptWhileWaitingToStartABlobUploadAgainIsAStorageException() throws InterruptedException {
        proxy.inject(Fault.STATUS_503, r -> (r.method().equals("PUT") || r.method().equals("PATCH")) && r.path().contains("/blobs/uploads/"));

        Interrupted outcome = interruptWhileAsleep(() -> store.push(REPO, "2", artifact("a blob never stored"), false),
                stack -> Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(BlobPusher.class.getName())));

        // On the old code: IllegalStateException "interrupted while waiting to retry".
        assertThat(outcome.failure()).isExactlyInstanceOf(StorageException.class)
                .hasMessageStartingWith("interrupted while trying to upload the blob sha256:")
                .hasMessageEndingWith(" at registry " + proxy.host());
        assertThat(((StorageException) outcome.failure()).kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(outcome.flagKept()).as("interrupt flag kept").isTrue();
        proxy.heal();
        assertThat(store.listTags(REPO)).containsExactly("1");
    }

    private record Interrupted(@Nullable Throwable failure, boolean flagKept) {
    }

    /**
     * Runs {@code work} on a thread of its own and interrupts it once it sleeps (the retry wait: {@code Thread.sleep}
     * on top of its stack, below frames {@code where} accepts), never while it waits for an answer.
     */
    private static Interrupted interruptWhileAsleep(Runnable work, Predicate<StackTraceElement[]> where) throws InterruptedException {
        AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                failure.set(e);
            }
            flag.set(Thread.currentThread().isInterrupted());
        }, "retry-wait-interrupt");
        worker.start();
        while (worker.getState() != Thread.State.TERMINATED && !asleep(worker, where)) {
            Thread.onSpinWait();
        }
        worker.interrupt();
        worker.join();
        return new Interrupted(failure.get(), flag.get());
    }

    private static boolean asleep(Thread thread, Predicate<StackTraceElement[]> where) {
        if (thread.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0 && stack[0].getClassName().equals(Thread.class.getName()) && stack[0].getMethodName().equals("sleep")
                && where.test(stack);
    }
}
