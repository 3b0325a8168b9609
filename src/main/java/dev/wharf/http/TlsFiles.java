package dev.wharf.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A PEM certificate chain and its private key, the lowest TLS version to accept ("1.2", "1.3"), and
 * how often the files are looked at for a renewal ({@link CertificateReload}).
 */
public record TlsFiles(Path certFile, Path keyFile, Optional<String> minVersion, Duration reloadEvery) {
    public TlsFiles {
        minVersion = minVersion == null ? Optional.empty() : minVersion;
        if (reloadEvery == null || reloadEvery.isNegative() || reloadEvery.isZero()) {
            reloadEvery = CertificateReload.INTERVAL;
        }
    }

    public TlsFiles(Path certFile, Path keyFile, Optional<String> minVersion) {
        this(certFile, keyFile, minVersion, CertificateReload.INTERVAL);
    }

    /**
     * Both files or neither: one without the other is a configuration mistake worth stopping for. An
     * empty name is none, as both Go programs read their TLS flags ({@code EPR_TLS_CERT=}).
     */
    public static Optional<TlsFiles> of(@Nullable Path cert, @Nullable Path key, @Nullable String minVersion) {
        cert = named(cert);
        key = named(key);
        if (cert == null && key == null) {
            return Optional.empty();
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("TLS needs both a certificate file and a key file");
        }
        return Optional.of(new TlsFiles(cert, key, Optional.ofNullable(minVersion).filter(v -> !v.isBlank())));
    }

    private static @Nullable Path named(@Nullable Path file) {
        return file == null || file.toString().isBlank() ? null : file;
    }
}
