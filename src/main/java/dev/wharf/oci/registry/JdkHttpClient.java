package dev.wharf.oci.registry;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The JDK's HTTP client of one store, built at its first use: it carries only requests with a body
 * (uploads, manifest pushes) and token endpoints, so a store that only reads from a registry without
 * tokens never loads it (about 160 classes, a selector thread and its buffers).
 */
final class JdkHttpClient implements Supplier<HttpClient> {
    private final OnFirstUse<HttpClient> client;

    JdkHttpClient(Supplier<SSLContext> tls, Duration connect, ProxySelector proxies) {
        this.client = new OnFirstUse<>(() -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connect)
                .sslContext(tls.get())
                .proxy(proxies)
                .build());
    }

    @Override
    public HttpClient get() {
        return client.get();
    }
}
