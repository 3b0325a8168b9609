package dev.wharf.oci.registry;

import java.util.Locale;

/**
 * The error codes of the OCI Distribution Spec (v1.1, "Error Codes"), plus {@code TOOMANYREQUESTS}
 * that Docker Hub and distribution send with 429. A code a registry invents is {@link #OTHER}; its
 * text is kept in {@link OciErrors.Entry#rawCode()} for messages.
 */
enum OciErrorCode {
    BLOB_UNKNOWN,
    BLOB_UPLOAD_INVALID,
    BLOB_UPLOAD_UNKNOWN,
    DIGEST_INVALID,
    MANIFEST_BLOB_UNKNOWN,
    MANIFEST_INVALID,
    MANIFEST_UNKNOWN,
    NAME_INVALID,
    NAME_UNKNOWN,
    SIZE_INVALID,
    TAG_INVALID,
    UNAUTHORIZED,
    DENIED,
    UNSUPPORTED,
    TOOMANYREQUESTS,
    /** Any code not listed above, including distribution's {@code UNKNOWN}. */
    OTHER;

    /** The code for {@code text}, compared without regard to case. */
    static OciErrorCode of(String text) {
        if (text == null || text.isBlank()) {
            return OTHER;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return OTHER;
        }
    }
}
