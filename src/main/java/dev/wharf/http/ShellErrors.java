package dev.wharf.http;

import io.javalin.config.JavalinConfig;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The answers Jetty writes itself, to a request it refuses before any route sees it (a path that is
 * not UTF-8 or holds a NUL, headers past the limit), in the server's protocol's form instead of
 * Jetty's HTML page: a client of a JSON API gets JSON, one of EPR the plain text of Go's server.
 */
public final class ShellErrors extends ErrorHandler {
    /**
     * How a protocol writes an error.
     *
     * @param body the body for a text that gives the status and what Jetty said of the request, as
     *     {@code 400 Bad Request: Bad UTF-8 encoding}
     */
    public record Form(String contentType, Function<String, byte[]> body) {
    }

    private final Form form;

    private ShellErrors(Form form) {
        this.form = form;
    }

    /** Jetty's own errors on the server {@code cfg} configures are written in {@code form}. */
    public static void use(JavalinConfig cfg, Form form) {
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new ShellErrors(form)));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, @Nullable String message, @Nullable Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, form.contentType());
        response.write(true, ByteBuffer.wrap(form.body().apply(text(code, message))), callback);
    }

    /** The answer to a request the parser refused (headers too large, a malformed request line). */
    @Override
    public ByteBuffer badMessageError(int status, @Nullable String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, form.contentType());
        return ByteBuffer.wrap(form.body().apply(text(status, reason)));
    }

    private static String text(int code, @Nullable String message) {
        String status = code + " " + Objects.requireNonNullElse(HttpStatus.getMessage(code), "Error");
        return message == null || message.isBlank() || message.equals(HttpStatus.getMessage(code)) ? status : status + ": " + message;
    }
}
