package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launchers ({@code bin/wharf-jvm}) and the image (the pom's Jib entry point) are two copies of
 * one choice of JVM defaults (collector, heap, JIT counts, SHA-256's early compile, the native-heap
 * trim): the figures in bench/RESULTS.md that chose them hold for both only while both carry the
 * same flags. Each may add only what belongs to it: the launcher its archive handling, the image its
 * container sizing, out-of-memory exit and home directory.
 */
class LauncherAndImageFlagsTest {
    private static final Pattern JVM_OPTION = Pattern.compile("-X[A-Za-z0-9:+=.,_*]*");
    /** The launcher's own: how it maps or makes a class-data archive, and the collector check of JAVA_OPTS. */
    private static final Set<String> LAUNCHER_ONLY = Set.of("-XX:+AutoCreateSharedArchive", "-XX:+Use*GC", "-XX:SharedArchiveFile=",
            "-Xlog:cds+dynamic=off", "-Xlog:cds=off", "-Xshare:auto");
    /** The image's own: a container's memory limit, its restart policy, its volume. */
    private static final Set<String> IMAGE_ONLY = Set.of("-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-Duser.home=/data");

    @Test
    void theImageRunsWithTheLaunchersJvmDefaults() throws IOException {
        Set<String> launcher = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("bin/wharf-jvm"))) {
            if (!line.strip().startsWith("#")) {
                Matcher option = JVM_OPTION.matcher(line);
                while (option.find()) {
                    launcher.add(option.group());
                }
            }
        }
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher entrypoint = Pattern.compile("<entrypoint>(.*?)</entrypoint>", Pattern.DOTALL).matcher(pom);
        assertThat(entrypoint.find()).as("the pom's Jib entry point").isTrue();
        Set<String> image = new TreeSet<>();
        Matcher flag = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>").matcher(entrypoint.group(1));
        while (flag.find()) {
            image.add(flag.group(1).strip());
        }

        assertThat(launcher).as("bin/wharf-jvm's options").containsAll(LAUNCHER_ONLY).contains("-XX:+UseSerialGC", "-Xms16m");
        assertThat(image).as("the image's JVM flags").containsAll(IMAGE_ONLY);
        launcher.removeAll(LAUNCHER_ONLY);
        image.removeAll(IMAGE_ONLY);
        assertThat(image).as("the image's JVM defaults, against the launchers'").isEqualTo(launcher);
    }
}
