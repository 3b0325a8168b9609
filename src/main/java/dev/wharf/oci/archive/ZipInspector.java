package dev.wharf.oci.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The one check every zip Wharf accepts goes through, before anything of it is stored or served:
 * every entry's name by {@link EntryNames}, no entry twice, no symbolic link or other special entry
 * (following a chain of links safely needs the whole tree; no package needs them), and every entry
 * inflated — streaming, counting the bytes that really come out rather than trusting the sizes the
 * zip declares — within {@link ArchiveLimits}. An entry that inflates to other than its declared
 * size is refused too, since readers size answers by the declaration. Names that are not UTF-8 and
 * compression methods other than stored and deflated make the zip unreadable ({@link java.util.zip.ZipException}).
 */
public final class ZipInspector {
    private static final int UNIX_TYPE_MASK = 0170000;
    private static final int UNIX_SYMLINK = 0120000;
    private static final int UNIX_FILE = 0100000;
    private static final int UNIX_DIRECTORY = 0040000;

    private final ArchiveLimits limits;

    public ZipInspector(ArchiveLimits limits) {
        this.limits = limits;
    }

    public ArchiveLimits limits() {
        return limits;
    }

    /** Inspects {@code zip}; throws {@link ArchiveRefusedException} naming the first problem. */
    public ArchiveContents inspect(Path zip) throws IOException {
        long archiveBytes = Files.size(zip);
        long allowed = limits.allowedFor(archiveBytes);
        List<String> files = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long total = 0;
        long entries = 0;
        // Only counted, never kept: a quarter of the 64 KB it was, one such array per zip inspected.
        byte[] buffer = new byte[16 * 1024];
        // java.util.zip reads what it inflates (its central directory is parsed by code the JVM has warm
        // from reading its own class path); the types it does not expose come from CentralDirectory.
        long recorded = CentralDirectory.read(zip, ZipInspector::checkRecord);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> all = file.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                entries++;
                String name = EntryNames.check(entry.getName());
                if (!seen.add(name)) {
                    throw new ArchiveRefusedException("entry '" + EntryNames.printable(name) + "' is listed twice");
                }
                if (entry.isDirectory()) {
                    directories.add(name);
                    continue;
                }
                long declared = entry.getSize();
                long inflated = 0;
                try (InputStream in = file.getInputStream(entry)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        inflated += n;
                        total += n;
                        if (total > allowed) {
                            throw tooBig(name, archiveBytes, allowed);
                        }
                        if (declared >= 0 && inflated > declared) {
                            throw sizeMismatch(name, declared, "more");
                        }
                    }
                }
                if (declared >= 0 && inflated != declared) {
                    throw sizeMismatch(name, declared, String.valueOf(inflated));
                }
                files.add(name);
            }
        }
        if (entries != recorded) {
            // Two readings of one directory that disagree: an unpacker could see entries this check did not.
            throw new ArchiveRefusedException("the zip's central directory is ambiguous: " + recorded + " entries by its records, "
                    + entries + " as read");
        }
        return new ArchiveContents(files, directories, total);
    }

    /**
     * Judges each record as other unpackers will read it: its stored name (java.util.zip refuses a
     * name that is not UTF-8 when it opens the zip), and its Unix file type.
     */
    private static void checkRecord(CentralDirectory.Record record) {
        EntryNames.check(record.name());
        int type = record.unixMode() & UNIX_TYPE_MASK;
        if (type == UNIX_SYMLINK) {
            throw new ArchiveRefusedException("entry '" + EntryNames.printable(record.name())
                    + "' is a symbolic link; archives must hold files and directories only");
        }
        if (type != 0 && type != UNIX_FILE && type != UNIX_DIRECTORY) {
            throw new ArchiveRefusedException("entry '" + EntryNames.printable(record.name())
                    + "' is a special file (mode " + Integer.toOctalString(record.unixMode()) + "); archives must hold files and directories only");
        }
    }

    private static ArchiveRefusedException sizeMismatch(String name, long declared, String inflated) {
        return new ArchiveRefusedException("entry '" + EntryNames.printable(name) + "' declares " + declared
                + " bytes but inflates to " + inflated + "; its sizes lie");
    }

    private ArchiveRefusedException tooBig(String name, long archiveBytes, long allowed) {
        boolean byRatio = allowed < limits.maxUncompressedBytes();
        return new ArchiveRefusedException("the archive inflates to more than " + allowed + " bytes (reached at entry '"
                + EntryNames.printable(name) + "'): " + (byRatio
                        ? "more than " + limits.maxRatio() + " times its own " + archiveBytes + " bytes, the compression ratio limit"
                        : "more than the uncompressed size limit"));
    }
}
