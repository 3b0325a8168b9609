package dev.wharf.oci.archive;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Whether a PAX header's records make the next entry a sparse file, read from the header's bytes before
 * commons-compress acts on them: it reads a format 1.0 sparse map from the entry's data into a list of
 * no bound as soon as it has applied the records, so the check has to come first.
 */
final class PaxSparseKeys {
    private static final String SPARSE = "GNU.sparse.";

    private PaxSparseKeys() {
    }

    /** What the records say: whether any key is a GNU.sparse one, and the path and GNU.sparse.name they give, if any. */
    record Keys(boolean sparse, @Nullable String path, @Nullable String sparseName) {
    }

    /**
     * The records' keys. Records that do not parse end the scan: commons-compress has already refused them by
     * then, as it parses them before the next header is read.
     */
    static Keys read(byte[] records) {
        boolean sparse = false;
        String path = null;
        String sparseName = null;
        int at = 0;
        while (at < records.length) {
            int space = at;
            long length = 0;
            while (space < records.length && records[space] >= '0' && records[space] <= '9' && length < records.length) {
                length = length * 10 + (records[space] - '0');
                space++;
            }
            if (space == at || space >= records.length || records[space] != ' ' || at + length > records.length || length <= space - at) {
                break;
            }
            int end = (int) (at + length);
            int equals = space + 1;
            while (equals < end && records[equals] != '=') {
                equals++;
            }
            if (equals >= end) {
                break;
            }
            String key = new String(records, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            int valueEnd = records[end - 1] == '\n' ? end - 1 : end;
            String value = new String(records, equals + 1, valueEnd - equals - 1, StandardCharsets.UTF_8);
            sparse |= key.startsWith(SPARSE);
            if (key.equals("path")) {
                path = value;
            } else if (key.equals(SPARSE + "name")) {
                sparseName = value;
            }
            at = end;
        }
        return new Keys(sparse, path, sparseName);
    }
}
