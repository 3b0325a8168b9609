package dev.wharf.cli.epr;

import dev.wharf.cli.GracefulShutdown;
import dev.wharf.cli.LeftoverSweep;
import dev.wharf.cli.Listeners;
import dev.wharf.cli.WharfVersion;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.proxy.ProxyMode;
import dev.wharf.http.BoundPort;
import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.Readiness;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.ServerLimits;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.TlsCertificateMetrics;
import dev.wharf.http.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code package-registry [flags]}: serves the EPR API, with EPR's flag names and Wharf's OCI ones. */
@Command(name = "package-registry", sortOptions = false, usageHelpAutoWidth = true,
        description = "Elastic Package Registry API over package folders and zips, or over an OCI repository.%n"
                + "Every flag may also be set as EPR_<FLAG> (EPR_ADDRESS, EPR_OCI_PASSWORD, ...).",
        subcommands = {PushCommand.class, MirrorCommand.class, TokenCommand.class})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @SuppressWarnings("NullAway.Init")
    @Option(names = {"-address", "--address"}, defaultValue = "localhost:8080", description = "Address of the package-registry service (default: ${DEFAULT-VALUE}).")
    String address;
    @Option(names = {"-config", "--config"}, description = "Path to the configuration file (default: config.yml).")
    @Nullable Path config;
    @SuppressWarnings("NullAway.Init")
    @Option(names = {"-log-level", "--log-level"}, defaultValue = "info", description = "Log level: debug, info, warn, error; any other is refused.")
    String logLevel;
    @SuppressWarnings("NullAway.Init")
    @Option(names = {"-log-type", "--log-type"}, defaultValue = "ecs", description = "Log type: ecs (Elastic Common Schema JSON lines, the default) or dev (text); any other is refused.")
    String logType;
    @Option(names = {"-tls-cert", "--tls-cert"}, description = "Path of the TLS certificate (PEM).")
    @Nullable Path tlsCert;
    @Option(names = {"-tls-key", "--tls-key"}, description = "Path of the TLS key (PEM).")
    @Nullable Path tlsKey;
    @Option(names = {"-tls-min-version", "--tls-min-version"}, description = "Minimum TLS version: 1.1, 1.2 or 1.3.")
    @Nullable String tlsMinVersion;
    @Option(names = {"-metrics-address", "--metrics-address"}, description = "Address to expose Prometheus metrics (/metrics) and the detailed health report (/health, naming the registry and its errors) on.")
    @Nullable String metricsAddress;
    @Option(names = {"-access-log", "--access-log"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Log every request (method, route, status, bytes, duration, client, user agent; signatures and tokens redacted); =false turns it off (default: true).")
    boolean accessLog;
    @Option(names = {"-dry-run", "--dry-run"}, arity = "0..1", fallbackValue = "true", description = "Index the packages and exit without serving.")
    boolean dryRun;
    @Option(names = {"-disable-package-validation", "--disable-package-validation"}, arity = "0..1", fallbackValue = "true", description = "Disable package content validation.")
    boolean disableValidation;
    @Option(names = {"-require-package-signatures", "--require-package-signatures"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Require every package to have a signature (default: true; set =false for unsigned self-hosted packages).")
    boolean requireSignatures;
    @Option(names = {"-allow-unknown-query-parameters", "--allow-unknown-query-parameters"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Accept unknown query parameters (default: true, as EPR; =false answers 400).")
    boolean allowUnknown;
    @Option(names = {"-package-paths-enable-watcher", "--package-paths-enable-watcher"}, arity = "0..1", fallbackValue = "true",
            description = "Watch the package paths and re-read them when a zip or folder is added, changed or removed, without a restart (default: false).")
    boolean watchPackagePaths;
    @Option(names = {"-package-paths-workers", "--package-paths-workers"}, description = "Number of packages read at once from the package paths (default: the number of processors).")
    @Nullable Integer packagePathsWorkers;
    @Option(names = {"-V", "-version", "--version"}, description = "Print the version and git revision, and exit.")
    boolean version;

    @Option(names = {"-feature-oci-indexer", "--feature-oci-indexer"}, arity = "0..1", fallbackValue = "true", description = "Serve packages from an OCI repository (technical preview).")
    boolean ociIndexer;
    @Mixin
    OciOptions oci = new OciOptions();
    @SuppressWarnings("NullAway.Init")
    @Option(names = {"-oci-refresh-interval", "--oci-refresh-interval"}, defaultValue = "1m", description = "How often to re-read the repository, as a Go duration; 0 never (default: ${DEFAULT-VALUE}).")
    String ociRefreshInterval;
    @SuppressWarnings("NullAway.Init")
    @Option(names = {"-oci-verify-interval", "--oci-verify-interval"}, defaultValue = "24h",
            description = "How long known tags are trusted before every tag's manifest is read again to catch a re-pointed tag, as a Go duration; 0 on every refresh (default: ${DEFAULT-VALUE}).")
    String ociVerifyInterval;
    @Option(names = {"-oci-health-timeout", "--oci-health-timeout"}, defaultValue = "2s",
            description = "Deadline of the live registry probe behind /health; a registry that does not answer in time makes /health say degraded (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init")
    String ociHealthTimeout;
    @SuppressWarnings("NullAway.Init")
    @Option(names = {"-oci-cache-dir", "--oci-cache-dir"}, defaultValue = ".wharf-epr-cache", description = "Where parsed packages, zips and the last index are kept (default: ${DEFAULT-VALUE}).")
    Path ociCacheDir;
    @Option(names = {"-max-package-size", "--max-package-size"}, defaultValue = "536870912", description = "Largest package zip accepted, in bytes (default: ${DEFAULT-VALUE}).")
    long maxPackageSize;
    @Mixin
    PackageLimitOptions packageLimits = new PackageLimitOptions();
    @Mixin
    ProxyModeOptions proxyMode = new ProxyModeOptions();
    @Mixin
    PublishFlags publish = new PublishFlags();

    @Option(names = {"-http-idle-timeout", "--http-idle-timeout"}, defaultValue = "30s",
            description = "Close a connection on which no byte moved for this long, a stalled download included, as a Go duration (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init")
    String httpIdleTimeout;
    @Option(names = {"-http-max-connections", "--http-max-connections"}, defaultValue = "" + ServerLimits.DEFAULT_MAX_CONNECTIONS,
            description = "Open client connections at most; further ones wait until one closes (default: ${DEFAULT-VALUE}).")
    int httpMaxConnections;

    @Option(names = {"-http-trust-forwarded", "--http-trust-forwarded"},
            description = "Take the scheme, host and port clients used from X-Forwarded-Proto, -Host and -Port: behind a"
                    + " TLS-terminating proxy or ingress that sets them, for the UI's Secure cookies and same-origin checks.")
    boolean httpTrustForwarded;

    @Option(names = {"-http-hsts", "--http-hsts"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Answer requests that came over TLS (this server's, or a trusted proxy's X-Forwarded-Proto) with"
                    + " Strict-Transport-Security: max-age=31536000; =false leaves it to a proxy in front, or to a host name"
                    + " that also serves plain http on another port (default: true).")
    boolean httpHsts = true;

    @Option(names = {"-http-trusted-proxies", "--http-trusted-proxies"}, split = ",", paramLabel = "CIDR",
            description = "Addresses and CIDR ranges of the proxies in front, whose X-Forwarded-For names the client: the"
                    + " access log and the publish audit then show the client's address, not the proxy's; with"
                    + " -http-trust-forwarded, only these may set the scheme and host.")
    List<String> httpTrustedProxies = new ArrayList<>();

    @Option(names = {"-shutdown-timeout", "--shutdown-timeout"}, defaultValue = "25s",
            description = "On SIGTERM, stop accepting and give the requests in flight (downloads included) this long to finish, as a Go duration (default: ${DEFAULT-VALUE}).")
    @SuppressWarnings("NullAway.Init")
    String shutdownTimeout;

    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (version) {
            out.println(WharfVersion.current().line("package-registry") + ", Elastic Package Registry API " + EprApi.EPR_API_VERSION);
            out.flush();
            return 0;
        }
        if (!EprLogging.LOG_TYPES.contains(logType)) {
            err.println("package-registry: unknown -log-type '" + logType + "' (use ecs or dev)");
            return 2;
        }
        if (EprLogging.level(logLevel).isEmpty()) {
            err.println("package-registry: unknown -log-level '" + logLevel + "' (use debug, info, warn or error)");
            return 2;
        }
        EprLogging.configure(logLevel, logType);
        var log = LoggerFactory.getLogger("package-registry");
        Optional<ServeSettings> checked = ServeSettings.check(this, err);
        if (checked.isEmpty()) {
            return 2;
        }
        ServeSettings settings = checked.get();
        RegistryConfig cfg = settings.config();
        EprTelemetry telemetry = EprTelemetry.create(ociIndexer, metricsAddress);
        PackageSource source = PackageSource.open(this, settings, telemetry, log);
        Optional<ProxyMode> proxy;
        try {
            proxy = proxyMode.open(source.pullThroughTarget());
        } catch (IllegalArgumentException e) {
            err.println("package-registry: " + e.getMessage());
            source.close();
            return 2;
        }
        if (proxy.isPresent()) {
            log.info("Technical preview: Proxy mode is an experimental feature and it may be unstable.");
        }
        Indexer indexer = source.indexer();
        FirstIndex firstIndex = new FirstIndex(cfg.packagePaths(), ociIndexer, watchPackagePaths, err, log);
        if (dryRun) {
            int exit = firstIndex.run(indexer, proxy.isPresent()) ? 0 : 1;
            source.close();
            return exit;
        }
        ReadyAnswers ready = new ReadyAnswers(16L << 20);
        Readiness readiness = new Readiness();
        PackageRegistryRoutes routes = PackageRegistryRoutes.over(source, cfg.apiSettings(allowUnknown), ready, readiness, telemetry.epr(), proxy,
                settings.tokens());
        Optional<TlsFiles> tls = TlsFiles.of(tlsCert, tlsKey, tlsMinVersion);
        // The ports are bound before the index opens its first connection (BoundPort says why).
        BoundPort apiPort;
        try {
            apiPort = Listeners.bind("-address", address);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        BoundPort metricsPort;
        try {
            metricsPort = telemetry.bind();
        } catch (RuntimeException e) {
            apiPort.close();
            source.close();
            throw e;
        }
        // Bound before the shutdown hook exists: a port in use ends the process at once, with nothing to drain.
        GracefulShutdown shutdown = GracefulShutdown.install(readiness, settings.drain());
        // Listening during the first index, so that liveness (/health) answers during a long first
        // index and readiness (/health?ready=true) tells a balancer when to send traffic. The index starts
        // first, on its own thread: its registry calls overlap the listeners' start (issue 19, session 10).
        FirstIndex.Running indexing = firstIndex.start(indexer, proxy.isPresent());
        LeftoverSweep.of(ociIndexer ? oci.layoutFolder() : Optional.empty(), log).inBackground();
        shutdown.onSignal(indexing::stop);
        try (WebServer server = Listeners.start("-address", () -> WebServer.start(apiPort, tls, Optional.of(ready),
                telemetry.readyHits(), telemetry.exchanges(accessLog), settings.limits(), c -> {
                    routes.register(c);
                    CredentialThrottle.install(c, settings.failures(), PublishFlags.guarded(), telemetry.registry());
                }));
                WebServer metricsServer = telemetry.startListener(metricsPort, routes.api())) {
            TlsCertificateMetrics.bindTo(telemetry.registry(), server);
            FirstIndex.Outcome indexed = indexing.await();
            if (indexed == FirstIndex.Outcome.NOTHING_TO_SERVE) {
                return 1;
            }
            if (indexed == FirstIndex.Outcome.STOPPED) {
                log.info("stopped before the first index was loaded");
                return 0;
            }
            readiness.ready();
            log.info("Package registry started on {} ({})", server.boundAddress(), tls.isPresent() ? "TLS" : "plain HTTP");
            if (metricsServer != null) {
                log.info("Metrics and detailed health on {} (/metrics, /health)", metricsServer.boundAddress());
            }
            shutdown.awaitSignal();
            shutdown.drain(server, log);
        } finally {
            source.close();
            shutdown.finished();
        }
        return 0;
    }
}
