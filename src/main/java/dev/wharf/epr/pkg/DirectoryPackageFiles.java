package dev.wharf.epr.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** An unpacked package folder ({@code packages/nginx/1.20.0/}). Symbolic links are not followed out of it. */
public final class DirectoryPackageFiles implements PackageFiles {
    private final Path root;
    private final List<String> files = new ArrayList<>();
    private final List<String> dirs = new ArrayList<>();

    public DirectoryPackageFiles(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(this.root)) {
            walk.filter(p -> !p.equals(this.root)).forEach(p -> {
                String rel = relative(p);
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(rel);
                } else if (Files.isRegularFile(p)) {
                    files.add(rel);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private String relative(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    public Path root() {
        return root;
    }

    @Override
    public List<String> files() {
        return files;
    }

    @Override
    public List<String> directories() {
        return dirs;
    }

    private @Nullable Path resolve(String path) {
        Path p = root.resolve(path).normalize();
        return p.startsWith(root) ? p : null;
    }

    @Override
    public boolean isFile(String path) {
        Path p = resolve(path);
        return p != null && Files.isRegularFile(p);
    }

    @Override
    public boolean isDirectory(String path) {
        Path p = resolve(path);
        return p != null && Files.isDirectory(p);
    }

    @Override
    public long size(String path) throws IOException {
        return Files.size(resolveExisting(path));
    }

    @Override
    public InputStream open(String path) throws IOException {
        return Files.newInputStream(resolveExisting(path));
    }

    private Path resolveExisting(String path) throws IOException {
        Path p = resolve(path);
        if (p == null || !Files.isRegularFile(p)) {
            throw new java.nio.file.NoSuchFileException(path);
        }
        return p;
    }
}
