package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ExclusivePublishStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.SlowTagProxy;
import dev.wharf.testing.TestModules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty {@code upload module} runs at once in one process, against docker-registry behind a proxy
 * that answers tag checks late (every run's check says "absent" before any run has pushed): one
 * version is published exactly once, with the winner's content; twenty different versions are all
 * published.
 */
class ConcurrentModuleUploadTest {
    private static final int RUNS = 20;

    @TempDir
    static Path dir;
    static DockerRegistryServer registry;
    static SlowTagProxy proxy;

    @BeforeAll
    static void start() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        proxy = new SlowTagProxy(registry.host(), Duration.ofMillis(300));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        registry.close();
    }

    @Test
    void oneVersionUploadedTwentyTimesAtOnceIsPublishedOnceWithTheWinnersContent() throws Exception {
        List<Path> modules = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            modules.add(TestModules.write(dir.resolve("same/" + i), "same", "1.0.0", "content of run " + i));
        }
        try (ArtifactStore store = store()) {
            List<Outcome> outcomes = runAll(store, modules);
            List<Outcome> won = outcomes.stream().filter(o -> o.error() == null).toList();
            assertThat(won).as("runs that reported success: %s", outcomes).hasSize(1);
            for (Outcome lost : outcomes.stream().filter(o -> o.error() != null).toList()) {
                assertThat(lost.error()).as("a loser's error").isInstanceOf(UploadException.class)
                        .hasMessageNotContaining("\n")
                        .hasMessageContaining("module acme/same/aws version 1.0.0");
                assertThat(lost.error().getMessage()).containsAnyOf("already exists", "at the same time");
            }
            assertThat(TestModules.storedContent(store, "same", "1.0.0")).isEqualTo("content of run " + won.get(0).run());
        }
    }

    @Test
    void twentyDifferentVersionsUploadedAtOnceAreAllPublished() throws Exception {
        List<Path> modules = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            modules.add(TestModules.write(dir.resolve("many/" + i), "many", "2.0." + i, "version " + i));
        }
        try (ArtifactStore store = store()) {
            List<Outcome> outcomes = runAll(store, modules);
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("run %d", o.run()).isNull());
            for (int i = 0; i < RUNS; i++) {
                assertThat(TestModules.storedContent(store, "many", "2.0." + i)).isEqualTo("version " + i);
            }
        }
    }

    private record Outcome(int run, Throwable error) {
    }

    /** The store `boring-registry upload` opens, on the proxy. */
    private static ArtifactStore store() {
        return new ExclusivePublishStore(new RegistryArtifactStore(new RegistrySettings(proxy.url(), false, Optional.empty())));
    }

    private static List<Outcome> runAll(ArtifactStore store, List<Path> modules) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(modules.size());
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < modules.size(); i++) {
                int run = i;
                runs.add(pool.submit(() -> {
                    start.await();
                    ModuleUploader uploader = new ModuleUploader(store, TestModules.LAYOUT, new ModuleUploader.Options(false, false,
                            Optional.empty(), Optional.empty(), Optional.empty(), ExcludePatterns.none(), ArchiveFormat.ZIP), m -> { });
                    try {
                        uploader.upload(modules.get(run));
                        outcomes.add(new Outcome(run, null));
                    } catch (RuntimeException e) {
                        outcomes.add(new Outcome(run, e));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(outcomes);
    }
}
