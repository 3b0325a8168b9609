package dev.wharf.epr.upstream;

import java.net.URI;
import java.time.Duration;

/**
 * Where the upstream registry is and how long to wait for it. {@link #epr(URI)} gives EPR 1.40's
 * proxy client: 10 s per try, four retries waiting 1 s doubling up to 15 s.
 *
 * @param requestTimeout one try, from sending the request to the end of a JSON answer (for a zip:
 *                       to its headers; the body then streams as long as bytes keep coming)
 */
public record UpstreamSettings(URI base, Duration connectTimeout, Duration requestTimeout, int retries,
                               Duration retryWaitMin, Duration retryWaitMax) {
    public UpstreamSettings {
        String text = base.toString();
        if (!text.endsWith("/")) {
            base = URI.create(text + "/");
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("the upstream must be an http:// or https:// URL, not " + text);
        }
    }

    public static UpstreamSettings epr(URI base) {
        return new UpstreamSettings(base, Duration.ofSeconds(10), Duration.ofSeconds(10), 4, Duration.ofSeconds(1), Duration.ofSeconds(15));
    }

    public UpstreamSettings withRetries(int count, Duration waitMin, Duration waitMax) {
        return new UpstreamSettings(base, connectTimeout, requestTimeout, count, waitMin, waitMax);
    }
}
