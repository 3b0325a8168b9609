package dev.wharf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentest4j.TestAbortedException;

/**
 * Finds an executable a test needs. Outside CI a missing tool aborts the test (reported as skipped,
 * with the Debian package to install); with {@code CI=true} it fails the test, so a CI machine that
 * lacks the tool never passes by skipping.
 */
public final class RequiredTool {
    private static final List<String> STANDARD_DIRS = List.of("/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin", "/sbin");

    private RequiredTool() {
    }

    /** The path of {@code command}, or a failed/aborted test naming {@code debianPackage}. */
    public static Path require(String command, String debianPackage) {
        return require(command, debianPackage, System.getenv());
    }

    static Path require(String command, String debianPackage, Map<String, String> env) {
        return locate(command, env.getOrDefault("PATH", "")).orElseGet(() -> {
            String message = "'" + command + "' is not installed; install it with: apt-get install " + debianPackage;
            if ("true".equalsIgnoreCase(env.get("CI"))) {
                return fail(message + " (CI=true: a missing tool fails the test instead of skipping it)");
            }
            throw new TestAbortedException(message);
        });
    }

    /** The executable {@code command} on {@code path} or in the standard system folders. */
    public static java.util.Optional<Path> locate(String command, String path) {
        Set<String> dirs = new LinkedHashSet<>();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                dirs.add(dir);
            }
        }
        dirs.addAll(STANDARD_DIRS);
        List<Path> candidates = new ArrayList<>();
        for (String dir : dirs) {
            candidates.add(Path.of(dir, command));
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
