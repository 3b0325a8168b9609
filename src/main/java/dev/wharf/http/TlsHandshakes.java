package dev.wharf.http;

import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.security.cert.CertificateException;

/**
 * A failed TLS handshake of an outgoing request, told apart from other I/O failures and said with
 * the flag that mends the usual cause: a certificate that a private CA signed, which the JVM's trust
 * store does not hold. The JDK's own words ("PKIX path building failed") name neither.
 */
public final class TlsHandshakes {
    private TlsHandshakes() {
    }

    /**
     * Whether the peer's certificate was refused (untrusted, expired, for another name): a failure no
     * retry mends, unlike a handshake the peer broke off.
     */
    public static boolean certificateRefused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** "the TLS handshake with {@code peer} failed (why); …trusted with {@code caFlag}". */
    public static String handshake(String peer, Throwable e, String caFlag) {
        Throwable root = IoFailures.rootCause(e);
        String why = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName() : root.getMessage();
        return "the TLS handshake with " + peer + " failed (" + why + "); a certificate that a private CA signed is trusted with " + caFlag;
    }

    /** What went wrong in words an operator can act on: the handshake's as above, else {@link IoFailures#describe}. */
    public static String unreachable(String peer, IOException e, String caFlag) {
        return IoFailures.tlsHandshake(e) ? handshake(peer, e, caFlag) : "cannot reach " + peer + ": " + IoFailures.describe(e);
    }
}
