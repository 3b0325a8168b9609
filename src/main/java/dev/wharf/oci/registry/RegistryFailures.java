package dev.wharf.oci.registry;

import dev.wharf.oci.BodyWait;
import dev.wharf.oci.IoFailures;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import dev.wharf.oci.auth.AuthChallenge;
import dev.wharf.oci.auth.ResolvedCredentials;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns what went wrong on the wire into one {@link StorageException} whose message names the
 * registry, the repository and what to check. No message ever carries a credential: only the user
 * name and where the credentials came from.
 */
final class RegistryFailures {
    static final String INSECURE_HINT = "for a private CA, add its certificate with --storage-oci-ca-file (boring-registry) or"
            + " -oci-ca-file (package-registry); --storage-oci-insecure or -oci-insecure skip the check, for testing only";

    private final String registry;

    RegistryFailures(String registry) {
        this.registry = registry;
    }

    private String where(@Nullable String repository) {
        return repository == null ? "registry " + registry : "registry " + registry + ", repository " + repository;
    }

    StorageException transport(IOException e, String url, @Nullable String repository, String action) {
        Throwable root = IoFailures.rootCause(e);
        if (IoFailures.tlsHandshake(e)) {
            return new StorageException(Kind.TLS, where(repository) + ": TLS handshake with " + url + " failed while trying to "
                    + action + " (" + reason(root) + "); check that the registry serves a certificate valid for "
                    + registry + " that this machine trusts (system trust store or -Djavax.net.ssl.trustStore), and that it"
                    + " speaks HTTPS on that port; " + INSECURE_HINT, e);
        }
        if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            return new StorageException(Kind.UNREACHABLE, where(repository) + ": cannot resolve the host name of " + url
                    + " while trying to " + action + "; check the registry address and DNS", e);
        }
        if (e instanceof HttpConnectTimeoutException || root instanceof ConnectException || root instanceof NoRouteToHostException
                || e instanceof ConnectException) {
            return new TransientStorageException(Kind.UNREACHABLE, where(repository) + ": cannot connect to " + url + " while trying to "
                    + action + " (" + reason(root) + "); check that the registry is running and the address and port are right", e);
        }
        if (e instanceof BodyWait.SlowAnswerException) {
            return new TransientStorageException(Kind.UNREACHABLE, where(repository) + ": " + url + " sent its answer too slowly"
                    + " while trying to " + action + " (" + e.getMessage() + "); check that the registry is not overloaded and"
                    + " the network to it is sound", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new TransientStorageException(Kind.UNREACHABLE, where(repository) + ": no answer from " + url + " in time while trying to "
                    + action + "; check that the registry is up and not overloaded", e);
        }
        return new TransientStorageException(Kind.UNREACHABLE, where(repository) + ": the connection to " + url + " broke while trying to "
                + action + " (" + reason(root) + "); check that the registry is running and reachable", e);
    }

    /** The thread was interrupted while trying to {@code action} (during a request, or waiting to repeat it): the flag is the caller's to keep. */
    StorageException interrupted(String action, InterruptedException e) {
        return new StorageException(Kind.UNREACHABLE, "interrupted while trying to " + action + " at registry " + registry, e);
    }

