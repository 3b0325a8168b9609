package dev.wharf.oci.archive;

import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.jspecify.annotations.Nullable;

/**
 * What the headers before an entry (PAX 'x', GNU long name 'L'; a global 'g' is an entry of its own to Go's reader) say of it, gathered as their data
 * goes by and settled at the entry's own header: whether it is a sparse file, and the name it goes by,
 * which is the full name a refusal must give rather than the header's 100-byte name field.
 */
final class PendingHeaders {
    private static final int NAME_LENGTH = 100;
    private static final int PREFIX_AT = 345;
    private static final int PREFIX_LENGTH = 155;
    private static final int MAGIC_AT = 257;

    private boolean sparse;
    private @Nullable String path;
    private @Nullable String sparseName;
    private @Nullable String longName;

    /** The data of a header of {@code type} that describes the entry after it, as commons-compress read it. */
    void add(byte type, byte[] data) {
        if (type == TarConstants.LF_GNUTYPE_LONGNAME) {
            int end = 0;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            longName = new String(data, 0, end, StandardCharsets.UTF_8);
            return;
        }
        PaxSparseKeys.Keys keys = PaxSparseKeys.read(data);
        sparse |= keys.sparse();
        if (keys.sparseName() != null) {
            sparseName = keys.sparseName();
        }
        if (keys.path() != null) {
            path = keys.path();
        }
    }

    /**
     * The name of the sparse file this entry header (with what came before it) describes, or null when it is
     * none; the headers gathered so far are dropped, as they describe this entry alone. The name is Go's
     * reader's: GNU.sparse.name, else the GNU long name, else the PAX path, else the ustar prefix and name.
     */
    @Nullable String sparseEntry(byte[] record, byte type) {
        boolean isSparse = sparse || type == TarConstants.LF_GNUTYPE_SPARSE;
        String name = firstOf(sparseName, longName, path);
        sparse = false;
        path = null;
        sparseName = null;
        longName = null;
        if (!isSparse) {
            return null;
        }
        return name != null ? name : headerName(record);
    }

    private static @Nullable String firstOf(@Nullable String... names) {
        for (String name : names) {
            if (name != null && !name.isEmpty()) {
                return name;
            }
        }
        return null;
    }

    /** The name field, after the prefix field of a ustar header (an old GNU one has none), as both readers join them. */
    private static String headerName(byte[] record) {
        String name = TarUtils.parseName(record, 0, NAME_LENGTH);
        boolean ustar = record[MAGIC_AT] == 'u' && record[MAGIC_AT + 5] == 0;
        String prefix = ustar ? TarUtils.parseName(record, PREFIX_AT, PREFIX_LENGTH) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }
}
