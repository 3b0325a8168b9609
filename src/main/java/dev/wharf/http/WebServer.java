package dev.wharf.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A started HTTP(S) server: Javalin on Jetty, on one address, with TLS when files are given.
 * Protocol fronts add their routes through the {@link JavalinConfig} callback.
 */
public final class WebServer implements AutoCloseable {
    private static final int MAX_SELECTORS = 32;
    private final Javalin app;
    private final boolean tls;
    private final ListenAddress address;

    private WebServer(Javalin app, boolean tls, ListenAddress address) {
        this.app = app;
        this.tls = tls;
        this.address = address;
    }

    public static WebServer start(ListenAddress address, Optional<TlsFiles> tls, Consumer<JavalinConfig> routes) {
        return start(address, tls, Optional.empty(), RequestObserver.NONE, routes);
    }

    /**
     * With answers the routes remember, served to repeat GETs in front of the router; the observer
     * hears of those (the routes' own requests reach it through Javalin's request logger, which
     * {@code routes} should point at it).
     */
    public static WebServer start(ListenAddress address, Optional<TlsFiles> tls, Optional<ReadyAnswers> ready,
            RequestObserver observer, Consumer<JavalinConfig> routes) {
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            cfg.http.generateEtags = false;
            cfg.jetty.host = address.host();
            cfg.jetty.port = address.port();
            // Ready answers are written by the selector threads themselves (ReadyAnswerHandler):
            // one per core then, as nginx runs a worker per core, instead of Jetty's half. Capped
            // well below the pool's 250 threads, which Jetty refuses to start without enough of.
            int selectors = ready.isPresent() ? Math.min(MAX_SELECTORS, Runtime.getRuntime().availableProcessors()) : -1;
            cfg.jetty.addConnector((server, http) -> tls.isPresent() ? tlsConnector(server, http, address, tls.get(), selectors)
                    : plainConnector(server, http, address, selectors));
            ready.ifPresent(answers -> cfg.jetty.modifyServer(
                    server -> server.insertHandler(new ReadyAnswerHandler(answers, observer, server.getThreadPool()))));
            routes.accept(cfg);
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            if (bindFailure(e)) {
                throw new AddressInUseException(address, e);
            }
            throw e;
        }
        return new WebServer(app, tls.isPresent(), address);
    }

    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    private static ServerConnector plainConnector(Server server, HttpConfiguration http, ListenAddress address, int selectors) {
        ServerConnector connector = new ServerConnector(server, -1, selectors, new HttpConnectionFactory(http));
        connector.setHost(address.host());
        connector.setPort(address.port());
        return connector;
    }

    private static ServerConnector tlsConnector(Server server, HttpConfiguration http, ListenAddress address, TlsFiles files,
            int selectors) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(PemKeyStore.load(files.certFile(), files.keyFile()));
        ssl.setKeyStorePassword("");
        files.minVersion().ifPresent(v -> ssl.setIncludeProtocols(protocolsFrom(v)));
        HttpConfiguration https = new HttpConfiguration(http);
        // Clients reach Wharf by IP, by internal names and through proxies: the certificate is the
        // operator's business, so don't refuse requests whose Host differs from the SNI name.
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false);
        https.addCustomizer(customizer);
        ServerConnector connector = new ServerConnector(server, -1, selectors,
                new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost(address.host());
        connector.setPort(address.port());
        return connector;
    }

    private static String[] protocolsFrom(String minVersion) {
        return switch (minVersion.replace("TLS", "").replace("v", "").trim()) {
            case "1.0" -> new String[] {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
            case "1.1" -> new String[] {"TLSv1.1", "TLSv1.2", "TLSv1.3"};
            case "1.2" -> new String[] {"TLSv1.2", "TLSv1.3"};
            case "1.3" -> new String[] {"TLSv1.3"};
            default -> throw new IllegalArgumentException("unknown TLS version '" + minVersion + "' (use 1.0, 1.1, 1.2 or 1.3)");
        };
    }

    public int port() {
        return app.port();
    }

    public boolean isTls() {
        return tls;
    }

    /** The base URL clients on this machine can use; wildcard hosts become 127.0.0.1. */
    public URI localUri() {
        String host = address.host().equals("0.0.0.0") || address.host().equals("::") ? "127.0.0.1" : address.host();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + port());
    }

    @Override
    public void close() {
        app.stop();
    }
}
