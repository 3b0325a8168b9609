package dev.wharf.epr.index;

import java.io.IOException;
import java.io.OutputStream;

/** Content to stream to a client: its length when known up front (-1 otherwise) and how to write it. */
public record Resource(long size, Writer writer) {
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public void writeTo(OutputStream out) throws IOException {
        writer.writeTo(out);
    }
}
