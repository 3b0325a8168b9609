package dev.wharf.http;

import jakarta.servlet.ServletRequest;
import java.util.Locale;

/**
 * What Jetty's multipart reader means when it fails. A body over the limits of its
 * {@code MultipartConfigElement} surfaces as "400: bad multipart", with "max length exceeded" or
 * "max file size exceeded" only in a cause further down; a body streamed without Content-Length
 * reaches the limit there, and must get 413 like one that declared its size.
 */
public final class MultipartFailures {
    /** Where Jetty keeps a request's parsed (or failed) multipart parts: {@code MultiPartFormData}'s class name. */
    private static final String PARTS_ATTRIBUTE = "org.eclipse.jetty.http.MultiPartFormData";

    private MultipartFailures() {
    }

    /**
     * Forgets a parse that failed. Jetty 12.1 closes a request's parts when the request ends and
     * rethrows a failed parse there, after the answer is written; the connection is then left
     * broken and its next request gets an empty 500. Call this wherever a multipart failure is caught.
     */
    public static void forgetFailedParse(ServletRequest request) {
        request.removeAttribute(PARTS_ATTRIBUTE);
    }

    /** Whether the failure, or any of its causes, is a size limit of the body or of a part (not of part headers). */
    public static boolean overSizeLimit(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("exceed") && !message.contains("headers")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
