package dev.wharf.http.oidc;

import dev.wharf.http.TrustedCertificates;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The one HTTP client that asks the OIDC issuers (the sign-in issuer and the trusted publishers'),
 * made on first use: building a client loads the JDK's trust store, which a server that never sees an
 * issuer's token should not pay for at start. An issuer behind a private CA (GitLab self-managed, a
 * Kubernetes cluster's service account issuer) is reached by trusting that CA's certificates from a
 * PEM file beside the JDK's; the file is read now, so a wrong path fails the start, and again when
 * it changes, so a rotated CA needs no restart.
 */
public final class IssuerClient implements Supplier<HttpClient> {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final @Nullable SSLContext trust;
    private volatile @Nullable HttpClient client;

    private IssuerClient(@Nullable SSLContext trust) {
        this.trust = trust;
    }

    /** With the JDK's trust alone when {@code caFile} is empty; a file that cannot be read or holds no certificate is an IllegalArgumentException. */
    public static IssuerClient trusting(Optional<Path> caFile) {
        return new IssuerClient(caFile.map(file -> TrustedCertificates.withExtra(List.of(file))).orElse(null));
    }

    @Override
    public HttpClient get() {
        HttpClient made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
                    if (trust != null) {
                        builder.sslContext(trust);
                    }
                    made = builder.build();
                    client = made;
                }
            }
        }
        return made;
    }
}
