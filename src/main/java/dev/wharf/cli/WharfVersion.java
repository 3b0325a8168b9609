package dev.wharf.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The version and git revision written into the classes at build time (wharf-version.properties,
 * wharf-revision.txt), not the jar manifest: the container image has classes but no manifest.
 */
public record WharfVersion(String version, String revision) {
    private static final String UNKNOWN = "unknown";

    public static WharfVersion current() {
        Properties properties = new Properties();
        String revision = UNKNOWN;
        try (InputStream in = WharfVersion.class.getResourceAsStream("wharf-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream in = WharfVersion.class.getResourceAsStream("wharf-revision.txt")) {
            if (in != null) {
                revision = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("version", "development build");
        return new WharfVersion(version, revision.isEmpty() ? UNKNOWN : revision);
    }

    /** One line: {@code boring-registry (Wharf) 0.1.0 (git 1a2b3c4d5e6f), Java 21.0.2}. */
    public String line(String program) {
        return program + " (Wharf) " + version + " (git " + revision + "), Java " + Runtime.version();
    }
}
