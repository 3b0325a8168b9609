package dev.wharf.terraform.upload;

import dev.wharf.oci.archive.EntryNames;
import dev.wharf.terraform.layout.ArchiveFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Archives a module directory so that the same files always give the same bytes: entries sorted by
 * path, fixed timestamps, owner and permissions (only the executable bit is kept), and never
 * {@code .git} or {@code .terraform}. Files only, no directory entries; a symbolic link inside the module
 * is archived as what it leads to, one leading out stops the upload ({@link ModuleFiles}). Every entry
 * name passes {@link EntryNames}: a file whose name the archive could only hold as a path elsewhere (a
 * backslash, a NUL) stops the upload; nothing outside the module is read.
 */
public final class ModuleArchiver {
    /** 1980-01-01, the earliest time a zip entry can hold; used for tar too so both formats agree. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private final ExcludePatterns excludes;

    public ModuleArchiver(ExcludePatterns excludes) {
        this.excludes = excludes;
    }

    /** The module's files, relative to {@code root}, with '/' separators, sorted. */
    public List<String> files(Path root) throws IOException {
        return List.copyOf(ModuleFiles.walk(root, excludes).keySet());
    }

    public void write(Path root, ArchiveFormat format, OutputStream out) throws IOException {
        SortedMap<String, Path> files = ModuleFiles.walk(root, excludes);
        if (format == ArchiveFormat.ZIP) {
            writeZip(files, out);
        } else {
            writeTarGz(files, out);
        }
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

    /** Reads the very file the walk resolved: a link put in its place since is not followed. */
    private static void copy(Path file, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(out);
        }
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
