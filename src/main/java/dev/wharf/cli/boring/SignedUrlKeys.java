package dev.wharf.cli.boring;

import dev.wharf.terraform.web.FileUrlSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The signer of file URLs from {@code --signed-url-key}. A URL signed by one replica is checked by
 * whichever replica the load balancer picks, so the key must be the same on all of them; without
 * one each process draws its own, which is only safe for a single process.
 */
final class SignedUrlKeys {
    private SignedUrlKeys() {
    }

    /** Signs with {@code key} (random when none) and accepts {@code alsoAccepted} as well; a key under 16 bytes is refused. */
    static FileUrlSigner signer(@Nullable String key, List<String> alsoAccepted, Duration ttl) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            // A signed URL lives whole seconds: shorter, every URL handed out would be dead before terraform asked for it.
            throw new IllegalArgumentException("--signed-url-ttl: " + ttl.toMillis() + " ms is too short for a URL to outlive its"
                    + " answer; give at least 1s (default 5m)");
        }
        List<byte[]> accepted = alsoAccepted.stream().map(String::strip).filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        if (accepted.stream().anyMatch(k -> k.length < 16)) {
            throw new IllegalArgumentException("--signed-url-accepted-keys: each key must be at least 16 bytes, as --signed-url-key");
        }
        if (key == null || key.isEmpty()) {
            if (!accepted.isEmpty()) {
                throw new IllegalArgumentException("--signed-url-accepted-keys needs --signed-url-key: a random key cannot be rotated");
            }
            return FileUrlSigner.withRandomKey(ttl);
        }
        return new FileUrlSigner(key.getBytes(StandardCharsets.UTF_8), accepted, ttl, Clock.systemUTC());
    }

    /** Said once at start when signed URLs are in use (tokens or OIDC) and no key is shared. */
    static void warnIfPerProcess(@Nullable String key, boolean authEnabled, Logger log) {
        if (authEnabled && (key == null || key.isEmpty())) {
            log.warn("signed file URLs: no --signed-url-key (BORING_REGISTRY_SIGNED_URL_KEY) given, so this process signs with a random key;"
                    + " replicas behind one load balancer will refuse each other's URLs (403): give them all the same key");
        }
    }
}
