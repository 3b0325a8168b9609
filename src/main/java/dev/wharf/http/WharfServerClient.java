package dev.wharf.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The client that {@code upload --server} and {@code push -server} reach a Wharf server with. A
 * server inside a company is often served with a certificate of the company's own CA, which a CI
 * runner's JVM does not trust: the CA's PEM file is added to the JVM's trust then.
 */
public final class WharfServerClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private WharfServerClient() {
    }

    /** Refuses a CA file for a plain-http server, and one that cannot be read, naming {@code caFlag} (IllegalArgumentException). */
    public static HttpClient to(URI server, Optional<Path> caFile, String caFlag) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (caFile.isPresent()) {
            if (!"https".equalsIgnoreCase(server.getScheme())) {
                throw new IllegalArgumentException(caFlag + " is for an https:// server, not " + server);
            }
            try {
                builder.sslContext(TrustedCertificates.withExtra(List.of(caFile.get())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(caFlag + ": " + e.getMessage(), e);
            }
        }
        return builder.build();
    }
}
