package dev.wharf.oci.layout;

import dev.wharf.oci.Digest;
import dev.wharf.oci.References;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where a repository's image layout lives below the root: {@code a/b/c} is the directory
 * {@code root/a/b/c}. A nested repository whose path component would collide with the layout's own
 * entries ({@code blobs}, {@code index.json}, {@code oci-layout}) is stored as {@code _blobs} and so
 * on: no OCI name component can start with '_', so the mapping is reversible.
 */
final class LayoutPaths {
    private static final Set<String> RESERVED = Set.of("blobs", "index.json", "oci-layout");

    private final Path root;

    LayoutPaths(Path root) {
        this.root = root;
    }

    Path layout(String repository) {
        References.requireRepository(repository);
        Path dir = root;
        for (String component : repository.split("/")) {
            dir = dir.resolve(RESERVED.contains(component) ? "_" + component : component);
        }
        return dir;
    }

    static Path index(Path layout) {
        return layout.resolve("index.json");
    }

    static Path blob(Path layout, Digest digest) {
        return layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    static Path lockFile(Path layout) {
        return layout.resolve(".wharf.lock");
    }
}
