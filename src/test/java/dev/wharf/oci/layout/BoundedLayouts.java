package dev.wharf.oci.layout;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/**
 * Embedded layouts whose repositories hold a few tags at most, for tests outside this package that need a
 * repository at its bound: the real bound is 500 000 entries, which no test writes.
 */
public final class BoundedLayouts {
    private BoundedLayouts() {
    }

    /** A layout in {@code root} whose repositories each keep at most {@code tags} tags (and the usual 128 MiB). */
    public static ImageLayoutStore holdingAtMost(Path root, int tags) {
        return new ImageLayoutStore(root, new ObjectMapper(), new LayoutIndex.Bounds(LayoutIndex.MAX_BYTES, tags));
    }
}
