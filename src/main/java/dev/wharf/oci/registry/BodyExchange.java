package dev.wharf.oci.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * One HTTP exchange whose answer comes back as soon as its headers arrive, with the body unread: a
 * stream that fails when the registry sends nothing for the idle timeout. {@link RegistryTransport}
 * keeps authentication, redirects, retries and the request's timeout (until the headers) around it,
 * so an implementation only moves bytes. The request carries no body.
 */
public interface BodyExchange {
    HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException;
}
