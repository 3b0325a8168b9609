package dev.wharf.epr.pkg;

import dev.wharf.oci.archive.EntryNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a package as EPR's archiver does: every file under one {@code {name}-{version}/} folder,
 * directories first-class, in a stable order so the same folder always gives the same bytes. Every
 * entry name passes the shared rule ({@link EntryNames}) as it is written.
 */
public final class PackageZipWriter {
    private static final FileTime EPOCH = FileTime.fromMillis(315532800000L);

    private PackageZipWriter() {
    }

    public static void write(PackageFiles files, String rootFolder, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(new NonClosing(out));
        List<String> dirs = files.directories().stream().sorted().toList();
        putDirectory(zip, rootFolder + "/");
        for (String d : dirs) {
            putDirectory(zip, rootFolder + "/" + d + "/");
        }
        for (String f : PackageAssets.inOrder(files.files())) {
            ZipEntry e = new ZipEntry(EntryNames.check(rootFolder + "/" + f));
            e.setLastModifiedTime(EPOCH);
            zip.putNextEntry(e);
            try (InputStream in = files.open(f)) {
                in.transferTo(zip);
            }
            zip.closeEntry();
        }
        zip.finish();
    }

    private static void putDirectory(ZipOutputStream zip, String name) throws IOException {
        ZipEntry e = new ZipEntry(EntryNames.check(name));
        e.setLastModifiedTime(EPOCH);
        zip.putNextEntry(e);
        zip.closeEntry();
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
