package dev.wharf.epr.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.EmptyAnswer;
import dev.wharf.http.LimitedBody;
import dev.wharf.http.TlsHandshakes;
import dev.wharf.http.WharfServerClient;
import dev.wharf.oci.PrintableText;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code push -server URL -token T}: the client side of {@link PackageUploadApi}. The zip (and its
 * {@code .sig}) stream from disk as {@code multipart/form-data}; the server's answer becomes one
 * {@link Outcome}. Kept apart from boring-registry's publish client because the answers differ
 * (EPR's errors are {@code {"status","message"}}) and epr must not import terraform.
 */
public final class PackagePushClient {
    /** Far above any answer of Wharf's publish API, which is a small JSON object. */
    private static final int MAX_ANSWER = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the server made of one package. {@code SERVER_FAILED}: the server could not be reached, or answered
     * what is not a Wharf server's answer (a 201 without Wharf's object, say); no fault of this package, and
     * the next would meet it too, so a push stops there as {@code upload --server} does.
     */
    public record Outcome(Kind kind, String detail) {
        public enum Kind { PUBLISHED, EXISTS, REFUSED, SERVER_FAILED }
    }

    private final URI server;
    private final String token;
    private final HttpClient http;
    private final Optional<PublisherKey> key;

    public PackagePushClient(URI server, String token, HttpClient http) {
        this(server, token, http, Optional.empty());
    }

    /** {@code key}: when present, a zip is sent only with a {@code .sig} that verifies with it. */
    public PackagePushClient(URI server, String token, HttpClient http, Optional<PublisherKey> key) {
        String base = server.toString();
        this.server = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = token;
        this.http = http;
        this.key = key;
    }

    /** @param caFile CA certificates ({@code -server-ca-file}) to trust for an https server beside the JVM's */
    public static PackagePushClient of(String server, String token, Optional<Path> caFile) {
        return of(server, token, caFile, Optional.empty());
    }

    /** As above, checking each zip's signature against {@code key} ({@code -publish-verification-key}) before it is sent. */
    public static PackagePushClient of(String server, String token, Optional<Path> caFile, Optional<PublisherKey> key) {
        if (!server.startsWith("https://") && !server.startsWith("http://")) {
            throw new IllegalArgumentException("-server must be an http:// or https:// URL, not '" + server + "'");
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException("-server needs -token (or EPR_TOKEN): a token from 'package-registry token create'");
        }
        URI uri = URI.create(server);
        return new PackagePushClient(uri, token, WharfServerClient.to(uri, caFile, "-server-ca-file"), key);
    }

    public String describe() {
        return server.toString();
    }

    /** Publishes {@code zip} with the {@code .sig} beside it when there is one; the index is refreshed at once. */
    public Outcome push(Path zip) {
        if (!Files.isRegularFile(zip)) {
            return new Outcome(Outcome.Kind.REFUSED, Files.isDirectory(zip)
                    ? "with -server, push a built zip (a package folder is zipped only when pushing to the OCI registry)"
                    : "no such file");
        }
        List<Path> files = new ArrayList<>(List.of(zip));
        Path sig = zip.resolveSibling(zip.getFileName() + ".sig");
        if (Files.isRegularFile(sig)) {
            try {
                // Said before the zip is sent, which may be hundreds of MB; the server refuses it too.
                PackageSignatureFile.require(sig, String.valueOf(sig.getFileName()));
            } catch (dev.wharf.epr.pkg.InvalidPackageException e) {
                return new Outcome(Outcome.Kind.REFUSED, e.getMessage());
            } catch (IOException e) {
                return new Outcome(Outcome.Kind.REFUSED, "cannot read " + sig.getFileName() + ": " + e.getMessage());
            }
            files.add(sig);
        }
        if (key.isPresent()) {
            try {
                // Said before the zip is sent, as the form check is; a server given the key refuses it too.
                key.get().require(zip, sig, String.valueOf(zip.getFileName()));
            } catch (dev.wharf.epr.pkg.InvalidPackageException e) {
                return new Outcome(Outcome.Kind.REFUSED, e.getMessage());
            }
        }
        String boundary = "wharf-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        try {
            for (Path file : files) {
                String name = String.valueOf(file.getFileName()).replace("\"", "");
                parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                        + "\"; filename=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n", StandardCharsets.UTF_8));
                parts.add(HttpRequest.BodyPublishers.ofFile(file));
                parts.add(HttpRequest.BodyPublishers.ofString("\r\n", StandardCharsets.UTF_8));
            }
        } catch (FileNotFoundException e) {
            return new Outcome(Outcome.Kind.REFUSED, "cannot read it: " + e.getMessage());
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + PackageUploadApi.PATH + "?refresh=true"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, LimitedBody.handler(MAX_ANSWER));
        } catch (IOException e) {
            LimitedBody.TooLarge large = LimitedBody.tooLarge(e);
            if (large != null) {
                return new Outcome(Outcome.Kind.SERVER_FAILED, server + " " + large.getMessage() + ": not the answer of a Wharf server");
            }
            return new Outcome(Outcome.Kind.SERVER_FAILED, TlsHandshakes.unreachable(server.toString(), e, "-server-ca-file"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Outcome.Kind.SERVER_FAILED, "interrupted while publishing to " + server);
        }
        JsonNode body = parse(response.body());
        return switch (response.statusCode()) {
            case 201 -> created(response, body);
            case 409 -> new Outcome(Outcome.Kind.EXISTS, response.body().isBlank()
                    ? EmptyAnswer.status(409) + ": " + EmptyAnswer.REASON
                    : message(body, response.body()));
            default -> new Outcome(Outcome.Kind.REFUSED, response.body().isBlank()
                    // Not "HTTP 500: " with nothing after it.
                    ? EmptyAnswer.status(response.statusCode()) + ": " + EmptyAnswer.REASON
                    : "HTTP " + response.statusCode() + ": " + message(body, response.body()));
        };
    }

    /**
     * Published only when the 201 is Wharf's: PackageUploadApi answers 201 once the package is stored, and always with
     * its JSON object. A 201 without it is another server's (a WebDAV or catch-all server that took the PUT as a file,
     * say), which stored nothing Fleet can install; saying "published" would have a CI job go on to a release no
     * registry serves.
     */
    private Outcome created(HttpResponse<String> response, @Nullable JsonNode body) {
        if (body == null) {
            return notWharfsAnswer(response, "that is not JSON");
        }
        if (!body.isObject()) {
            return notWharfsAnswer(response, "that is not a JSON object");
        }
        for (String field : List.of("tag", "signed", "manifest_digest")) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
                return notWharfsAnswer(response, "without \"" + field + "\"");
            }
        }
        return new Outcome(Outcome.Kind.PUBLISHED, PrintableText.oneLine(body.path("tag").asText(), Integer.MAX_VALUE)
                + (body.path("signed").asBoolean() ? " (signed)" : "") + " as " + PrintableText.oneLine(body.path("manifest_digest").asText(), 100));
    }

    private Outcome notWharfsAnswer(HttpResponse<String> response, String what) {
        String type = response.headers().firstValue("Content-Type").map(t -> "Content-Type " + PrintableText.oneLine(t, 100))
                .orElse("no Content-Type");
        String shown = PrintableText.oneLine(response.body(), 100);
        return new Outcome(Outcome.Kind.SERVER_FAILED, server + " answered the publish with HTTP " + response.statusCode() + " (" + type
                + ") and a body " + what + (shown.isEmpty() ? " (empty)" : ": " + shown)
                + "; not the answer of a Wharf server, so nothing is known to be published");
    }

    /** The answer's JSON; null when it is none (or empty). */
    private static @Nullable JsonNode parse(String body) {
        try {
            JsonNode parsed = JSON.readTree(body);
            return parsed == null || parsed.isMissingNode() ? null : parsed;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * EPR's {@code message}, else the body, shortened; either on one line with its control characters escaped: the
     * server may be anyone's, and a line break or an ANSI escape in its reason would forge a line of push's output. A
     * message keeps its backslashes single ({@link PrintableText#ownLine}): a Wharf server has escaped the names it
     * quotes already, which escaping again would show doubled.
     */
    private static String message(@Nullable JsonNode parsed, String raw) {
        String message = parsed == null ? "" : parsed.path("message").asText("");
        if (!message.isBlank()) {
            return PrintableText.ownLine(message, Integer.MAX_VALUE);
        }
        return PrintableText.oneLine(raw, 300);
    }
}
