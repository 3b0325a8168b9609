package dev.wharf.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code org.opencontainers.image.*} annotations Wharf puts on the manifests it writes. The
 * creation time comes from the input, never the clock, so the same input gives the same digest:
 * {@code SOURCE_DATE_EPOCH} when set (the reproducible-builds convention), else the newest
 * modification time among the input files, in whole seconds.
 */
public final class StandardAnnotations {
    public static final String TITLE = "org.opencontainers.image.title";
    public static final String VERSION = "org.opencontainers.image.version";
    public static final String CREATED = "org.opencontainers.image.created";
    public static final String SOURCE = "org.opencontainers.image.source";
    public static final String DESCRIPTION = "org.opencontainers.image.description";

    private StandardAnnotations() {
    }

    public static Map<String, String> of(String title, String version, Instant created) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(TITLE, title);
        annotations.put(VERSION, version);
        annotations.put(CREATED, created.truncatedTo(ChronoUnit.SECONDS).toString());
        return annotations;
    }

    /** The creation time of an artifact made from {@code inputs} (files, or folders whose files count). */
    public static Instant created(Collection<Path> inputs) {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && !epoch.isBlank()) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(epoch.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SOURCE_DATE_EPOCH must be a number of seconds, not '" + epoch + "'", e);
            }
        }
        Instant newest = Instant.EPOCH;
        try {
            for (Path input : inputs) {
                if (!Files.exists(input)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(input)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        Instant modified = Files.getLastModifiedTime(file).toInstant();
                        if (modified.isAfter(newest)) {
                            newest = modified;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the modification times of " + inputs, e);
        }
        return newest.truncatedTo(ChronoUnit.SECONDS);
    }
}
