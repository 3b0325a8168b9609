package dev.wharf.terraform.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.EmptyAnswer;
import dev.wharf.http.LimitedBody;
import dev.wharf.http.TlsHandshakes;
import dev.wharf.http.WharfServerClient;
import dev.wharf.oci.IoFailures;
import dev.wharf.oci.PrintableText;
import dev.wharf.terraform.upload.TargetFailedException;
import dev.wharf.terraform.upload.UploadException;
import dev.wharf.terraform.upload.VersionExistsException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code upload … --server URL --token T}: the client side of {@link PublishApi}. Files are sent
 * from disk as the request body (multipart for a provider release), never read whole into memory;
 * the server's answer becomes the same exceptions a direct upload throws.
 */
public final class PublishClient {
    /** Far above any answer of Wharf's publish API, which is a small JSON object. */
    private static final int MAX_ANSWER = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final String token;
    private final HttpClient http;

    public PublishClient(URI server, String token, HttpClient http) {
        String base = server.toString();
        this.server = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = token;
        this.http = http;
    }

    /** @param caFile CA certificates ({@code --server-ca-file}) to trust for an https server beside the JVM's */
    public static PublishClient of(String server, String token, Optional<Path> caFile) {
        if (!server.startsWith("https://") && !server.startsWith("http://")) {
            throw new IllegalArgumentException("--server must be an http:// or https:// URL, not '" + server + "'");
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException("--server needs --token (or BORING_REGISTRY_TOKEN): a token from 'token create'");
        }
        URI uri = URI.create(server);
        return new PublishClient(uri, token, WharfServerClient.to(uri, caFile, "--server-ca-file"));
    }

    /** PUTs a file as the body; the 201 answer's JSON, which must hold each of {@code fields} ({@link #created}). */
    public JsonNode putFile(String path, String contentType, Path file, String... fields) {
        try {
            return send(path, contentType, HttpRequest.BodyPublishers.ofFile(file), fields);
        } catch (FileNotFoundException e) {
            throw new UploadException(IoFailures.cannotRead(file, e));
        }
    }

