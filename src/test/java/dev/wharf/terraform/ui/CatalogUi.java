package dev.wharf.terraform.ui;

import dev.wharf.terraform.auth.ClientAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The catalog {@link UiRegistry} that RegistryUiTest (the pages) and RegistryUiSignInTest (the
 * sign-in guarding them) both read, served open and behind one static token, and the requests they
 * send it; one place, so the two classes cannot drift apart in what they start.
 */
final class CatalogUi implements AutoCloseable {
    static final String TOKEN = "ui-s3cret-token";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final UiRegistry registry;
    final URI open;
    final URI guarded;

    CatalogUi(Path dir) throws Exception {
        registry = new UiRegistry(dir).withCatalog();
        open = registry.serve(ClientAuthentication.open());
        guarded = registry.serve(tokenAuthentication());
    }

    /** The API wants {@link #TOKEN}, so the UI wants a sign-in with it. */
    static ClientAuthentication tokenAuthentication() {
        return new ClientAuthentication(h -> h.equals("Bearer " + TOKEN), true, Optional.empty());
    }

    static HttpResponse<String> get(URI base, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(URI base, String path, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        registry.close();
    }
}
