package dev.wharf.terraform.web;

import java.util.Optional;

/**
 * The one answer every file URL (module archive, provider zip, SHA256SUMS, mirror archive) gives when
 * its signature does not authorize it: unsigned is 401, as any request without credentials is;
 * expired or forged is 403, because the URL carries credentials that are not good.
 */
record SignedUrlRefusal(int status, String message) {
    /** Empty when {@code check} lets the request through. */
    static Optional<SignedUrlRefusal> of(FileUrlSigner.Check check, String freshUrlFrom) {
        return switch (check) {
            case VALID -> Optional.empty();
            case MISSING -> Optional.of(new SignedUrlRefusal(401, "this file URL is not signed; " + freshUrlFrom));
            case EXPIRED -> Optional.of(new SignedUrlRefusal(403, "this file URL has expired; " + freshUrlFrom));
            case INVALID -> Optional.of(new SignedUrlRefusal(403, "this file URL's signature is not valid; " + freshUrlFrom));
        };
    }
}
