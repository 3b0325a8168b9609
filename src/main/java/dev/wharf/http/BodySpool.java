package dev.wharf.http;

import dev.wharf.oci.StorageException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Copies a request body into a file in fixed-size chunks, counting and hashing as it goes, so a
 * body of any size costs one buffer of memory; a body past the limit stops the copy at once. A write
 * the disk refuses is a {@link StorageException} of kind {@code WRITE_FAILED}; a body that cannot be
 * read stays an {@link IOException}.
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

    /**
     * Why a body sent with this {@code Content-Encoding} is refused before it is read, or null for one
     * sent as it is. Nothing here decodes a body: one gzipped or otherwise coded for the transfer had
     * been stored or checked as the coded bytes (a br-coded tar.gz published as is). Answered 415 with
     * {@code Accept-Encoding: identity} (RFC 9110 §15.5.16).
     */
    public static @Nullable String codingRefusal(@Nullable String contentEncoding) {
        if (contentEncoding == null) {
            return null;
        }
        for (String coding : contentEncoding.split(",")) {
            String name = coding.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !name.equals("identity")) {
                return "the body is sent with Content-Encoding '" + contentEncoding.trim() + "', which this server does not decode:"
                        + " send it as it is, without Content-Encoding";
            }
        }
        return null;
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
        OutputStream out;
        try {
            out = create(target);
        } catch (StorageException e) {
            throw readTheRest(in, limit, e);
        }
        try (out) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                size += n;
                if (size > limit) {
                    throw new TooLargeException(limit);
                }
                digest.update(buffer, 0, n);
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw readTheRest(in, limit - size, writeFailed(target, e));
                }
            }
            // A full disk may show only when the last buffered bytes go out.
            try {
                out.flush();
            } catch (IOException e) {
                throw writeFailed(target, e);
            }
        }
        return new Spooled(target, size, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * Reads and drops what is left of a body the limit allows, then returns {@code refusal} to throw. The client is
     * still sending when the disk refuses: answered at once, the connection closed with its bytes unread, and the
     * kernel answered those with a reset that could discard the 507 before the client read it (the client saw "HTTP/1.1
     * header parser received no bytes"). The body may be this long anyway, so reading it costs no more than a stored one
     * would; a client that stops sending ends the reading as an unreadable body would.
     */
    static StorageException readTheRest(InputStream in, long allowed, StorageException refusal) {
        byte[] buffer = new byte[BUFFER];
        long left = allowed;
        try {
            for (int n = in.read(buffer); n >= 0 && left > 0; n = in.read(buffer)) {
                left -= n;
            }
        } catch (IOException e) {
            refusal.addSuppressed(e);
        }
        return refusal;
    }

    /**
     * Puts a part of a multipart body at {@code target} and returns its size. Jetty has already
     * written a part past its memory threshold to a file in the body's folder while parsing (within
     * the configured limits), so that file is moved, not copied: a 500 MB provider release took
     * 1 GB of the temporary folder, and its time, when each part was copied again.
     */
    public static long keep(Part part, Path target) {
        try {
            part.write(target.toAbsolutePath().toString());
            return Files.size(target);
        } catch (IOException e) {
            throw writeFailed(target, e);
        }
    }

    private static OutputStream create(Path target) {
        try {
            return Files.newOutputStream(target, StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw writeFailed(target, e);
        }
    }

    /**
     * A write of the server's own that failed, told apart from a body that could not be read: the
     * client is not at fault, and is answered 507, not as if its upload had broken off.
     */
    private static StorageException writeFailed(Path target, IOException e) {
        return StorageException.writeFailed("the body to " + target.getParent(), e);
    }
}
