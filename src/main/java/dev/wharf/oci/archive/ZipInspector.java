package dev.wharf.oci.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.UnsupportedZipFeatureException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The one check every zip Wharf accepts goes through, before anything of it is stored or served:
 * every entry's name by {@link EntryNames}, no entry twice, no symbolic link or other special entry
 * (following a chain of links safely needs the whole tree; no package needs them), and every entry
 * inflated — streaming, counting the bytes that really come out rather than trusting the sizes the
 * zip declares — within {@link ArchiveLimits}. An entry that inflates to other than its declared
 * size is refused too, since readers size answers by the declaration.
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
        byte[] buffer = new byte[64 * 1024];
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            Enumeration<ZipArchiveEntry> entries = file.getEntries();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                String name = EntryNames.check(entry.getName());
                checkRawName(entry);
                if (!seen.add(name)) {
                    throw new ArchiveRefusedException("entry '" + EntryNames.printable(name) + "' is listed twice");
                }
                checkType(entry);
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
                } catch (UnsupportedZipFeatureException e) {
                    throw new ArchiveRefusedException("entry '" + EntryNames.printable(name) + "' cannot be read: " + e.getMessage());
                }
                if (declared >= 0 && inflated != declared) {
                    throw sizeMismatch(name, declared, String.valueOf(inflated));
                }
                files.add(name);
            }
        }
        return new ArchiveContents(files, directories, total);
    }

    /**
     * The name as stored: commons-compress turns backslashes into '/' in entries it believes DOS-made,
     * but other unpackers read the stored bytes, so those are judged too.
     */
    private static void checkRawName(ZipArchiveEntry entry) {
        byte[] raw = entry.getRawName();
        if (raw != null) {
            EntryNames.check(new String(raw, StandardCharsets.UTF_8));
        }
    }

    private static void checkType(ZipArchiveEntry entry) {
        if (entry.getPlatform() != ZipArchiveEntry.PLATFORM_UNIX) {
            return;
        }
        int type = entry.getUnixMode() & UNIX_TYPE_MASK;
        if (type == UNIX_SYMLINK) {
            throw new ArchiveRefusedException("entry '" + EntryNames.printable(entry.getName())
                    + "' is a symbolic link; archives must hold files and directories only");
        }
        if (type != 0 && type != UNIX_FILE && type != UNIX_DIRECTORY) {
            throw new ArchiveRefusedException("entry '" + EntryNames.printable(entry.getName())
                    + "' is a special file (mode " + Integer.toOctalString(entry.getUnixMode()) + "); archives must hold files and directories only");
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
