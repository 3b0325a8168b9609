package dev.wharf.epr.pkg;

import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.RootedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An unpacked package folder ({@code packages/nginx/1.20.0/}). A link is never followed out of it:
 * a link leading out is not a file of the package, and {@link #checkSafety} refuses the package that
 * holds one (or a file whose name a zip could not hold as it is); every read resolves the path as the
 * operating system does and reads it only when it lies inside the folder.
 */
public final class DirectoryPackageFiles implements PackageFiles {
    private final Path root;
    private final List<String> files = new ArrayList<>();
    private final List<String> dirs = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    public DirectoryPackageFiles(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(this.root)) {
            walk.filter(p -> !p.equals(this.root)).forEach(this::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void add(Path p) {
        String rel;
        try {
            rel = RootedFiles.entryName(root, p);
        } catch (ArchiveRefusedException e) {
            problems.add(e.getMessage());
            return;
        }
        if (RootedFiles.leaves(root, p)) {
            problems.add("'" + rel + "' is a symbolic link leading out of the package folder; Wharf never follows a link out of a package");
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            dirs.add(rel);
        } else if (Files.isRegularFile(p)) {
            files.add(rel);
        }
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

    @Override
    public boolean isFile(String path) {
        return RootedFiles.resolve(root, path).isPresent();
    }

    @Override
    public boolean isDirectory(String path) {
        return dirs.contains(path);
    }

    @Override
    public long size(String path) throws IOException {
        return Files.size(resolveExisting(path));
    }

    @Override
    public InputStream open(String path) throws IOException {
        return Files.newInputStream(resolveExisting(path));
    }

    @Override
    public void checkSafety(ArchiveLimits limits) throws InvalidPackageException, IOException {
        if (!problems.isEmpty()) {
            throw new InvalidPackageException(problems.get(0));
        }
        long total = 0;
        for (String f : files) {
            total += size(f);
            if (total > limits.maxUncompressedBytes()) {
                throw new InvalidPackageException("the package folder holds more than " + limits.maxUncompressedBytes()
                        + " bytes, the uncompressed size limit");
            }
        }
    }

    private Path resolveExisting(String path) throws IOException {
        Optional<Path> p = RootedFiles.resolve(root, path);
        if (p.isEmpty()) {
            throw new NoSuchFileException(path);
        }
        return p.get();
    }
}
