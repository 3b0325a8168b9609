package dev.wharf.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Copies a request body into a file in fixed-size chunks, counting and hashing as it goes, so a
 * body of any size costs one buffer of memory; a body past the limit stops the copy at once.
 */
public final class BodySpool {
    private static final int BUFFER = 64 * 1024;

    /** The body went beyond the limit; nothing past it was read. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(long limit) {
            super("the body exceeds the limit of " + limit + " bytes");
        }
    }

    /** A spooled body: the file, its size and its sha256 in hex. */
    public record Spooled(Path file, long size, String sha256) {
    }

    private BodySpool() {
    }

    /** Copies {@code in} to {@code target} (created; it must not exist). */
    public static Spooled spool(InputStream in, Path target, long limit) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        long size = 0;
        byte[] buffer = new byte[BUFFER];
        try (OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                size += n;
                if (size > limit) {
                    throw new TooLargeException(limit);
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return new Spooled(target, size, HexFormat.of().formatHex(digest.digest()));
    }
}
