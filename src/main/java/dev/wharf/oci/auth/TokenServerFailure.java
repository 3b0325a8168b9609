package dev.wharf.oci.auth;

import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The token server could not be reached or failed (a broken connection, a 5xx, anything but a
 * token or a refusal of the credentials). It carries what the registry client needs to judge, by
 * the same rules as a registry's own answers, whether asking again may help: the status and headers
 * of the answer, or the I/O failure when there was none.
 */
public final class TokenServerFailure extends StorageException {
    private static final HttpHeaders NONE = HttpHeaders.of(Map.of(), (name, value) -> true);
    private final int status;
    private final transient HttpHeaders headers;

    TokenServerFailure(String message, IOException cause) {
        super(Kind.UNREACHABLE, message, cause);
        this.status = 0;
        this.headers = NONE;
    }

    TokenServerFailure(String message, int status, HttpHeaders headers) {
        super(Kind.REGISTRY_ERROR, message);
        this.status = status;
        this.headers = headers;
    }

    /** The token server's HTTP status, or 0 when it gave no answer ({@link #ioFailure()} says why). */
    public int status() {
        return status;
    }

    /** The answer's headers ({@code Retry-After}); none when there was no answer. */
    public HttpHeaders headers() {
        return headers;
    }

    /** What broke the connection when there was no answer. */
    public @Nullable IOException ioFailure() {
        return getCause() instanceof IOException io ? io : null;
    }
}
