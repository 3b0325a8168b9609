package dev.wharf.oci.layout;

import dev.wharf.oci.Digest;
import dev.wharf.oci.References;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The repositories below the root whose names start with {@code prefix}, sorted: every directory
     * holding an {@code index.json}, named back through the reserved-name mapping. A layout's own
     * {@code blobs} directory is never entered; a repository component named so is stored as
     * {@code _blobs}.
     */
    List<String> repositories(String prefix) throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return names;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (!dir.equals(root) && dir.getFileName().toString().equals("blobs")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!dir.equals(root) && Files.isRegularFile(index(dir))) {
                    String name = name(root.relativize(dir));
                    if (name.startsWith(prefix)) {
                        names.add(name);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        names.sort(null);
        return names;
    }

    private static String name(Path relative) {
        List<String> components = new ArrayList<>();
        for (Path part : relative) {
            String component = part.toString();
            components.add(component.startsWith("_") && RESERVED.contains(component.substring(1)) ? component.substring(1) : component);
        }
        return String.join("/", components);
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
