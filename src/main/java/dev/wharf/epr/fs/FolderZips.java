package dev.wharf.epr.fs;

import dev.wharf.epr.pkg.DirectoryPackageFiles;
import dev.wharf.epr.pkg.PackageZipWriter;
import dev.wharf.oci.Digest;
import dev.wharf.oci.ScratchFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The zips of packages kept as folders, each built once for what its folder holds and kept in a
 * private temporary folder, so a download is a file read into pooled buffers. Zipping on every request
 * cost a deflate of every byte each time: 400 clients that never read, each socket taking about
 * 2 MB before it stalls, kept both cores deflating for a minute and {@code /health} waited. A zip is
 * rebuilt when a file of its folder is added, removed, resized or touched (its key covers every
 * path, size and modification time), and the zip it replaces goes.
 */
final class FolderZips implements AutoCloseable {
    private final Map<String, Object> building = new ConcurrentHashMap<>();
    // Made for the first zip: an index of zips and OCI tags alone never needs one.
    private volatile @Nullable ScratchFolder scratch;
    private boolean closed;

    FolderZips() {
    }

    private Path dir() throws IOException {
        ScratchFolder made = scratch;
        return made != null ? made.path() : make();
    }

    private synchronized Path make() throws IOException {
        if (closed) {
            throw new IOException("the package index is closed");
        }
        ScratchFolder made = scratch;
        if (made == null) {
            try {
                made = ScratchFolder.create("wharf-package-zips-");
            } catch (UncheckedIOException e) {
                throw new IOException("cannot create a temporary folder for the zips of package folders: " + e.getMessage(), e);
            }
            scratch = made;
        }
        return made.path();
    }

    /** The zip of {@code folder} with every entry under {@code rootFolder}/, built first when the folder changed. */
    Path zipOf(Path folder, String rootFolder) throws IOException {
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(folder)) {
            Path zip = dir().resolve(rootFolder + "-" + key(files) + ".zip");
            if (Files.isRegularFile(zip)) {
                return zip;
            }
            synchronized (building.computeIfAbsent(rootFolder, k -> new Object())) {
                if (!Files.isRegularFile(zip)) {
                    build(files, rootFolder, zip);
                    removeOthers(rootFolder, zip);
                }
                return zip;
            }
        }
    }

    private void build(DirectoryPackageFiles files, String rootFolder, Path zip) throws IOException {
        Path part = Files.createTempFile(dir(), rootFolder, ".part");
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                PackageZipWriter.write(files, rootFolder, out);
            }
            try {
                Files.move(part, zip, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, zip);
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Drops the zips of earlier contents of the folder; a client still reading one keeps its mapping. */
    private void removeOthers(String rootFolder, Path kept) throws IOException {
        try (Stream<Path> zips = Files.list(dir())) {
            for (Path p : zips.filter(p -> !p.equals(kept) && isZipOf(p, rootFolder)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean isZipOf(Path p, String rootFolder) {
        String name = p.getFileName().toString();
        return name.startsWith(rootFolder + "-") && name.substring(rootFolder.length() + 1).matches("[0-9a-f]{32}\\.zip");
    }

    /** Every path of the folder with its size and modification time, hashed: a change to any gives another key. */
    private static String key(DirectoryPackageFiles files) throws IOException {
        MessageDigest hash = Digest.newSha256();
        List<String> dirs = files.directories().stream().sorted().toList();
        for (String d : dirs) {
            hash.update(("d " + d + "\n").getBytes(StandardCharsets.UTF_8));
        }
        for (String f : files.files().stream().sorted(Comparator.naturalOrder()).toList()) {
            BasicFileAttributes a = Files.readAttributes(files.root().resolve(f), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            hash.update(("f " + f + " " + a.size() + " " + a.lastModifiedTime().toInstant() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(hash.digest()).substring(0, 32);
    }

    @Override
    public synchronized void close() {
        closed = true;
        ScratchFolder made = scratch;
        if (made != null) {
            made.close();
        }
    }
}
