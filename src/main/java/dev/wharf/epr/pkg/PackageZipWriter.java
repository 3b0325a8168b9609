package dev.wharf.epr.pkg;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a package as EPR's archiver does ({@link PackageZipChunks}) into a stream. */
public final class PackageZipWriter {
    private PackageZipWriter() {
    }

    /** Leaves {@code files} open, as the caller that opened them closes them. */
    public static void write(PackageFiles files, String rootFolder, OutputStream out) throws IOException {
        PackageZipChunks.borrowing(files, rootFolder).drainTo(chunk -> out.write(chunk.array(), chunk.arrayOffset() + chunk.position(),
                chunk.remaining()));
    }
}
