package dev.wharf.cli.boring;

import dev.wharf.http.ServerLimits;
import dev.wharf.http.TrustedProxies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code server}'s limits of the registry's HTTP listener: idle connections, how many, and which proxies to believe. */
public final class HttpOptions {
    @Option(names = "--http-idle-timeout", defaultValue = "30s", converter = Durations.class,
            description = "Close a connection on which no byte moved for this long, a stalled download included"
                    + " (BORING_REGISTRY_HTTP_IDLE_TIMEOUT; default ${DEFAULT-VALUE})")
    @SuppressWarnings("NullAway.Init")
    Duration httpIdleTimeout;

    @Option(names = "--http-trust-forwarded",
            description = "Take the scheme, host and port clients used from X-Forwarded-Proto, -Host and -Port: behind a"
                    + " TLS-terminating proxy or ingress that sets them, for the UI's OIDC redirect and Secure cookies"
                    + " (BORING_REGISTRY_HTTP_TRUST_FORWARDED)")
    boolean httpTrustForwarded;

    @Option(names = "--http-trusted-proxies", split = ",", paramLabel = "CIDR",
            description = "Addresses and CIDR ranges of the proxies in front, whose X-Forwarded-For names the client: the"
                    + " access log and the publish audit then show the client's address, not the proxy's; with"
                    + " --http-trust-forwarded, only these may set the scheme and host (BORING_REGISTRY_HTTP_TRUSTED_PROXIES)")
    List<String> httpTrustedProxies = new ArrayList<>();

    @Option(names = "--http-hsts", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Answer requests that came over TLS (this server's, or a trusted proxy's X-Forwarded-Proto) with"
                    + " Strict-Transport-Security: max-age=31536000; =false leaves it to a proxy in front, or to a host name"
                    + " that also serves plain http on another port (BORING_REGISTRY_HTTP_HSTS; default ${DEFAULT-VALUE})")
    boolean httpHsts = true;

    @Option(names = "--http-max-connections", defaultValue = "" + ServerLimits.DEFAULT_MAX_CONNECTIONS,
            description = "Open client connections at most; further ones wait until one closes"
                    + " (BORING_REGISTRY_HTTP_MAX_CONNECTIONS; default ${DEFAULT-VALUE})")
    int httpMaxConnections;

    /** The listener's limits; a bad value is a ParameterException of {@code commandLine}, before anything is opened. */
    ServerLimits limits(CommandLine commandLine) {
        try {
            return new ServerLimits(httpIdleTimeout, httpMaxConnections, httpTrustForwarded, trustedProxies(commandLine), httpHsts);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--http-idle-timeout / --http-max-connections: " + e.getMessage());
        }
    }

    private TrustedProxies trustedProxies(CommandLine commandLine) {
        try {
            return TrustedProxies.of(httpTrustedProxies);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--http-trusted-proxies: " + e.getMessage());
        }
    }
}
