package dev.wharf.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Node tools installed from the npm registry with Debian's {@code npm}, into a folder kept between
 * runs (under target/, or {@code $WHARF_TEST_CACHE}), so only the first run downloads. npm's
 * {@code node} package brings the Node version a tool needs, whatever Node Debian has. Where the
 * npm registry cannot be reached and nothing is installed yet, the test is skipped, saying so;
 * a missing {@code npm} is {@link RequiredTool}'s (a failure under CI).
 */
public final class NpmTools {
    private static final long INSTALL_MINUTES = 10;

    private final Path folder;

    private NpmTools(Path folder) {
        this.folder = folder;
    }

    /** {@code packages} (npm specs such as {@code renovate@44}) installed in {@code name}'s folder, installing them when missing. */
    public static NpmTools install(String name, List<String> packages, List<String> commands) throws IOException, InterruptedException {
        Path npm = RequiredTool.require("npm", "npm");
        String cache = System.getenv("WHARF_TEST_CACHE");
        Path folder = (cache == null || cache.isBlank() ? Path.of("target") : Path.of(cache)).resolve("npm-tools").resolve(name).toAbsolutePath();
        NpmTools tools = new NpmTools(folder);
        if (commands.stream().allMatch(c -> Files.isExecutable(tools.bin(c))) && Files.isRegularFile(folder.resolve("installed-" + name))
                && Files.readString(folder.resolve("installed-" + name)).equals(String.join(" ", packages))) {
            return tools;
        }
        Files.createDirectories(folder);
        Path log = folder.resolve("npm-install.log");
        List<String> command = new ArrayList<>(List.of(npm.toString(), "install", "--no-audit", "--no-fund", "--loglevel=error",
                "--prefix", folder.toString()));
        command.addAll(packages);
        Process install = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!install.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
            install.destroyForcibly();
            throw new AssertionError("npm install " + packages + " took longer than " + INSTALL_MINUTES + " minutes; see " + log);
        }
        String output = Files.readString(log);
        if (install.exitValue() != 0) {
            if (unreachable(output)) {
                throw new TestAbortedException("the npm registry cannot be reached, so " + packages + " cannot be installed: " + firstLine(output));
            }
            throw new AssertionError("npm install " + packages + " failed (exit " + install.exitValue() + "):\n" + output);
        }
        for (String c : commands) {
            if (!Files.isExecutable(tools.bin(c))) {
                throw new AssertionError("npm install " + packages + " left no " + tools.bin(c));
            }
        }
        Files.writeString(folder.resolve("installed-" + name), String.join(" ", packages));
        return tools;
    }

    /** An installed command ({@code node_modules/.bin/NAME}). */
    public Path bin(String command) {
        return folder.resolve("node_modules").resolve(".bin").resolve(command);
    }

    /** A PATH with the installed commands first, so their {@code #!/usr/bin/env node} finds the installed Node. */
    public String path() {
        return folder.resolve("node_modules").resolve(".bin") + java.io.File.pathSeparator + System.getenv().getOrDefault("PATH", "");
    }

    private static boolean unreachable(String output) {
        return List.of("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH", "network request")
                .stream().anyMatch(output::contains);
    }

    private static String firstLine(String output) {
        return output.lines().filter(l -> !l.isBlank()).findFirst().orElse("(npm said nothing)");
    }
}
