package dev.wharf.terraform.upload;

import dev.wharf.oci.IoFailures;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.EntryNames;
import dev.wharf.oci.archive.Gzip;
import dev.wharf.oci.archive.InflationLimit;
import dev.wharf.oci.archive.NotATarException;
import dev.wharf.oci.archive.SparseFileException;
import dev.wharf.oci.archive.TarReader;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.layout.ArchiveFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The check every module archive gets before it is stored, whoever wrote it ({@code upload module},
 * {@code import}, a {@code PUT} over HTTP): it must read to its end as its format, hold at least one
 * file, and name no entry that terraform would unpack outside its module directory (absolute, or
 * with {@code ..}), nor a link, device, FIFO or sparse file; and it may inflate no further than {@link ArchiveLimits#DEFAULT} allows
 * for its size, a tar.gz as a zip.
 */
public final class ModuleArchiveCheck {
    private ModuleArchiveCheck() {
    }

    public static void check(Path archive, ArchiveFormat format) {
        check(archive, format, archive.toString());
    }

    /** As above, the archive called {@code name} in errors (a request body has no path worth showing). */
    public static void check(Path archive, ArchiveFormat format, String name) {
        int files = format == ArchiveFormat.ZIP ? zipEntries(archive, name) : tarEntries(archive, name);
        if (files == 0) {
            throw new UploadException(name + " holds no files");
        }
    }

    private static final String NOT_A_TAR = "what its gzip holds is not a tar archive";

    private static int tarEntries(Path archive, String name) {
        int files = 0;
        int entries = 0;
        boolean headers;
        // Counted as it inflates, as a zip's entries are: reading a tar to its end inflates every entry,
        // so a small gzip of a huge run of zeros would otherwise cost minutes of CPU per publish.
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
             TarReader tar = new TarReader(new InflationLimit(Gzip.allMembers(in),
                     ArchiveLimits.DEFAULT.allowedFor(Files.size(archive)), "(the compression ratio limit is "
                     + ArchiveLimits.DEFAULT.maxRatio() + " times its own size, the uncompressed size limit "
                     + ArchiveLimits.DEFAULT.maxUncompressedBytes() + " bytes)"))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries++;
                checkName(name, entry.getName());
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw new UploadException(name + " holds a link '" + EntryNames.printable(entry.getName()) + "'; module archives hold files only");
                }
                String special = special(entry);
                if (special != null) {
                    throw new UploadException(name + " holds " + special + " '" + EntryNames.printable(entry.getName())
                            + "'; module archives hold files only");
                }
                if (entry.isFile()) {
                    files++;
                }
            }
            headers = tar.headerRead();
        } catch (SparseFileException e) {
            throw new UploadException(name + " holds a sparse file '" + EntryNames.printable(e.entry()) + "'; module archives hold files only");
        } catch (NotATarException e) {
            throw new UploadException(name + " is not a readable tar.gz: " + NOT_A_TAR);
        } catch (ArchiveRefusedException e) {
            throw new UploadException(name + " is refused: " + e.getMessage());
        } catch (IOException e) {
            throw new UploadException(name + " is not a readable tar.gz: " + IoFailures.describe(e));
        }
        if (entries == 0 && !headers && !startsWithEndOfArchive(archive, name)) {
            throw new UploadException(name + " is not a readable tar.gz: " + NOT_A_TAR);
        }
        return files;
    }

    /**
     * A device or FIFO entry, named for the refusal. A zip's are refused by {@link ZipInspector}; a tar's
     * were taken for files (commons-compress counts every type but a directory as one), though no module
     * needs them, and terraform's unpacker reads them otherwise: Go's tar reader gives them no data whatever
     * their size field says, where commons-compress reads that many bytes as their data, so what terraform
     * took for the next entry (a header in those bytes) was never seen by this check.
     */
    private static @Nullable String special(TarArchiveEntry entry) {
        if (entry.isCharacterDevice()) {
            return "a character device";
        }
        if (entry.isBlockDevice()) {
            return "a block device";
        }
        return entry.isFIFO() ? "a FIFO (named pipe)" : null;
    }

    /**
     * Whether the gzip's content begins with a zeroed record, the end-of-archive mark an empty tar is
     * made of. The tar reader takes content shorter than one record for an end too, so gzipped text
     * would otherwise pass as an archive that merely holds no files. Only the first record is read:
     * a gzip of endless zeros is not inflated further.
     */
    private static boolean startsWithEndOfArchive(Path archive, String name) {
        try (InputStream in = Gzip.allMembers(new BufferedInputStream(Files.newInputStream(archive)))) {
            byte[] record = in.readNBytes(512);
            if (record.length < 512) {
                return false;
            }
            for (byte b : record) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UploadException(name + " is not a readable tar.gz: " + IoFailures.describe(e));
        }
    }

    /**
     * Names first, for the message a tar gets too; then the check every zip Wharf accepts goes through
     * ({@link ZipInspector}): no link or other special entry (go-getter writes a link out as a file holding
     * its target), no entry twice, nothing that inflates past its declared size or the limits.
     */
    private static int zipEntries(Path archive, String name) {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            List<String> listed = new ArrayList<>();
            while (entries.hasMoreElements()) {
                String entry = entries.nextElement().getName();
                checkName(name, entry);
                listed.add(entry);
            }
            int files = new ZipInspector(ArchiveLimits.DEFAULT).inspect(archive).files().size();
            sameAsStreamed(archive, name, listed);
            return files;
        } catch (ArchiveRefusedException e) {
            throw new UploadException(name + " is refused: " + e.getMessage());
        } catch (IOException e) {
            throw new UploadException(name + " is not a readable zip: " + IoFailures.describe(e));
        }
    }

    /**
     * The registry's pages read a module zip as it streams by, entry after entry by their local
     * headers (the module's README and documentation), while terraform unpacks the entries its
     * central directory lists. An entry only the local headers hold (bytes put before the zip, which
     * readers of the directory skip), or one named otherwise there, would be shown as the module's
     * though terraform never unpacks it; so both readings must give the same names in the same order
     * (every zip writer writes its directory in the order of its entries). Each name is compared
     * before its entry is passed over, so an entry the directory does not list is never inflated.
     */
    private static void sameAsStreamed(Path archive, String name, List<String> listed) {
        int read = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
             ZipArchiveInputStream zip = new ZipArchiveInputStream(in, "UTF-8", true, true)) {
            for (ZipArchiveEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (read >= listed.size() || !listed.get(read).equals(entry.getName())) {
                    throw new UploadException(name + " is refused: its local headers hold the entry '" + EntryNames.printable(entry.getName())
                            + "' where its central directory lists " + (read < listed.size() ? "'" + EntryNames.printable(listed.get(read)) + "'"
                                    : "no more") + "; the registry's pages read the one, terraform unpacks the other");
                }
                read++;
            }
        } catch (IOException e) {
            throw new UploadException(name + " is refused: its entries cannot be read one after the other by their local headers, "
                    + "as the registry's pages read them: " + IoFailures.describe(e));
        }
        if (read < listed.size()) {
            throw new UploadException(name + " is refused: its local headers end after " + read + " of the " + listed.size()
                    + " entries its central directory lists");
        }
    }

    private static void checkName(String archive, String entryName) {
        String n = entryName.replace('\\', '/');
        boolean escapes = n.startsWith("/") || n.matches("^[A-Za-z]:.*");
        for (String part : n.split("/")) {
            escapes |= part.equals("..");
        }
        if (escapes) {
            throw new UploadException(archive + " holds the entry '" + EntryNames.printable(entryName) + "', which would be unpacked outside the module");
        }
    }
}
