package dev.wharf.oci;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An OCI content descriptor: what a manifest says about one blob. {@code data} is image-spec 1.1's
 * embedded copy of the blob (base64), which spares a reader the round trip for small content.
 */
public record Descriptor(@Nullable String mediaType, Digest digest, long size, Map<String, String> annotations,
        @Nullable String data) {
    public static final String TITLE = "org.opencontainers.image.title";

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Descriptor(@Nullable String mediaType, Digest digest, long size, Map<String, String> annotations) {
        this(mediaType, digest, size, annotations, null);
    }

    /** A descriptor of {@code content} that embeds it. */
    public static Descriptor embedding(String mediaType, byte[] content) {
        return new Descriptor(mediaType, Digest.sha256(content), content.length, Map.of(), Base64.getEncoder().encodeToString(content));
    }

    /** The file name the blob was pushed under ({@code org.opencontainers.image.title}), if any. */
    public Optional<String> title() {
        return Optional.ofNullable(annotations.get(TITLE));
    }

    /**
     * The embedded content, when there is some and it matches the size and digest: the spec asks
     * readers to verify it, and a manifest's digest does not vouch for a blob another tool embedded
     * wrongly. Empty otherwise, and the reader fetches the blob.
     */
    public Optional<byte[]> embedded() {
        if (data == null) {
            return Optional.empty();
        }
        byte[] content;
        try {
            content = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (content.length != size) {
            return Optional.empty();
        }
        byte[] actual = digest.newMessageDigest().digest(content);
        return MessageDigest.isEqual(actual, HexFormat.of().parseHex(digest.hex())) ? Optional.of(content) : Optional.empty();
    }
}
