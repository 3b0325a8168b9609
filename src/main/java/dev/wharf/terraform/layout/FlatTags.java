package dev.wharf.terraform.layout;

import dev.wharf.oci.References;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The flat layout's mapping from a nested (repository, tag) pair to one tag of the base
 * repository, and back. With {@code path} the repository below the base
 * ({@code modules/acme/vpc/aws}):
 * <ul>
 *   <li>{@code path} with every {@code /} written {@code ..}, then {@code ._}, then the tag:
 *       {@code modules..acme..vpc..aws._acme-vpc-aws-1.0.0};</li>
 *   <li>when that is longer than 128 characters: the encoded path, {@code .-} and 32 hex digits of the
 *       SHA-256 of {@code path:tag};</li>
 *   <li>when even the path is too long for that: {@code _} and 32 hex digits of the same hash.</li>
 * </ul>
 * Repository components are lower-case letters and digits joined by {@code .}, {@code _}, {@code __} or
 * {@code -}, so {@code ..}, {@code ._} and {@code .-} never occur inside an encoded path, and a path
 * never starts with {@code _}: the first {@code ._} or {@code .-} ends the path, and decoding is exact.
 * Hashed tags are decoded from the {@link #REFERENCE_ANNOTATION} every flat manifest carries.
 */
public final class FlatTags {
    /** On every manifest stored flat: {@code path:tag}, the nested pair the tag stands for. */
    public static final String REFERENCE_ANNOTATION = "dev.wharf.terraform.flat.reference";
    static final int HASH_DIGITS = 32;
    private static final String SLASH = "..";
    private static final String PLAIN = "._";
    private static final String HASHED = ".-";
    private static final String ALL_HASHED = "_";
    /** A nested tag of any length: the flat layout hashes what would not fit. */
    private static final Pattern LOGICAL_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    private final String base;

    public FlatTags(String base) {
        this.base = References.requireRepository(base);
    }

    public String base() {
        return base;
    }

    /** What a stored tag says of itself. */
    public sealed interface Decoded {
        /** The pair, read from the tag alone. */
        record Plain(String repository, String tag) implements Decoded {
        }

        /** A hashed tag of {@code repository}; its own tag is in the manifest's annotation. */
        record HashedIn(String repository) implements Decoded {
        }

        /** A hashed tag of an unknown repository (the path was too long to keep). */
        record Hashed() implements Decoded {
        }
    }

    /** The tag of the base repository that stands for {@code tag} of the nested {@code repository}. */
    public String encode(String repository, String tag) {
        if (!LOGICAL_TAG.matcher(tag).matches()) {
            throw new LayoutException("'" + tag + "' cannot be part of an OCI tag: letters, digits, '_', '.' and '-' only");
        }
        String path = encodedPath(repository);
        String plain = path + PLAIN + tag;
        if (plain.length() <= TagEncoding.MAX_TAG_LENGTH) {
            return plain;
        }
        String hash = hash(relative(repository) + ":" + tag);
        String hashed = path + HASHED + hash;
        return hashed.length() <= TagEncoding.MAX_TAG_LENGTH ? hashed : ALL_HASHED + hash;
    }

    /** Whether {@link #encode} can give a tag of {@code repository} without a hash: true for every short path. */
    public boolean pathKept(String repository) {
        return encodedPath(repository).length() + HASHED.length() + HASH_DIGITS <= TagEncoding.MAX_TAG_LENGTH;
    }

    /** The tag prefix every plain tag of {@code repository} starts with. */
    public String plainPrefix(String repository) {
        return encodedPath(repository) + PLAIN;
    }

    /** What {@code stored} stands for, or empty for a tag that is not of the flat layout. */
    public Optional<Decoded> decode(String stored) {
        if (stored.startsWith(ALL_HASHED)) {
            return stored.length() == ALL_HASHED.length() + HASH_DIGITS ? Optional.of(new Decoded.Hashed()) : Optional.empty();
        }
        int end = boundary(stored);
        if (end <= 0) {
            return Optional.empty();
        }
        String repository = base + "/" + stored.substring(0, end).replace(SLASH, "/");
        try {
            References.requireRepository(repository);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String rest = stored.substring(end + 2);
        if (stored.startsWith(PLAIN, end)) {
            return rest.isEmpty() ? Optional.empty() : Optional.of(new Decoded.Plain(repository, rest));
        }
        return Optional.of(new Decoded.HashedIn(repository));
    }

    /** The annotation value for the pair. */
    public String reference(String repository, String tag) {
        return relative(repository) + ":" + tag;
    }

    /** The pair an annotation value names, or empty when it is not one. */
    public Optional<Decoded.Plain> fromReference(String reference) {
        int colon = reference == null ? -1 : reference.lastIndexOf(':');
        if (colon <= 0 || colon == reference.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Decoded.Plain(base + "/" + reference.substring(0, colon), reference.substring(colon + 1)));
    }

    private static int boundary(String stored) {
        for (int i = stored.indexOf('.'); i >= 0 && i + 1 < stored.length(); i = stored.indexOf('.', i + 1)) {
            char next = stored.charAt(i + 1);
            if (next == '_' || next == '-') {
                return i;
            }
            if (next == '.') {
                i++;
            }
        }
        return -1;
    }

    private String encodedPath(String repository) {
        return relative(repository).replace("/", SLASH);
    }

    private String relative(String repository) {
        References.requireRepository(repository);
        if (!repository.startsWith(base + "/")) {
            throw new LayoutException("repository '" + repository + "' is not below '" + base + "', the flat layout's repository");
        }
        return repository.substring(base.length() + 1);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
