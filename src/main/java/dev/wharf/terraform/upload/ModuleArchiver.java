package dev.wharf.terraform.upload;

import dev.wharf.oci.archive.EntryNames;
import dev.wharf.oci.archive.RootedFiles;
import dev.wharf.terraform.layout.ArchiveFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Archives a module directory so that the same files always give the same bytes: entries sorted by
 * path, fixed timestamps, owner and permissions (only the executable bit is kept), and never
 * {@code .git} or {@code .terraform}. Files only, no directory entries; symbolic links are left out,
 * never followed. Every entry name passes {@link EntryNames}: a file whose name the archive could only
 * hold as a path elsewhere (a backslash, a NUL) stops the upload; nothing outside the module is read.
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
        return List.copyOf(walk(root).keySet());
    }

    public void write(Path root, ArchiveFormat format, OutputStream out) throws IOException {
        SortedMap<String, Path> files = walk(root);
        if (format == ArchiveFormat.ZIP) {
            writeZip(files, out);
        } else {
            writeTarGz(files, out);
        }
    }

    /**
     * Every regular file of the module by entry name. Links are not followed (a link is not a regular
     * file to the walk), and a name the archive could not hold as it is stops the upload, naming the file.
     */
    private SortedMap<String, Path> walk(Path root) throws IOException {
        SortedMap<String, Path> files = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = joined(root, dir);
                if (ALWAYS_EXCLUDED.contains(dir.getFileName().toString()) || excludes.excludes(rel, true)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !excludes.excludes(joined(root, file), false)) {
                    files.put(RootedFiles.entryName(root, file), file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static void writeTarGz(SortedMap<String, Path> files, OutputStream out) throws IOException {
        GzipParameters gzip = new GzipParameters();
        gzip.setModificationTime(0);
        gzip.setOperatingSystem(255);
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(nonClosing(out), gzip);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Date time = Date.from(FIXED_TIME.atZone(ZoneId.of("UTC")).toInstant());
            for (Map.Entry<String, Path> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(EntryNames.check(file.getKey()));
                entry.setSize(Files.size(file.getValue()));
                entry.setModTime(time);
                entry.setUserId(0);
                entry.setGroupId(0);
                entry.setUserName("");
                entry.setGroupName("");
                entry.setMode(Files.isExecutable(file.getValue()) ? 0100755 : 0100644);
                tar.putArchiveEntry(entry);
                copy(file.getValue(), tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private static void writeZip(SortedMap<String, Path> files, OutputStream out) throws IOException {
        // DOS times are local times: convert in the local zone so every zone writes 1980-01-01 00:00.
        long time = FIXED_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(nonClosing(out))) {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(EntryNames.check(file.getKey()));
                entry.setTime(time);
                entry.setUnixMode(Files.isExecutable(file.getValue()) ? 0100755 : 0100644);
                zip.putArchiveEntry(entry);
                copy(file.getValue(), zip);
                zip.closeArchiveEntry();
            }
            zip.finish();
        }
    }

    /** Reads the very file the walk found: a link put in its place since is not followed. */
    private static void copy(Path file, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(out);
        }
    }

    /** The path's elements joined by '/', as exclusion patterns see them. */
    private static String joined(Path root, Path path) {
        StringBuilder out = new StringBuilder();
        for (Path element : root.relativize(path)) {
            out.append(out.length() == 0 ? "" : "/").append(element);
        }
        return out.toString();
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
