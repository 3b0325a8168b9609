package dev.wharf.terraform.upload;

import dev.wharf.terraform.layout.ArchiveFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Archives a module directory so that the same files always give the same bytes: entries sorted by
 * path, fixed timestamps, owner and permissions (only the executable bit is kept), and never
 * {@code .git} or {@code .terraform}. Files only, no directory entries; symbolic links are left out.
 */
public final class ModuleArchiver {
    private static final Set<String> ALWAYS_EXCLUDED = Set.of(".git", ".terraform");
    /** 1980-01-01, the earliest time a zip entry can hold; used for tar too so both formats agree. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final ExcludePatterns excludes;

    public ModuleArchiver(ExcludePatterns excludes) {
        this.excludes = excludes;
    }

    /** The module's files, relative to {@code root}, with '/' separators, sorted. */
    public List<String> files(Path root) throws IOException {
        List<String> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = relative(root, dir);
                if (ALWAYS_EXCLUDED.contains(dir.getFileName().toString()) || excludes.excludes(rel, true)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = relative(root, file);
                if (attrs.isRegularFile() && !excludes.excludes(rel, false)) {
                    files.add(rel);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        return files;
    }

    public void write(Path root, ArchiveFormat format, OutputStream out) throws IOException {
        List<String> files = files(root);
        if (format == ArchiveFormat.ZIP) {
            writeZip(root, files, out);
        } else {
            writeTarGz(root, files, out);
        }
    }

    private static void writeTarGz(Path root, List<String> files, OutputStream out) throws IOException {
        GzipParameters gzip = new GzipParameters();
        gzip.setModificationTime(0);
        gzip.setOperatingSystem(255);
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(nonClosing(out), gzip);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Date time = Date.from(FIXED_TIME.atZone(ZoneId.of("UTC")).toInstant());
            for (String name : files) {
                Path file = root.resolve(name);
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(Files.size(file));
                entry.setModTime(time);
                entry.setUserId(0);
                entry.setGroupId(0);
                entry.setUserName("");
                entry.setGroupName("");
                entry.setMode(Files.isExecutable(file) ? 0100755 : 0100644);
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private static void writeZip(Path root, List<String> files, OutputStream out) throws IOException {
        // DOS times are local times: convert in the local zone so every zone writes 1980-01-01 00:00.
        long time = FIXED_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(nonClosing(out))) {
            for (String name : files) {
                Path file = root.resolve(name);
                ZipArchiveEntry entry = new ZipArchiveEntry(name);
                entry.setTime(time);
                entry.setUnixMode(Files.isExecutable(file) ? 0100755 : 0100644);
                zip.putArchiveEntry(entry);
                Files.copy(file, zip);
                zip.closeArchiveEntry();
            }
            zip.finish();
        }
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
