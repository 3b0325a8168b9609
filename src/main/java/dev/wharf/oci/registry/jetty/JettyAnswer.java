package dev.wharf.oci.registry.jetty;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/** A Jetty answer seen as the JDK client's, so the transport judges answers of both clients with one code. */
record JettyAnswer(int statusCode, HttpRequest request, HttpHeaders headers, InputStream body, URI uri)
        implements HttpResponse<InputStream> {

    static HttpHeaders headers(HttpFields fields) {
        Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : fields) {
            byName.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
        }
        return HttpHeaders.of(byName, (name, value) -> true);
    }

    @Override
    public Optional<HttpResponse<InputStream>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return Optional.empty();
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }
}
