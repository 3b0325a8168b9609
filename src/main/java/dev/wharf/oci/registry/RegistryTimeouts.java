package dev.wharf.oci.registry;

import java.time.Duration;

/**
 * How long Wharf waits for a registry, so that a registry that accepts connections but never
 * answers fails a request in seconds instead of holding it (and the client behind it) for minutes.
 *
 * @param connect     to open the TCP (and TLS) connection
 * @param response    from sending a request until the answer's headers arrive (for uploads: after
 *                    the last byte of the body was taken)
 * @param idle        the longest silence allowed inside a body, in either direction: a blob stream
 *                    that stops moving fails instead of hanging
 * @param retryBudget all attempts of one request together, waits between them included; kept
 *                    below the ~10 s a Terraform client waits for a registry API answer
 */
public record RegistryTimeouts(Duration connect, Duration response, Duration idle, Duration retryBudget) {
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_RESPONSE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(15);
    public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(8);

    public RegistryTimeouts {
        positive(connect, "connect timeout");
        positive(response, "response timeout");
        positive(idle, "idle timeout");
        positive(retryBudget, "retry budget");
    }

    public static RegistryTimeouts defaults() {
        return new RegistryTimeouts(DEFAULT_CONNECT, DEFAULT_RESPONSE, DEFAULT_IDLE, DEFAULT_RETRY_BUDGET);
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            // Said as the flags are written (0s), not as Duration prints itself (PT0S).
            String got = d == null ? "none" : d.isZero() ? "0s" : d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
            throw new IllegalArgumentException("the registry " + what + " must be greater than 0 (got " + got + ")");
        }
    }
}
