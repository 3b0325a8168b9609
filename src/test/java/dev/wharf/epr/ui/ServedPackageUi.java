package dev.wharf.epr.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * {@link UiPackages} served open and behind its tokens file, as PackageUiTest (the pages) and
 * PackageUiSignInTest (the sign-in guarding them) both read it, and the requests they send; one
 * place, so the two classes cannot drift apart in what they start.
 */
final class ServedPackageUi implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final UiPackages packages;
    final URI open;
    final URI guarded;

    ServedPackageUi(Path dir) throws Exception {
        packages = new UiPackages(dir);
        open = packages.serve(false);
        guarded = packages.serve(true);
    }

    static HttpResponse<String> send(HttpClient client, URI base, String path, String cookie) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
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
    public void close() {
        packages.close();
    }
}
