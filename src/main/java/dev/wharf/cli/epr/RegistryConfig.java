package dev.wharf.cli.epr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.cli.GoDuration;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.model.Json;
import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** EPR's {@code config.yml}: {@code package_paths} and {@code cache_time.*} (Go durations such as {@code 10m}). */
record RegistryConfig(List<Path> packagePaths, Duration index, Duration search, Duration categories, Duration catchAll) {

    static RegistryConfig defaults() {
        return new RegistryConfig(List.of(Path.of("packages")), Duration.ofSeconds(10), Duration.ofMinutes(10),
                Duration.ofMinutes(10), Duration.ofMinutes(10));
    }

    /** Reads the file; a missing file is an error only when the user named it. */
    static RegistryConfig load(Path file, boolean explicit) throws IOException {
        // An empty name is the working folder to Path, and no file to EPR.
        if (file.toString().isBlank() || !Files.exists(file)) {
            if (explicit) {
                throw new IOException("Configuration file is not available: " + (file.toString().isBlank() ? "-config is empty" : file));
            }
            return defaults();
        }
        if (Files.isDirectory(file)) {
            throw new IOException("reading config failed (path: " + file + "): it is a folder, not a file");
        }
        JsonNode root;
        try {
            root = Json.yaml().readTree(file.toFile());
        } catch (IOException e) {
            // EPR's words, with the parser's reason (its line and column).
            throw new IOException("reading config failed (path: " + file + "): " + IoFailures.describe(e), e);
        }
        RegistryConfig d = defaults();
        if (root == null || root.isNull()) {
            return d;
        }
        List<Path> paths = d.packagePaths();
        JsonNode p = root.get("package_paths");
        if (p != null && !p.isNull()) {
            if (p.isContainerNode() && !p.isArray()) {
                throw new IOException("reading config failed (path: " + file + "): package_paths must be a list of folders, not a mapping");
            }
            // go-ucfg, which EPR reads its config with, takes a single value for a list of one: the
            // scalar had been ignored and ./packages served instead of the folder it named.
            paths = new ArrayList<>();
            for (JsonNode e : p.isArray() ? p : List.of(p)) {
                // Read as text, an empty value or a nested list or mapping names the config's own folder:
                // that folder would be served, or indexed in vain, in place of the one meant.
                if (e.isContainerNode() || e.isNull() || e.asText().isBlank()) {
                    throw new IOException("reading config failed (path: " + file + "): package_paths entry " + (paths.size() + 1)
                            + " names no folder (" + (e.isContainerNode() ? "a " + (e.isArray() ? "list" : "mapping") : "empty") + ")");
                }
                Path path = Path.of(e.asText());
                paths.add(path.isAbsolute() ? path : Objects.requireNonNull(file.toAbsolutePath().getParent()).resolve(path).normalize());
            }
        }
        JsonNode cache = root.get("cache_time");
        return new RegistryConfig(paths,
                duration(root, cache, "index", d.index()), duration(root, cache, "search", d.search()),
                duration(root, cache, "categories", d.categories()), duration(root, cache, "catch_all", d.catchAll()));
    }

    private static Duration duration(JsonNode root, JsonNode cache, String key, Duration fallback) throws IOException {
        JsonNode v = cache != null && cache.has(key) ? cache.get(key) : root.get("cache_time." + key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        Duration d;
        try {
            d = parseDuration(v.asText());
        } catch (IOException e) {
            throw new IOException("cache_time." + key + ": " + e.getMessage(), e);
        }
        if (d.isZero() || d.isNegative()) {
            throw new IOException("cache_time." + key + " must be greater than 0s");
        }
        return d;
    }

    /** Go's {@code time.ParseDuration}: {@code 10s}, {@code 1.5m}, {@code 1h30m}, {@code 250ms}. */
    static Duration parseDuration(String text) throws IOException {
        try {
            return GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid duration \"" + text + "\" (write it as Go does: 10s, 1.5m, 1h30m)", e);
        }
    }

    ApiSettings apiSettings(boolean allowUnknown) {
        return new ApiSettings(index, search, categories, catchAll, allowUnknown);
    }
}
