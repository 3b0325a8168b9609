package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A base image made from Debian's packages alone, for tests that build Wharf's image where no public
 * registry is reachable: a bookworm root with {@code openjdk-17-jre-headless} made by
 * {@code mmdebstrap}, imported by podman and kept as an OCI image layout (tag {@value #TAG}). Making
 * it takes minutes, so it is kept in {@code $WHARF_TEST_CACHE} (default {@code ~/.cache/wharf-tests})
 * and made once per machine; a lock keeps two test JVMs from making it together.
 */
public final class DebianJreBase {
    /** The feature release of the base's Java, which is also its tag. */
    public static final String JAVA_RELEASE = "17";
    public static final String TAG = JAVA_RELEASE;
    private static final String JRE_PACKAGE = "openjdk-" + JAVA_RELEASE + "-jre-headless";
    private static final String NAME = "debian-bookworm-" + JRE_PACKAGE;

    private DebianJreBase() {
    }

    /** The OCI image layout folder holding the base under {@link #TAG}, made first when missing. */
    public static Path layout(Podman podman) {
        Path cache = cacheDir();
        Path layout = cache.resolve(NAME);
        try {
            Files.createDirectories(cache);
            try (FileChannel lockFile = FileChannel.open(cache.resolve(NAME + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = lockFile.lock();
                try {
                    if (!Files.isRegularFile(layout.resolve("index.json"))) {
                        make(podman, cache, layout);
                    }
                } finally {
                    lock.release();
                }
            }
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Debian base image in " + cache, e);
        }
    }

    private static void make(Podman podman, Path cache, Path layout) throws IOException {
        Path mmdebstrap = RequiredTool.require("mmdebstrap", "mmdebstrap");
        Path work = Files.createDirectories(cache.resolve("making-" + UUID.randomUUID()));
        String local = "localhost/wharf-test-base:" + UUID.randomUUID();
        try {
            Path rootfs = work.resolve("rootfs.tar");
            Podman.Result made = podman.exec(List.of(mmdebstrap.toString(), "--variant=apt", "--include=" + JRE_PACKAGE,
                    "bookworm", rootfs.toString()), Duration.ofMinutes(15));
            if (!made.ok()) {
                throw new AssertionError("mmdebstrap could not make the base image's root (it needs Debian's mirror):\n" + made.output());
            }
            // An imported root has no configuration; the JRE's `java` is found on PATH.
            podman.ok(Duration.ofMinutes(5), "import", "--change", "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    rootfs.toString(), local);
            Path staged = work.resolve("layout");
            podman.ok(Duration.ofMinutes(5), "push", local, "oci:" + staged + ":" + TAG);
            Files.move(staged, layout, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            podman.run(Duration.ofMinutes(1), "rmi", "--force", local);
            deleteTree(work);
        }
    }

    private static Path cacheDir() {
        String configured = System.getenv("WHARF_TEST_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "wharf-tests");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
