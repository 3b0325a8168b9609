package dev.wharf.http.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
 * {@code --auth-tokens-file}: the YAML list of named, hashed, scoped tokens. The file is looked at
 * (its size, time and identity) on every check and read again when it changed, so an edit — a new
 * token, a revoked one — takes effect at the next request without a restart. A broken edit is
 * logged once and the last good list stays in force: a typo must not lock every publisher out.
 */
public final class TokensFile {
    private static final Logger LOG = LoggerFactory.getLogger(TokensFile.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** What a presented token turned out to be. */
    public sealed interface Check permits Unknown, Expired, Valid {
    }

    public record Unknown() implements Check {
    }

    public record Expired(String name, Instant at) implements Check {
    }

    public record Valid(Caller caller) implements Check {
    }

    private record Snapshot(List<TokenEntry> entries, @Nullable Object fileKey, long size, long modified) {
    }

    private final Path path;
    private final Clock clock;
    private volatile Snapshot snapshot;

    /** Reads the file now: a missing or broken file fails start-up with the reason. */
    public TokensFile(Path path, Clock clock) {
        this.path = path;
        this.clock = clock;
        this.snapshot = load();
    }

    public Path path() {
        return path;
    }

    public int size() {
        return current().entries().size();
    }

    /** Which entry, if any, the token is; every entry is compared, in constant time, whatever matched first. */
    public Check check(String token) {
        byte[] presented = TokenHash.digest(token);
        TokenEntry found = null;
        for (TokenEntry entry : current().entries()) {
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
        if (Objects.equals(attributes.fileKey(), seen.fileKey()) && attributes.size() == seen.size()
                && attributes.lastModifiedTime().toMillis() == seen.modified()) {
            return seen;
        }
        synchronized (this) {
            try {
                snapshot = load();
                LOG.info("tokens file {} re-read: {} tokens", path, snapshot.entries().size());
            } catch (IllegalArgumentException e) {
                // Remember the broken version's stamp so the error is logged once, not per request.
                snapshot = new Snapshot(seen.entries(), attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
                LOG.error("tokens file {} changed but cannot be used, the previous {} tokens stay in force: {}", path,
                        seen.entries().size(), e.getMessage());
            }
            return snapshot;
        }
    }

    private Snapshot load() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            JsonNode root = YAML.readTree(Files.readAllBytes(path));
            return new Snapshot(parse(root), attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (IOException e) {
            throw new IllegalArgumentException("--auth-tokens-file " + path + ": cannot read it: " + IoFailures.describe(e));
        }
    }

    private List<TokenEntry> parse(@Nullable JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        JsonNode list = root.path("tokens");
        if (!root.isObject() || !(list.isArray() || list.isMissingNode() || list.isNull())) {
            throw new IllegalArgumentException(where() + "expected a mapping with a 'tokens:' list");
        }
        List<TokenEntry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode item : list) {
            index++;
            String at = where() + "entry " + index + ": ";
            String name = item.path("name").asText("").trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException(at + "needs a name");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(at + "the name '" + name + "' is used twice");
            }
            byte[] hash;
            try {
                hash = TokenHash.parse(item.path("hash").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + "(" + name + ") " + e.getMessage());
            }
            List<Scope> scopes = new ArrayList<>();
            JsonNode scopeNodes = item.path("scopes");
            if (!scopeNodes.isArray() || scopeNodes.isEmpty()) {
                throw new IllegalArgumentException(at + "(" + name + ") needs a list of scopes, e.g. [\"publish:acme/*\"]");
            }
            for (JsonNode s : scopeNodes) {
                try {
                    scopes.add(Scope.parse(s.asText("")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at + "(" + name + ") " + e.getMessage());
                }
            }
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

    private String where() {
        return "--auth-tokens-file " + path + ": ";
    }
}
