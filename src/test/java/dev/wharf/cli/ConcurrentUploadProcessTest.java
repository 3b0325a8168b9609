package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.SlowTagProxy;
import dev.wharf.testing.TestModules;
import dev.wharf.testing.WharfProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code boring-registry upload module} processes started at once for one version: of twenty on the
 * embedded layout exactly one exits 0; of ten on docker-registry behind a proxy that answers tag
 * checks a second late (and the first check of each only once all have asked), with different
 * content in each, every process that exits 0 finds its own content
 * stored (no publish is silently replaced) and the others say in one line why they did not publish.
 */
class ConcurrentUploadProcessTest {
    private static final int PROCESSES = 20;
    /** Against the registry fewer suffice: every one of them passes its checks before the first PUT. */
    private static final int REGISTRY_PROCESSES = 10;
    /** Twenty JVMs at once on a small machine: the quickest start, not the quickest run. */
    private static final Map<String, String> LIGHT_JVM = Map.of("JAVA_TOOL_OPTIONS",
            "-XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC -Xss512k");
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private record Run(int index, int exit, String output) {
    }

    @Test
    void twentyProcessesOnTheEmbeddedLayoutPublishOneVersionOnce() throws Exception {
        Path layout = dir.resolve("data");
        List<Run> runs = uploadAtOnce(PROCESSES, List.of("--storage-oci-layout-dir", layout.toString()));
        List<Run> won = runs.stream().filter(r -> r.exit() == 0).toList();
        assertThat(won).as("processes that exited 0: %s", runs).hasSize(1);
        assertLosersSayWhy(runs);
        try (ArtifactStore store = new ImageLayoutStore(layout)) {
            assertThat(TestModules.storedContent(store, "same", "1.0.0")).isEqualTo(content(won.get(0).index()));
        }
    }

    @Test
    void twentyProcessesOnASlowRegistryNeverReplaceAPublishSilently() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
                SlowTagProxy proxy = new SlowTagProxy(registry.host(), Duration.ofSeconds(1))) {
            proxy.gateFirstTagChecks(REGISTRY_PROCESSES, Duration.ofSeconds(8));
            // The gate holds the first tag checks up to 8 s until every process has asked, and the proxy 1 s more: the
            // default 5 s response timeout, and then the default 8 s retry budget that bounds it, had a process started
            // first time out while the tenth JVM was still starting.
            List<Run> runs = uploadAtOnce(REGISTRY_PROCESSES, List.of("--storage-oci-registry", proxy.host(), "--storage-oci-insecure",
                    "--storage-oci-response-timeout", "30s", "--storage-oci-retry-budget", "30s"));
            List<Run> won = runs.stream().filter(r -> r.exit() == 0).toList();
            System.out.println("slow registry: " + won.size() + " of " + REGISTRY_PROCESSES + " processes published, "
                    + runs.stream().filter(ConcurrentUploadProcessTest::registryRace).count() + " met the registry's 500");
            assertThat(won).as("processes that exited 0: %s", runs).isNotEmpty();
            assertLosersSayWhy(runs.stream().filter(r -> !registryRace(r)).toList());
            try (ArtifactStore store = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
                String stored = TestModules.storedContent(store, "same", "1.0.0");
                for (Run run : won) {
                    assertThat(stored).as("what process %d, which exited 0, published", run.index()).isEqualTo(content(run.index()));
                }
            }
        }
    }

    private List<Run> uploadAtOnce(int count, List<String> storage) throws Exception {
        List<WharfProcess> processes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Path module = TestModules.write(dir.resolve("modules/" + i), "same", "1.0.0", content(i));
                List<String> args = new ArrayList<>(List.of("boring-registry", "upload", "module",
                        "--storage-module-archive-format", "zip", "--ignore-existing=false"));
                args.addAll(storage);
                args.add(module.toString());
                processes.add(WharfProcess.start(dir.resolve("work/" + i), LIGHT_JVM, args));
            }
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int exit = processes.get(i).waitFor(DEADLINE);
                runs.add(new Run(i, exit, processes.get(i).output()));
            }
            return runs;
        } finally {
            processes.forEach(WharfProcess::close);
        }
    }

    private static void assertLosersSayWhy(List<Run> runs) {
        for (Run lost : runs.stream().filter(r -> r.exit() != 0).toList()) {
            List<String> lines = lost.output().lines()
                    .filter(l -> l.contains("module acme/same/aws version 1.0.0")).toList();
            assertThat(lines).as("process %d's output:\n%s", lost.index(), lost.output()).hasSize(1);
            assertThat(lines.get(0)).containsAnyOf("already exists", "at the same time");
        }
        long raced = runs.stream().filter(r -> r.exit() != 0 && r.output().contains("at the same time")).count();
        System.out.println("losers: " + raced + " found their publish replaced, "
                + runs.stream().filter(r -> r.exit() != 0).count() + " in all; one of them said: " + runs.stream()
                .filter(r -> r.exit() != 0).flatMap(r -> r.output().lines().filter(l -> l.contains("module acme/same/aws")))
                .filter(l -> l.contains("at the same time")).findFirst().orElse("(none lost a race)"));
    }

    /**
     * A process whose tag check docker-registry answered 500 while another process's manifest PUT was writing that tag:
     * its filesystem driver rewrites a tag's link file in place, and a read meanwhile finds it empty or cut short ("unknown
     * error", "invalid checksum digest format": 4 of 800 HEADs with four writers re-tagging, by hand with curl). Wharf
     * asks again after a 500, three tries in all (RetryRule), so such a process usually goes on as the others do; one
     * whose three tries were all answered 500 fails, in one line naming the registry's answer, and publishes nothing;
     * the race's losers it is not one of.
     */
    private static boolean registryRace(Run run) {
        List<String> said = run.output().lines().filter(l -> l.startsWith("boring-registry:")).toList();
        return run.exit() != 0 && said.size() == 1 && said.get(0).contains("the registry failed with HTTP 500 when trying to check whether tag");
    }

    private static String content(int index) {
        return "content of process " + index;
    }
}
