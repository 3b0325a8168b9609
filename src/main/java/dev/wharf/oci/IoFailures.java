package dev.wharf.oci;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.cert.CertificateException;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * A failed read, of a file or over HTTP, in words an operator can act on. The JDK's exceptions for
 * the commonest causes say too little: a missing or unreadable file carries only its path ("cannot
 * read it: /etc/wharf/tokens.yaml" did not say which), and the HTTP client's refused connection has
 * no message at all.
 */
public final class IoFailures {
    private IoFailures() {
    }

    public static String describe(IOException e) {
        if (e instanceof JsonProcessingException parse) {
            return parseProblem(parse);
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        if (e instanceof EOFException && (e.getMessage() == null || e.getMessage().isBlank())) {
            // Decompressors throw it bare when the input stops mid-stream: "null" said nothing.
            return "it ends early (cut short)";
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * "cannot read FILE: why", the file named once: {@link #describe} already starts with it for a
     * missing or unreadable file ("cannot read key.asc: key.asc" had said nothing else).
     */
    public static String cannotRead(Object file, IOException e) {
        String why = describe(e);
        return why.startsWith(file + ": ") ? "cannot read " + why : "cannot read " + file + ": " + why;
    }

    /**
     * A YAML or JSON parse failure on one line, with where it is. The parser's own message runs over
     * several lines that quote the text and point at it, and Jackson's adds the whole source (a tokens
     * file's hashes, in a log line).
     */
    public static String parseProblem(JsonProcessingException e) {
        String original = Objects.requireNonNullElse(e.getOriginalMessage(), e.getClass().getSimpleName());
        // SnakeYAML's sentences start at the margin; its indented lines say "in 'reader'", quote and point.
        String problem = original.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining(", "));
        if (problem.isEmpty()) {
            problem = original.strip().replaceAll("\\s+", " ");
        }
        // Jackson's unclosed-object message points at where the object opened through a source
        // description ("[Source: REDACTED (`StreamReadFeature…` disabled); line: 1, column: 1]").
        problem = problem.replaceAll("\\(start marker at \\[Source: [^\\]]*; line: (\\d+), column: (\\d+)\\]\\)",
                "(opened at line $1, column $2)");
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? problem : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + problem;
    }

    /** Whether {@code e} failed in a TLS handshake (an untrusted, expired or misnamed certificate, or no TLS on that port). */
    public static boolean tlsHandshake(Throwable e) {
        Throwable root = rootCause(e);
        return e instanceof SSLException || root instanceof SSLException || root instanceof CertificateException;
    }

    /** The innermost cause, where the JDK's clients keep the words that say what went wrong. */
    public static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
