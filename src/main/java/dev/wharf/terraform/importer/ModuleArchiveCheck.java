package dev.wharf.terraform.importer;

import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.upload.UploadException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The archive check an imported module gets, since unlike {@code upload module} the import did not
 * write the archive itself: it must read to its end as its format, hold at least one file, and name
 * no entry that terraform would unpack outside its module directory (absolute, or with {@code ..}).
 */
final class ModuleArchiveCheck {
    private ModuleArchiveCheck() {
    }

    static void check(Path archive, ArchiveFormat format) {
        int files = format == ArchiveFormat.ZIP ? zipEntries(archive) : tarEntries(archive);
        if (files == 0) {
            throw new UploadException(archive + " holds no files");
        }
    }

    private static int tarEntries(Path archive) {
        int files = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                checkName(archive, entry.getName());
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new UploadException(archive + " holds a link '" + entry.getName() + "'; module archives hold files only");
                }
                if (entry.isFile()) {
                    files++;
                }
            }
        } catch (IOException e) {
            throw new UploadException(archive + " is not a readable tar.gz: " + e.getMessage());
        }
        return files;
    }

    private static int zipEntries(Path archive) {
        int files = 0;
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                checkName(archive, entry.getName());
                if (!entry.isDirectory()) {
                    files++;
                }
            }
        } catch (IOException e) {
            throw new UploadException(archive + " is not a readable zip: " + e.getMessage());
        }
        return files;
    }

    private static void checkName(Path archive, String name) {
        String n = name.replace('\\', '/');
        boolean escapes = n.startsWith("/") || n.matches("^[A-Za-z]:.*");
        for (String part : n.split("/")) {
            escapes |= part.equals("..");
        }
        if (escapes) {
            throw new UploadException(archive + " holds the entry '" + name + "', which would be unpacked outside the module");
        }
    }
}
