package dev.wharf.oci.archive;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.jspecify.annotations.Nullable;

/**
 * A tar.gz or zip read entry after entry as it streams by, for pages that take a few files from a
 * stored archive, and inflating no further than {@code maxInflatedBytes} whichever entries are read.
 * A tar.gz is counted as its gzip inflates. A zip inflates entry by entry inside its reader, which
 * passes over an entry it is not asked for by inflating the rest of it, uncounted: so every entry is
 * read to its end through the limit before the next one, and the reader has nothing left to pass over.
 */
public final class StreamedArchive implements Closeable {
    private final ArchiveInputStream<? extends ArchiveEntry> entries;
    private final InputStream data;
    private boolean started;

    private StreamedArchive(ArchiveInputStream<? extends ArchiveEntry> entries, InputStream data) {
        this.entries = entries;
        this.data = data;
    }

    /** {@code before} ends the refusal's message, naming what was being read ("before its README"). */
    public static StreamedArchive open(InputStream archive, boolean zip, long maxInflatedBytes, String before) throws IOException {
        InputStream buffered = new BufferedInputStream(archive);
        if (zip) {
            ZipArchiveInputStream entries = new ZipArchiveInputStream(buffered, "UTF-8", true, true);
            return new StreamedArchive(entries, new InflationLimit(entries, maxInflatedBytes, before));
        }
        TarReader entries = new TarReader(new InflationLimit(Gzip.allMembers(buffered), maxInflatedBytes, before));
        return new StreamedArchive(entries, entries);
    }

    /** The next entry, once what is left of the current one has been read through the limit; null at the end. */
    public @Nullable ArchiveEntry next() throws IOException {
        if (started) {
            data.transferTo(OutputStream.nullOutputStream());
        }
        started = true;
        return entries.getNextEntry();
    }

    /** The current entry's bytes, counted against the limit. */
    public InputStream data() {
        return data;
    }

    @Override
    public void close() throws IOException {
        entries.close();
    }
}
