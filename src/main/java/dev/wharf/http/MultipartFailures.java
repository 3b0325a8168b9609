package dev.wharf.http;

import dev.wharf.oci.StorageException;
import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.nio.file.Path;
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

    /**
     * Throws a {@link StorageException} of kind {@code WRITE_FAILED} when the failure is the server's
     * own disk: Jetty writes each part past 64 KB to a file in {@code folder} while it parses, and a
     * write refused there (a full disk) reaches the caller as "400: bad multipart", which would blame
     * the client's body. The parser stops there with the client still sending, so the rest, up to {@code limit}, is
     * read first, as {@link BodySpool} does for a plain body: answered at once, Jetty closed the connection on the
     * unread bytes, and the kernel's reset could discard the 507 before the client read it.
     */
    public static void rethrowDiskFailure(Throwable failure, Path folder, ServletRequest request, long limit) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException e && thrownWritingAFile(e)) {
                StorageException refusal = StorageException.writeFailed("the body's parts to " + folder, e);
                try {
                    throw BodySpool.readTheRest(request.getInputStream(), limit, refusal);
                } catch (IOException | IllegalStateException unreadable) {
                    refusal.addSuppressed(unreadable);
                    throw refusal;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
    }

    /** Whether the JDK threw {@code e} while it created or wrote a file (a parse error is thrown by Jetty itself). */
    private static boolean thrownWritingAFile(IOException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String type = frame.getClassName();
            boolean write = frame.getMethodName().startsWith("write");
            if (type.startsWith("sun.nio.fs.") || (type.equals("sun.nio.ch.FileChannelImpl") || type.equals("java.io.FileOutputStream")) && write) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a failed parse says of the body, for the client: the deepest message of the failure's
     * chain that is not only its cause's class and message again (a ServletException's is), without
     * Jetty's status prefix. The failure's own message named Jetty's exception class.
     */
    public static String reason(Throwable failure) {
        String said = "bad multipart";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            Throwable cause = t.getCause();
            if (message != null && !message.isBlank() && (cause == null || !message.equals(cause.toString()))) {
                said = message.replaceFirst("^\\d{3}: ", "");
            }
            if (cause == t) {
                break;
            }
        }
        return said;
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