    /** PUTs files as {@code multipart/form-data}, each part named and filed under its file name. */
    public JsonNode putFiles(String path, List<Path> files, String... fields) {
        String boundary = "wharf-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        for (Path file : files) {
            String name = String.valueOf(file.getFileName()).replace("\"", "");
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                    + "\"; filename=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n", StandardCharsets.UTF_8));
            try {
                parts.add(HttpRequest.BodyPublishers.ofFile(file));
            } catch (FileNotFoundException e) {
                throw new UploadException(file + " does not exist");
            }
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n", StandardCharsets.UTF_8));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        return send(path, "multipart/form-data; boundary=" + boundary,
                HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new)), fields);
    }

    /**
     * GETs {@code checking} ("the versions of module …", for messages) as JSON; empty when the server
     * has no such route (404, 405: a Wharf from before the route), so that the caller goes on as it
     * did with such a server. A refusal of this token for this module (400, 403) is the module's
     * {@link UploadException}; any other answer tells nothing of any module, and is the server's
     * {@link TargetFailedException}.
     */
    public Optional<JsonNode> get(String path, String checking) {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token).GET().build(), "checking " + checking + " at");
        return switch (response.statusCode()) {
            case 200 -> Optional.of(parseAnswer(response, checking));
            case 404, 405 -> Optional.empty();
            case 400, 403 -> throw new UploadException("cannot check " + checking + " at " + server + " " + refusal(response));
            default -> throw cannotCheck(checking, refusal(response));
        };
    }

    /** The check of {@code checking} failed for a reason of the server's, {@code why}. */
    TargetFailedException cannotCheck(String checking, String why) {
        return new TargetFailedException("cannot check " + checking + " at " + server + (why.startsWith("(") ? " " : ": ") + why);
    }

    private JsonNode parseAnswer(HttpResponse<String> response, String checking) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            // A sign-in portal's or another web server's page: its parse error would say nothing more.
            // The header is another server's text too, as the bodies quoted elsewhere are.
            String type = response.headers().firstValue("Content-Type").map(t -> " (Content-Type " + PrintableText.oneLine(t, 100) + ")").orElse("");
            throw cannotCheck(checking, "its answer is not JSON" + type + ": not the answer of a Wharf server");
        }
    }

    private JsonNode send(String path, String contentType, HttpRequest.BodyPublisher body, String... fields) {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType).PUT(body).build(), "publishing to");
        return switch (response.statusCode()) {
            case 201 -> created(response, fields);
            case 409 -> throw new VersionExistsException(response.body().isBlank()
                    // Not "no reason given", as if the server had sent those words.
                    ? EmptyAnswer.status(409) + ": " + EmptyAnswer.REASON
                    : reason(response.body()), PublishConflict.isLostRace(JSON, response.body()));
            default -> throw new UploadException(server + " refused the publish " + refusal(response));
        };
    }

    /** @param doing what the request is for, followed by the server in an interrupt's message ("publishing to") */
    private HttpResponse<String> exchange(HttpRequest request, String doing) {
        try {
            return http.send(request, LimitedBody.handler(MAX_ANSWER));
        } catch (IOException e) {
            LimitedBody.TooLarge large = LimitedBody.tooLarge(e);
            if (large != null) {
                throw new TargetFailedException(server + " " + large.getMessage() + ": not the answer of a Wharf server");
            }
            throw new TargetFailedException(TlsHandshakes.unreachable(server.toString(), e, "--server-ca-file"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // The server's failure for the upload's purpose: a tree's check stops here, not once per module.
            throw new TargetFailedException("interrupted while " + doing + " " + server);
        }
    }

    /**
     * The 201's JSON object, holding each of {@code fields}. Wharf's publish API answers 201 only once
     * the version is stored, and always with that object (AuditedPublish); a 201 without it is another
     * server's (a WebDAV or catch-all server that took the PUT as a file, say), which stored nothing
     * Terraform can install. So it is a failure of the target, not "published": reporting it published
     * would have a CI job go on to a release no registry holds.
     */
    private JsonNode created(HttpResponse<String> response, String... fields) {
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw notWharfsAnswer(response, "that is not JSON");
        }
        if (answer == null || !answer.isObject()) {
            throw notWharfsAnswer(response, "that is not a JSON object");
        }
        for (String field : fields) {
            JsonNode value = answer.get(field);
            if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
                throw notWharfsAnswer(response, "without \"" + field + "\"");
            }
        }
        return answer;
    }

    private TargetFailedException notWharfsAnswer(HttpResponse<String> response, String what) {
        String type = response.headers().firstValue("Content-Type").map(t -> "Content-Type " + PrintableText.oneLine(t, 100)).orElse("no Content-Type");
        String body = PrintableText.oneLine(response.body(), 100);
        return new TargetFailedException(server + " answered the publish with HTTP " + response.statusCode() + " (" + type + ") and a body "
                + what + (body.isEmpty() ? " (empty)" : ": " + body) + "; not the answer of a Wharf server, so nothing is known to be published");
    }

    /**
     * "(HTTP 502): REASON"; for an empty body "(HTTP 500 Internal Server Error): the answer's body was empty", which
     * had been "(HTTP 500): no reason given", as if the server had sent those words.
     */
    private static String refusal(HttpResponse<String> response) {
        if (response.body().isBlank()) {
            return "(" + EmptyAnswer.status(response.statusCode()) + "): " + EmptyAnswer.REASON;
        }
        return "(HTTP " + response.statusCode() + "): " + reason(response.body());
    }

    /**
     * The first of Wharf's {@code errors}, or of another server's {@code errors[].message}; else the body, shortened. Either
     * on one line with its control characters escaped: the server may be anyone's, and a line break or an ANSI escape in
     * its reason would forge a line of this program's output. A reason keeps its backslashes single ({@link
     * PrintableText#ownLine}): it is a sentence, and a Wharf server has escaped the names it quotes already, which
     * escaping again would show doubled.
     */
    private static String reason(String body) {
        try {
            JsonNode first = JSON.readTree(body).path("errors").path(0);
            JsonNode message = first.isTextual() ? first : first.path("message");
            if (message.isTextual() && !message.asText().isBlank()) {
                return PrintableText.ownLine(message.asText(), Integer.MAX_VALUE);
            }
        } catch (IOException e) {
            // Not JSON: show what came, shortened.
        }
        String line = PrintableText.oneLine(body, 300);
        return line.isEmpty() ? EmptyAnswer.REASON : line;
    }
}
