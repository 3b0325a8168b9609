package dev.wharf.http.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.wharf.http.oidc.IssuerClient;
import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --auth-tokens-file}: the YAML list of named, hashed, scoped tokens, and of the trusted
 * publishers whose CI OIDC tokens publish without a stored secret ({@link TrustedPublisher}). The
 * file is looked at (its size, time and identity) on every check and read again when it changed, so
 * an edit — a new token, a revoked one — takes effect at the next request without a restart. A
 * broken edit is logged once and the last good list stays in force: a typo must not lock every
 * publisher out.
 */
public final class TokensFile {
    private static final Logger LOG = LoggerFactory.getLogger(TokensFile.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** What a presented token turned out to be. */
    public sealed interface Check permits Unknown, Expired, Valid, Refused {
    }

    public record Unknown() implements Check {
    }

    public record Expired(String name, Instant at) implements Check {
    }

    public record Valid(Caller caller) implements Check {
    }

    /**
     * A trusted publisher's issuer made the token, but it lets nobody in: why, in words fit for the client; its
     * subject when its signature held, so that the audit can name the pipeline that tried; and whether it was
     * refused unchecked, because the issuer could not be reached (a valid token is refused then too).
     */
    public record Refused(String why, Optional<String> subject, boolean unchecked) implements Check {
    }

    private record Snapshot(List<TokenEntry> entries, List<TrustedPublisher> publishers, @Nullable Object fileKey, long size,
                            long modified) {
    }

    private final Path path;
    private final Clock clock;
    private final TrustedPublishers publishers;
    private volatile Snapshot snapshot;

    /** Reads the file now: a missing or broken file fails start-up with the reason. */
    public TokensFile(Path path, Clock clock, TrustedPublishers publishers) {
        this.path = path;
        this.clock = clock;
        this.publishers = publishers;
        this.snapshot = load();
    }

    /** A file whose {@code publishers:}, if any, reach their issuers with a client of the JDK's defaults. */
    public TokensFile(Path path, Clock clock) {
        this(path, clock, new TrustedPublishers(IssuerClient.trusting(Optional.empty()), clock));
    }

    public Path path() {
        return path;
    }

    public int size() {
        return current().entries().size();
    }

    /**
     * Which entry, if any, the token is: one of the tokens, else a trusted publisher's CI token. The
     * latter may wait on the publisher's issuer (its keys, fetched once); {@link #check} never does.
     */
    public Check identify(String token) {
        Snapshot file = current();
        Check check = check(token, file);
        return check instanceof Unknown && !file.publishers().isEmpty() ? publishers.check(token, file.publishers()) : check;
    }

    /** Which of the tokens, if any, the token is; every entry is compared, in constant time, whatever matched first. */
    public Check check(String token) {
        return check(token, current());
    }

    private Check check(String token, Snapshot file) {
        byte[] presented = TokenHash.digest(token);
        TokenEntry found = null;
        for (TokenEntry entry : file.entries()) {
            if (MessageDigest.isEqual(entry.hash(), presented)) {
                found = entry;
            }
        }
        if (found == null) {
            return new Unknown();
        }
        if (found.expiredAt(clock.instant())) {
            return new Expired(found.name(), found.expires().orElseThrow());
        }
        return new Valid(new Caller(found.name(), found.scopes()));
    }

    private Snapshot current() {
        Snapshot seen = snapshot;
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return seen; // Mid-rename by an editor, or gone: keep what we had.
        }
        if (stamped(seen, attributes)) {
            return seen;
        }
        synchronized (this) {
            // Every request that saw the change waits here: the first reads the file, the others take what it read
            // (each read it again, logging the re-read or the error once per request).
            Snapshot now = snapshot;
            if (now != seen && stamped(now, attributes)) {
                return now;
            }
            try {
                snapshot = load();
                LOG.info("tokens file {} re-read: {} tokens, {} trusted publishers", path, snapshot.entries().size(),
                        snapshot.publishers().size());
            } catch (IllegalArgumentException e) {
                // Remember the broken version's stamp so the error is logged once, not per request.
                snapshot = new Snapshot(seen.entries(), seen.publishers(), attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
                LOG.error("tokens file {} changed but cannot be used, the previous {} tokens stay in force: {}", path,
                        seen.entries().size(), e.getMessage());
            }
            return snapshot;
        }
    }

    private static boolean stamped(Snapshot snapshot, BasicFileAttributes attributes) {
        return Objects.equals(attributes.fileKey(), snapshot.fileKey()) && attributes.size() == snapshot.size()
                && attributes.lastModifiedTime().toMillis() == snapshot.modified();
    }

    private Snapshot load() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            JsonNode root = YAML.readTree(Files.readAllBytes(path));
            Set<String> names = new HashSet<>();
            return new Snapshot(parse(root, names), parsePublishers(root, names), attributes.fileKey(), attributes.size(),
                    attributes.lastModifiedTime().toMillis());
        } catch (IOException e) {
            throw new IllegalArgumentException("--auth-tokens-file " + path + ": cannot read it: " + IoFailures.describe(e));
        }
    }

    private List<TokenEntry> parse(@Nullable JsonNode root, Set<String> names) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        JsonNode list = root.path("tokens");
        if (!root.isObject() || !(list.isArray() || list.isMissingNode() || list.isNull())) {
            throw new IllegalArgumentException(where() + "expected a mapping with a 'tokens:' list");
        }
        onlyKeys(root, where(), List.of("tokens", "publishers"));
        List<TokenEntry> entries = new ArrayList<>();
        int index = 0;
        for (JsonNode item : list) {
            index++;
            String at = where() + "entry " + index + ": ";
            String name = name(item, at, names);
            onlyKeys(item, at + "(" + name + ") ", List.of("name", "hash", "scopes", "expires"));
            byte[] hash;
            try {
                hash = TokenHash.parse(item.path("hash").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + "(" + name + ") " + e.getMessage());
            }
            List<Scope> scopes = TokenEntry.scopes(item.path("scopes"), at + "(" + name + ") ");
            Optional<Instant> expires = Optional.empty();
            JsonNode expiry = item.path("expires");
            if (!expiry.isMissingNode() && !expiry.isNull()) {
                try {
                    expires = Optional.of(Instant.parse(expiry.asText().trim()));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(at + "(" + name + ") expires must be an RFC 3339 UTC time such as 2027-01-31T00:00:00Z");
                }
            }
            entries.add(new TokenEntry(name, hash, scopes, expires));
        }
        return List.copyOf(entries);
    }

    private List<TrustedPublisher> parsePublishers(@Nullable JsonNode root, Set<String> names) {
        JsonNode list = root == null ? null : root.path("publishers");
        if (list == null || list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(where() + "'publishers:' must be a list");
        }
        List<TrustedPublisher> publishers = new ArrayList<>();
        int index = 0;
        for (JsonNode item : list) {
            index++;
            String at = where() + "publisher " + index + ": ";
            String name = name(item, at, names);
            onlyKeys(item, at + "(" + name + ") ", List.of("name", "issuer", "audience", "claims", "scopes"));
            publishers.add(TrustedPublisher.parse(item, at, name));
        }
        return List.copyOf(publishers);
    }

    /**
     * A key this file does not know is refused, not skipped: a misspelt {@code expire:} would leave
     * a token that never expires, and {@code tokns:} a file that grants nothing, both silently.
     */
    private static void onlyKeys(JsonNode node, String at, List<String> known) {
        for (java.util.Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(at + "unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /** An entry's name: the audit's word for whoever uses it, so one per entry, tokens and publishers alike. */
    private static String name(JsonNode item, String at, Set<String> names) {
        String name = item.path("name").asText("").trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException(at + "needs a name");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException(at + "the name '" + name + "' is used twice");
        }
        return name;
    }

    private String where() {
        return "--auth-tokens-file " + path + ": ";
    }
}
