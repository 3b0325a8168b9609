package dev.wharf.epr.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Addresses on the upstream built from what a client sent, as EPR's proxy builds them with Go's
 * {@code url.URL}: a path is taken as decoded text and escaped where a URI needs it (a space, {@code #},
 * {@code ?}, {@code %}), and a query goes on as the client wrote it. Java's {@link URI} refuses some
 * bytes Go writes on as they are ({@code |}, {@code ^}, <code>{</code>, a {@code %} without two hex
 * digits after it); those are percent-encoded, which any server decodes to the same parameters. Without
 * this, {@code /search?package=a|b} in proxy mode was a 500, and {@code a%23b.md} a redirect to
 * {@code a#b.md}, another file.
 */
final class UpstreamAddresses {
    private static final String QUERY_MARKS = "-_.!~*'();/?:@&=+$,[]";

    private UpstreamAddresses() {
    }

    /** {@code path} (decoded, from {@code /}) under {@code base}. */
    static URI resolve(URI base, String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        try {
            // The constructor quotes what a path may not hold, '%' always; "./" keeps a first segment with ':' a path.
            return URI.create(base.resolve(new URI(null, null, "./" + relative, null)).toASCIIString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot write " + path + " as a path: " + e.getMessage(), e);
        }
    }

    /** {@code uri} with the client's raw query, made a valid URI query without changing what it says. */
    static URI withQuery(URI uri, @Nullable String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return uri;
        }
        return URI.create(uri + "?" + legalQuery(rawQuery));
    }

    static String legalQuery(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2])) {
                out.append('%');
            } else if (b < 0x80 && (Character.isLetterOrDigit(b) || QUERY_MARKS.indexOf(b) >= 0)) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean hex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
