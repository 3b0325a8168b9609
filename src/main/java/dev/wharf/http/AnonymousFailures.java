package dev.wharf.http;

import dev.wharf.oci.RepositoryFullException;
import dev.wharf.oci.StorageException;

/**
 * What a client is told of a storage failure: the status and what failed in general terms, never
 * the registry's host, the repository or the user name that {@link StorageException}'s message
 * holds for the operator. The message goes to the log and to {@code /health} on the telemetry or
 * metrics address, which anonymous clients are not meant to reach.
 */
public final class AnonymousFailures {
    private AnonymousFailures() {
    }

    /**
     * 503 when storage cannot be reached (try again later), 404 for content that is gone, 507
     * (Insufficient Storage, RFC 4918) when the server's own disk refused a write or a repository holds as much as the
     * store keeps in one, else 502.
     */
    public static int status(StorageException e) {
        return switch (e.kind()) {
            case UNREACHABLE -> 503;
            case NOT_FOUND -> 404;
            case WRITE_FAILED -> 507;
            default -> 502;
        };
    }

    /**
     * The failure in general terms, for any client to read. A repository the store holds as much in as it keeps is
     * said as such (the bound and the count, no path): as "the server's disk refused a write" it sent publishers
     * looking for a full disk.
     */
    public static String generalTerms(StorageException e) {
        if (e instanceof RepositoryFullException full) {
            return full.forClients();
        }
        return switch (e.kind()) {
            case UNREACHABLE -> "storage is unreachable";
            case UNAUTHORIZED, FORBIDDEN -> "storage refused the server's credentials";
            case TLS -> "the TLS connection to storage failed";
            case PROTOCOL -> "storage answered outside the OCI distribution protocol";
            // The kind covers a local read that failed too (a disk error, a folder gone), not only a digest.
            case CORRUPT -> "stored content is unreadable or failed its integrity check";
            case NOT_FOUND -> "not found in storage";
            case WRITE_FAILED -> "the server's disk refused a write";
            case UNSUPPORTED -> "storage does not support this operation";
            case TAG_EXISTS -> "already stored";
            case REGISTRY_ERROR -> "storage failed";
        };
    }

    /** The sentence for an error body: the general terms and where the detail is. */
    public static String sentence(String generalTerms, String requestId) {
        return generalTerms + " (request id " + requestId + "; the server log has the details)";
    }
}
