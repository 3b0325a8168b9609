package dev.wharf.cli.boring;

import dev.wharf.terraform.web.FileUrlSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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

    static FileUrlSigner signer(@Nullable String key, Duration ttl) {
        return key == null || key.isEmpty() ? FileUrlSigner.withRandomKey(ttl)
                : new FileUrlSigner(key.getBytes(StandardCharsets.UTF_8), ttl, Clock.systemUTC());
    }

    /** Said once at start when signed URLs are in use (tokens or OIDC) and no key is shared. */
    static void warnIfPerProcess(@Nullable String key, boolean authEnabled, Logger log) {
        if (authEnabled && (key == null || key.isEmpty())) {
            log.warn("signed file URLs: no --signed-url-key (BORING_REGISTRY_SIGNED_URL_KEY) given, so this process signs with a random key;"
                    + " replicas behind one load balancer will refuse each other's URLs (403): give them all the same key");
        }
    }
}
