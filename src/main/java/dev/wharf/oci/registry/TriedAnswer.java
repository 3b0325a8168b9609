package dev.wharf.oci.registry;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * An answer that came after {@code tries} tries of its request, so that a failure phrased from it can say how often
 * the registry was asked: "failed with HTTP 500" alone reads as one unlucky answer, where three in a row point at the
 * registry's health.
 */
record TriedAnswer(HttpResponse<InputStream> answer, int tries) implements HttpResponse<InputStream> {
    /** How many tries {@code answer} came after: 1 unless the transport repeated its request. */
    static int tries(HttpResponse<InputStream> answer) {
        return answer instanceof TriedAnswer tried ? tried.tries() : 1;
    }

    @Override
    public int statusCode() {
        return answer.statusCode();
    }

    @Override
    public HttpRequest request() {
        return answer.request();
    }

    @Override
    public Optional<HttpResponse<InputStream>> previousResponse() {
        return answer.previousResponse();
    }

    @Override
    public HttpHeaders headers() {
        return answer.headers();
    }

    @Override
    public InputStream body() {
        return answer.body();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return answer.sslSession();
    }

    @Override
    public URI uri() {
        return answer.uri();
    }

    @Override
    public HttpClient.Version version() {
        return answer.version();
    }
}