    /** A non-success answer, the last of {@code tries}; {@code body} may be empty (HEAD) or cut short. */
    StorageException status(int status, HttpHeaders headers, byte[] body, String url, RegistryCall call, int tries,
                            ResolvedCredentials credentials, Optional<AuthChallenge> challenge) {
        String repository = call.repository();
        String contentType = headers.firstValue("Content-Type").orElse(null);
        if (OciErrors.looksLikeHtml(contentType, body)) {
            return notOci(url, call, "an HTML page (HTTP " + status + ")");
        }
        OciErrors errors = OciErrors.parse(body);
        String said = errors.summary().map(s -> "; the registry said: " + s).orElse("");
        switch (status) {
            case 401 -> {
                boolean insufficientScope = headers.allValues("WWW-Authenticate").stream()
                        .anyMatch(h -> h.toLowerCase().contains("insufficient_scope"));
                if (credentials.isAnonymous()) {
                    return new StorageException(Kind.UNAUTHORIZED, where(repository) + ": the registry requires credentials to "
                            + call.action() + " and none were found: give a username and password or token (flags"
                            + " or environment variables) or run 'docker login " + registry + "'" + said, null,
                            insufficientScope ? StorageException.Refusal.NAME : StorageException.Refusal.NONE);
                }
                boolean tokenGranted = challenge.map(AuthChallenge::isBearer).orElse(false);
                if (insufficientScope || tokenGranted) {
                    return forbidden(call, credentials, said, insufficientScope);
                }
                return new StorageException(Kind.UNAUTHORIZED, where(repository) + ": the registry refused "
                        + credentials.describeUser() + " (HTTP 401) when trying to " + call.action()
                        + ": check the username and password or token from " + credentials.origin() + said);
            }
            case 403 -> {
                return forbidden(call, credentials, said, errors.has(OciErrorCode.DENIED) || errors.entries().isEmpty());
            }
            case 404 -> {
                // A write that finds no repository means it must be created first (Harbor, GitLab, GAR, ECR).
                StorageException.Refusal missing = call.isWrite() ? StorageException.Refusal.MISSING_REPOSITORY : StorageException.Refusal.NONE;
                if (errors.has(OciErrorCode.NAME_UNKNOWN)) {
                    return new StorageException(Kind.NOT_FOUND, where(repository) + ": the repository does not exist (or "
                            + credentials.describeUser() + " may not see it) when trying to " + call.action()
                            + "; check the repository name" + said, null, missing);
                }
                if (call.isWrite()) {
                    return new StorageException(Kind.NOT_FOUND, where(repository) + ": not found (HTTP 404) when trying to "
                            + call.action() + said, null, missing);
                }
                return new StorageException(Kind.NOT_FOUND, where(repository) + ": not found (HTTP 404) when trying to "
                        + call.action() + said);
            }
            case 405 -> {
                return new StorageException(Kind.UNSUPPORTED, where(repository) + ": the registry does not allow this operation"
                        + " (HTTP 405) when trying to " + call.action() + "; deleting needs deletion enabled on the registry"
                        + " (distribution: storage.delete.enabled)" + said);
            }
            case 429 -> {
                return new TransientStorageException(Kind.REGISTRY_ERROR, where(repository) + ": the registry kept rate-limiting requests"
                        + " (HTTP 429) when trying to " + call.action() + "; wait and try again, or raise the account's limits" + said);
            }
            default -> {
                if (errors.has(OciErrorCode.UNSUPPORTED)) {
                    return new StorageException(Kind.UNSUPPORTED, where(repository) + ": the registry does not support this"
                            + " when trying to " + call.action() + said);
                }
                if (status >= 500) {
                    // The tries made, not the tries allowed: the budget may have left time for fewer.
                    String retried = tries > 1 ? " (tried " + tries + " times)" : "";
                    return new TransientStorageException(Kind.REGISTRY_ERROR, where(repository) + ": the registry failed with HTTP "
                            + status + " when trying to " + call.action() + retried + "; check the registry's health and logs" + said);
                }
                if (errors.entries().isEmpty() && body != null && body.length > 0 && !looksLikeJson(body)) {
                    return notOci(url, call, "HTTP " + status + " with a " + (contentType == null ? "non-JSON" : contentType) + " body");
                }
                // A HEAD answer has no body to name the code; 400 to a plain lookup is the name itself.
                boolean nameRefused = errors.has(OciErrorCode.NAME_INVALID)
                        || (status == 400 && call.method().equals("HEAD") && errors.entries().isEmpty());
                return new StorageException(Kind.REGISTRY_ERROR, where(repository) + ": the registry refused to "
                        + call.action() + " (HTTP " + status + ")" + said, null,
                        nameRefused ? StorageException.Refusal.NAME : StorageException.Refusal.NONE);
            }
        }
    }

    private StorageException forbidden(RegistryCall call, ResolvedCredentials credentials, String said, boolean maybeName) {
        String right = call.isWrite() ? (call.method().equals("DELETE") ? "delete permission" : "push (write) permission") : "pull (read) permission";
        return new StorageException(Kind.FORBIDDEN, where(call.repository()) + ": " + credentials.describeUser() + " (from "
                + credentials.origin() + ") has no " + right + " here, needed to " + call.action()
                + "; check the account's access rights for this repository" + said, null,
                maybeName ? StorageException.Refusal.NAME : StorageException.Refusal.NONE);
    }

    /** A 401 from a host other than the registry: its challenge is not followed and no credentials go there. */
    StorageException foreignUnauthorized(String url, String registryUrl, RegistryCall call) {
        return new StorageException(Kind.REGISTRY_ERROR, where(call.repository()) + ": " + url + ", another host the registry"
                + " sent the request to (a redirect or an upload location), asked for credentials (HTTP 401) when trying to "
                + call.action() + "; Wharf gives the registry's credentials only to " + registryUrl
                + ", so check the registry's storage redirect settings (that host should take the request without them)");
    }

    StorageException notOci(String url, RegistryCall call, String what) {
        return new StorageException(Kind.PROTOCOL, where(call.repository()) + ": " + url + " answered " + what
                + " instead of the OCI distribution API when trying to " + call.action()
                + "; check that the registry address points at an OCI registry and not at a web site or proxy login page");
    }

    StorageException malformed(String url, RegistryCall call, String what) {
        return new StorageException(Kind.PROTOCOL, where(call.repository()) + ": " + url + " answered " + what
                + " when trying to " + call.action() + "; check that the registry address points at an OCI registry");
    }

    /** An answer, or a run of them, that breaks a bound Wharf keeps; {@code what} says which and what to check. */
    StorageException beyondBound(RegistryCall call, String what) {
        return new StorageException(Kind.PROTOCOL, where(call.repository()) + ": " + what);
    }

    private static boolean looksLikeJson(byte[] body) {
        String start = new String(body, 0, Math.min(body.length, 16), java.nio.charset.StandardCharsets.UTF_8).stripLeading();
        return start.startsWith("{") || start.startsWith("[");
    }

    private static String reason(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
