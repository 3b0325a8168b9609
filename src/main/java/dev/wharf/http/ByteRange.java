package dev.wharf.http;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code Range} header asks of a body of a known length (RFC 9110 §14): the whole body, one
 * part of it, or nothing it has.
 *
 * <p>The rules where the RFC lets a server choose (§14.2): a header that does not parse, names
 * another unit or asks for several ranges is ignored and the whole body sent. Go's
 * {@code http.ServeContent}, which EPR serves its files with, answers several ranges with a multipart
 * body and a header it cannot parse with 416; the whole body serves every client that resumes or
 * fetches one part. An {@code If-Range} asks for the part only when it is this body's strong entity
 * tag, or its {@code Last-Modified} exactly as the answer gives it (§13.1.5); a weak or other tag, or
 * another date, asks for the whole body.
 */
public sealed interface ByteRange {
    /** The whole body, as without the header. */
    record Whole() implements ByteRange {
    }

    /** Bytes {@code first} to {@code last}, both included, of a body of {@code size} bytes. */
    record Part(long first, long last, long size) implements ByteRange {
        public long length() {
            return last - first + 1;
        }

        public String contentRange() {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /** No byte of the range is in the body: 416, with the body's length. */
    record Unsatisfiable(long size) implements ByteRange {
        public String contentRange() {
            return "bytes */" + size;
        }
    }

    /**
     * @param range the request's {@code Range}
     * @param ifRange the request's {@code If-Range}
     * @param entityTag the body's {@code ETag}, if it has one
     * @param lastModified the body's {@code Last-Modified}, if it has one
     */
    static ByteRange asked(@Nullable String range, @Nullable String ifRange, @Nullable String entityTag, @Nullable String lastModified,
            long size) {
        if (range == null || size < 0) {
            return new Whole();
        }
        if (ifRange != null && !validates(ifRange.trim(), entityTag, lastModified)) {
            return new Whole();
        }
        String spec = range.trim();
        if (!spec.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return new Whole();
        }
        String set = spec.substring("bytes=".length()).trim();
        if (set.contains(",")) {
            return new Whole();
        }
        int dash = set.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String from = set.substring(0, dash).trim();
        String to = set.substring(dash + 1).trim();
        if (from.isEmpty()) {
            long suffix = number(to);
            if (suffix < 0) {
                return new Whole();
            }
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable(size);
            }
            return new Part(Math.max(0, size - suffix), size - 1, size);
        }
        long first = number(from);
        long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
        if (first < 0 || last < 0 || last < first) {
            return new Whole();
        }
        if (first >= size) {
            return new Unsatisfiable(size);
        }
        return new Part(first, Math.min(last, size - 1), size);
    }

    private static boolean validates(String ifRange, @Nullable String entityTag, @Nullable String lastModified) {
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return entityTag != null && !entityTag.startsWith("W/") && ifRange.equals(entityTag);
        }
        return lastModified != null && ifRange.equals(lastModified);
    }

    /** A run of digits as a number, one too large for a long as the largest; -1 for anything else. */
    private static long number(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
