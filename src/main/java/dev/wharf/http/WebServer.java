package dev.wharf.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
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
    private final ServerConnector connector;

    private WebServer(Javalin app, boolean tls, ListenAddress address, ServerConnector connector) {
        this.app = app;
        this.tls = tls;
        this.address = address;
        this.connector = connector;
    }

    public static WebServer start(ListenAddress address, Optional<TlsFiles> tls, Consumer<JavalinConfig> routes) {
        return start(address, tls, Optional.empty(), RequestObserver.NONE, ServerLimits.defaults(), routes);
    }

    /** As above, accepting on a port bound before ({@link BoundPort}). */
    public static WebServer start(BoundPort port, Optional<TlsFiles> tls, Consumer<JavalinConfig> routes) {
        return start(port, tls, Optional.empty(), RequestObserver.NONE, List.of(), ServerLimits.defaults(), routes);
    }

    /**
     * With answers the routes remember, served to repeat GETs in front of the router; the observer
     * hears of those (the routes' own requests reach it through Javalin's request logger, which
     * {@code routes} should point at it).
     */
    public static WebServer start(ListenAddress address, Optional<TlsFiles> tls, Optional<ReadyAnswers> ready,
            RequestObserver observer, Consumer<JavalinConfig> routes) {
        return start(address, tls, ready, observer, List.of(), ServerLimits.defaults(), routes);
    }

    /** As above, with {@code limits} on what clients may hold. */
    public static WebServer start(ListenAddress address, Optional<TlsFiles> tls, Optional<ReadyAnswers> ready,
            RequestObserver observer, ServerLimits limits, Consumer<JavalinConfig> routes) {
        return start(address, tls, ready, observer, List.of(), limits, routes);
    }

    /**
     * As above, and every completed request, whoever answered it, is told to {@code exchanges}
     * (metrics, the access log) with the route pattern that answered it.
     */
    public static WebServer start(ListenAddress address, Optional<TlsFiles> tls, Optional<ReadyAnswers> ready,
            RequestObserver observer, List<ExchangeObserver> exchanges, Consumer<JavalinConfig> routes) {
        return start(address, tls, ready, observer, exchanges, ServerLimits.defaults(), routes);
    }

    /** Every option: exchanges told of each completed request, and limits on what clients may hold. */
    public static WebServer start(ListenAddress address, Optional<TlsFiles> tls, Optional<ReadyAnswers> ready,
            RequestObserver observer, List<ExchangeObserver> exchanges, ServerLimits limits, Consumer<JavalinConfig> routes) {
        return start(BoundPort.bind(address), tls, ready, observer, exchanges, limits, routes);
    }

    /** As above, accepting on a port bound before ({@link BoundPort}). */
    public static WebServer start(BoundPort port, Optional<TlsFiles> tls, Optional<ReadyAnswers> ready,
            RequestObserver observer, List<ExchangeObserver> exchanges, ServerLimits limits, Consumer<JavalinConfig> routes) {
        ListenAddress address = port.address();
        JettyCacheLines.tellJetty();
        AtomicReference<ServerConnector> made = new AtomicReference<>();
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            cfg.http.generateEtags = false;
            // Asynchronous file writes (ResponseBodies) end with the transfer or the idle timeout,
            // never after a total time: a large download on a slow but reading link must finish.
            cfg.http.asyncTimeout = 0;
            cfg.jetty.host = address.host();
            cfg.jetty.port = address.port();
            // Ready answers are written by the selector threads themselves (ReadyAnswerHandler):
            // one per core then, as nginx runs a worker per core, instead of Jetty's half. Capped
            // well below the pool's 250 threads, which Jetty refuses to start without enough of.
            int selectors = ready.isPresent() ? Math.min(MAX_SELECTORS, Runtime.getRuntime().availableProcessors()) : -1;
            cfg.jetty.addConnector((server, http) -> {
                // No per-connection cache of parsed header fields: Jetty builds one of about 100 KB on
                // each connection's second request, so 10 000 kept-alive clients (maxConnections)
                // could hold a gigabyte of heap, and a burst of new connections outlives young
                // collections into the old generation of the launcher's small heap: a full
                // collection of about 20 ms per burst, which was figure 1's p99 (bench/RESULTS.md,
                // session 19). The cache saves a few small objects per request.
                http.setHeaderCacheSize(0);
                // An absolute-form target names the host itself, and the Host header is then to be
                // ignored (RFC 9112 §3.2.2), as Go's net/http, which both servers answer as, does:
                // Jetty refused one whose Host differs (a proxy's own name) with 400 "Mismatched Authority".
                http.setHttpCompliance(HttpCompliance.RFC9110.with("RFC9110 absolute-form", HttpCompliance.Violation.MISMATCHED_AUTHORITY));
                http.addCustomizer(new MethodOverrideDropped());
                if (limits.trustForwarded() || !limits.trustedProxies().isEmpty()) {
                    http.addCustomizer(new ProxiedRequests(limits.trustForwarded(), limits.trustedProxies()));
                }
                if (limits.strictTransport()) {
                    // After ProxiedRequests, so that a trusted proxy's X-Forwarded-Proto counts.
                    http.addCustomizer(new StrictTransport());
                }
                DrainingConnector connector = tls.isPresent() ? tlsConnector(server, http, address, tls.get(), selectors)
                        : plainConnector(server, http, address, selectors);
                connector.setIdleTimeout(limits.idleTimeout().toMillis());
                try {
                    connector.open(port.channel());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot accept on " + address, e);
                }
                server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
                // Here, where the connector is made: the tracker notes each request's connection
                // for the connector's graceful stop (DrainingConnector).
                server.insertHandler(connector.tracker());
                made.set(connector);
                return connector;
            });
            // Inside the ready answers, which say Vary themselves and are left as fast as they were.
            cfg.jetty.modifyServer(server -> server.insertHandler(new VaryOnCompression()));
            ready.ifPresent(answers -> cfg.jetty.modifyServer(
                    server -> server.insertHandler(new ReadyAnswerHandler(answers, observer, server.getThreadPool()))));
            if (!exchanges.isEmpty()) {
                cfg.jetty.modifyServer(server -> server.setRequestLog(new ExchangeLog(exchanges)));
                cfg.routes.after(WebServer::rememberRoute);
                exchanges.stream().filter(InFlightRequests.class::isInstance).map(InFlightRequests.class::cast).findFirst()
                        .ifPresent(inFlight -> cfg.jetty.modifyServer(server -> server.insertHandler(inFlight.handler())));
            }
            HeadRoutes heads = HeadRoutes.listen(cfg);
            RouteMethods methods = RouteMethods.listen(cfg);
            routes.accept(cfg);
            heads.addMissing(cfg);
            cfg.jetty.modifyServer(server -> server.insertHandler(new ServerWideRequests(methods::allow)));
            // Around every handler, so that every request counts, repeated ready answers included: a
            // graceful stop waits for all of them (stopGracefully).
            cfg.jetty.modifyServer(server -> server.insertHandler(new GracefulHandler()));
            // Outermost, above every handler that answers, so that each answer to a body not yet
            // all in says the connection closes.
            cfg.jetty.modifyServer(server -> server.insertHandler(new UnreadBodies()));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            port.close();
            if (bindFailure(e)) {
                throw new AddressInUseException(address, e);
            }
            throw e;
        }
        return new WebServer(app, tls.isPresent(), address, java.util.Objects.requireNonNull(made.get(), "Javalin started without a connector"));
    }

    /** The matched route's pattern, for {@link ExchangeLog}: unmatched requests keep none. */
    private static void rememberRoute(io.javalin.http.Context ctx) {
        io.javalin.router.Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        if (endpoint != null) {
            ctx.req().setAttribute(Exchange.ROUTE_ATTRIBUTE, endpoint.path);
        }
    }

    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    private static DrainingConnector plainConnector(Server server, HttpConfiguration http, ListenAddress address, int selectors) {
        http.setRequestHeaderSize(ServerLimits.MAX_REQUEST_HEADER_BYTES);
        DrainingConnector connector = new DrainingConnector(server, selectors, new HttpConnectionFactory(http));
        connector.setHost(address.host());
        connector.setPort(address.port());
        return connector;
    }

    private static DrainingConnector tlsConnector(Server server, HttpConfiguration http, ListenAddress address, TlsFiles files,
            int selectors) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(PemKeyStore.load(files.certFile(), files.keyFile()));
        ssl.setKeyStorePassword("");
        server.addBean(new CertificateReload(ssl, files, server.getScheduler(), files.reloadEvery(), Clock.systemUTC()));
        files.minVersion().ifPresent(v -> ssl.setIncludeProtocols(protocolsFrom(v)));
        http.setRequestHeaderSize(ServerLimits.MAX_REQUEST_HEADER_BYTES);
        HttpConfiguration https = new HttpConfiguration(http);
        // Clients reach Wharf by IP, by internal names and through proxies: the certificate is the
        // operator's business, so don't refuse requests whose Host differs from the SNI name.
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false);
        https.addCustomizer(customizer);
        DrainingConnector connector = new DrainingConnector(server, selectors,
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

    /**
     * The socket as the operating system bound it, for the start line: {@code *:5601 (every
     * interface)} for a wildcard, {@code 127.0.0.1:5601} for one address (a name such as
     * {@code localhost} shown as what it resolved to).
     */
    public String boundAddress() {
        try {
            if (connector.getTransport() instanceof ServerSocketChannel channel
                    && channel.getLocalAddress() instanceof InetSocketAddress local) {
                InetAddress ip = local.getAddress();
                if (ip.isAnyLocalAddress()) {
                    return "*:" + local.getPort() + " (every interface)";
                }
                String host = ip.getHostAddress();
                return (host.contains(":") ? "[" + host + "]" : host) + ":" + local.getPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bound address of " + address, e);
        }
        throw new IllegalStateException("the server on " + address + " is not bound");
    }

    /** Connections open right now, for tests of the limits. */
    public int openConnections() {
        return connector.getConnectedEndPoints().size();
    }

    public boolean isTls() {
        return tls;
    }

    /** When the certificate served now ends, renewals followed ({@link CertificateReload}); empty without TLS. */
    public Optional<Instant> certificateNotAfter() {
        CertificateReload reload = connector.getServer().getBean(CertificateReload.class);
        return reload == null ? Optional.empty() : reload.notAfter();
    }

    /** The base URL clients on this machine can use; wildcard hosts become 127.0.0.1. */
    public URI localUri() {
        String host = address.host().equals("0.0.0.0") || address.host().equals("::") ? "127.0.0.1" : address.host();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + port());
    }

    /**
     * Stops accepting connections and new requests, lets the requests in flight finish (downloads
     * included) for up to {@code wait}, then closes whatever is left.
     */
    public void stopGracefully(java.time.Duration wait) {
        connector.getServer().setStopTimeout(Math.max(1, wait.toMillis()));
        app.stop();
    }

    /** Requests being answered right now, for the shutdown log. */
    public long requestsInFlight() {
        GracefulHandler graceful = connector.getServer().getDescendant(GracefulHandler.class);
        return graceful == null ? 0 : graceful.getCurrentRequestCount();
    }

    @Override
    public void close() {
        app.stop();
    }
}
