package dev.wharf.cli.epr;

import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.epr.publish.PackageUploadApi;
import dev.wharf.epr.ui.PackageUi;
import dev.wharf.http.access.PublishAudit;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import dev.wharf.cli.logging.ConsoleLogging;
import dev.wharf.cli.logging.EcsKeyValueEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.wharf.cli.GracefulShutdown;
import dev.wharf.cli.Listeners;
import dev.wharf.cli.WharfVersion;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.fs.PackagePathsOptions;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerException;
import dev.wharf.epr.index.IndexerTiming;
import dev.wharf.epr.oci.CacheLockedIndexer;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.StorageCheckedIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.Readiness;
import dev.wharf.epr.api.EprMetrics;
import dev.wharf.epr.api.EprRoutes;
import dev.wharf.http.AccessLog;
import dev.wharf.http.ExchangeObserver;
import dev.wharf.http.HttpMetrics;
import dev.wharf.http.InFlightRequests;
import dev.wharf.http.ProcessMetrics;
import dev.wharf.http.ReadyAnswerCounter;
import dev.wharf.http.RegistryCallMetrics;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.ServerLimits;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.FailureWatchingStore;
import dev.wharf.oci.StoreProbe;
import io.micrometer.core.instrument.Gauge;
import java.util.ArrayList;
import java.util.List;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
    @Option(names = {"-log-level", "--log-level"}, defaultValue = "info", description = "Log level: debug, info, warn, error.")
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
        if (!LOG_TYPES.contains(logType)) {
            err.println("package-registry: unknown -log-type '" + logType + "' (use ecs or dev)");
            return 2;
        }
        configureLogging(logLevel, logType);
        var log = LoggerFactory.getLogger("package-registry");
        if (tlsMinVersion != null && (tlsCert == null || tlsKey == null)) {
            err.println("-tls-min-version set but missing TLS cert and key files (-tls-cert and -tls-key)");
            return 2;
        }
        if (tlsMinVersion != null && !java.util.Set.of("1.1", "1.2", "1.3").contains(tlsMinVersion)) {
            err.println("unsupported TLS version: " + tlsMinVersion);
            return 2;
        }
        ServerLimits limits;
        try {
            limits = new ServerLimits(RegistryConfig.parseDuration(httpIdleTimeout), httpMaxConnections);
        } catch (IllegalArgumentException | java.io.IOException e) {
            err.println("package-registry: -http-idle-timeout / -http-max-connections: " + e.getMessage());
            return 2;
        }
        if (packagePathsWorkers != null && packagePathsWorkers <= 0) {
            err.println("package-registry: package-paths-workers must be greater than 0");
            return 2;
        }
        Duration drain;
        try {
            drain = RegistryConfig.parseDuration(shutdownTimeout);
        } catch (IllegalArgumentException | java.io.IOException e) {
            err.println("package-registry: -shutdown-timeout: " + e.getMessage());
            return 2;
        }
        RegistryConfig cfg = RegistryConfig.load(config == null ? Path.of("config.yml") : config, config != null);
        if (watchPackagePaths && cfg.packagePaths().isEmpty() && !ociIndexer) {
            err.println("package-registry: no package paths configured, cannot enable watcher");
            return 2;
        }
        Duration refresh = RegistryConfig.parseDuration(ociRefreshInterval.equals("0") ? "0s" : ociRefreshInterval);
        Duration verify = RegistryConfig.parseDuration(ociVerifyInterval.equals("0") ? "0s" : ociVerifyInterval);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessMetrics.bindTo(metrics);
        InFlightRequests inFlight = new InFlightRequests();
        EprMetrics eprMetrics = new EprMetrics(metrics, EprApi.EPR_API_VERSION, hostname(), ociIndexer ? "oci" : "local", inFlight);
        Indexer indexer;
        ArtifactStore store = null;
        Optional<ProxyModeOptions.PullThroughTarget> pullThroughTarget = Optional.empty();
        Optional<PackageUploadApi> upload = Optional.empty();
        Optional<dev.wharf.http.access.TokensFile> tokens = publish.tokens();
        if (tokens.isPresent() && !ociIndexer) {
            err.println("package-registry: -auth-tokens-file enables publishing, which needs -feature-oci-indexer");
            return 2;
        }
        if (ociIndexer) {
            if (!oci.hasRegistry()) {
                err.println("-feature-oci-indexer needs -oci-registry (or EPR_OCI_REGISTRY)");
                return 2;
            }
            store = oci.open(new RegistryCallMetrics(metrics));
            if (oci.insecure) {
                log.warn("-oci-insecure: the registry's certificate is not checked and plain HTTP is allowed; for a private CA use -oci-ca-file instead");
            }
            log.info("Technical preview: OCI indexer on {}/{}", store.describe(), oci.repository);
            // The indexer reads through a watcher, so /health can report faults the live probe cannot see.
            FailureWatchingStore watched = new FailureWatchingStore(store, Clock.systemUTC());
            OciIndexer ociIndex = new OciIndexer(watched, OciIndexerSettings.of(oci.repository, ociCacheDir)
                    .withValidation(!disableValidation)
                    .withRequiredSignatures(requireSignatures)
                    .withMaxPackageBytes(maxPackageSize)
                    .withRefreshInterval(refresh)
                    .withVerifyInterval(verify)
                    .withArchiveLimits(packageLimits.limits()), eprMetrics);
            pullThroughTarget = Optional.of(new ProxyModeOptions.PullThroughTarget(new PackagePublisher(store, oci.repository,
                    maxPackageSize, !disableValidation, packageLimits.limits()), maxPackageSize, ociCacheDir.resolve("pull-through"), ociIndex::refresh));
            if (tokens.isPresent()) {
                upload = Optional.of(new PackageUploadApi(tokens.get(), new PackagePublisher(store, oci.repository, maxPackageSize,
                        !disableValidation, packageLimits.limits()), ociIndex::refresh, new PublishAudit(metrics), maxPackageSize));
            }
            indexer = new CacheLockedIndexer(new StorageCheckedIndexer(ociIndex,
                    new StoreProbe(store, oci.repository, RegistryConfig.parseDuration(ociHealthTimeout)), watched), ociCacheDir);
        } else {
            log.info("Packages paths: {}", cfg.packagePaths());
            PackagePathsOptions paths = PackagePathsOptions.defaults().withWatcher(watchPackagePaths && !dryRun);
            indexer = new FileSystemIndexer(cfg.packagePaths(), !disableValidation, requireSignatures, packageLimits.limits(),
                    Clock.systemUTC(), packagePathsWorkers == null ? paths : paths.withWorkers(packagePathsWorkers));
        }
        Optional<dev.wharf.epr.proxy.ProxyMode> proxy;
        try {
            proxy = proxyMode.open(pullThroughTarget);
        } catch (IllegalArgumentException e) {
            err.println("package-registry: " + e.getMessage());
            indexer.close();
            if (store != null) {
                store.close();
            }
            return 2;
        }
        if (proxy.isPresent()) {
            log.info("Technical preview: Proxy mode is an experimental feature and it may be unstable.");
        }
        if (dryRun) {
            return startIndex(indexer, cfg, proxy.isPresent(), err, log) ? closed(indexer, 0) : closed(indexer, 1);
        }
        IndexerTiming timing = eprMetrics.watch(indexer);
        ReadyAnswers ready = new ReadyAnswers(16L << 20);
        Readiness readiness = new Readiness();
        EprApi api = new EprApi(indexer, cfg.apiSettings(allowUnknown), Clock.systemUTC(), ready, timing, readiness, proxy.orElse(null));
        Optional<TlsFiles> tls = TlsFiles.of(tlsCert, tlsKey, tlsMinVersion);
        Optional<PackageUploadApi> finalUpload = upload;
        PackageUi ui = new PackageUi(indexer, tokens, Clock.systemUTC(), ready);
        List<ExchangeObserver> exchanges = new ArrayList<>();
        if (metricsAddress != null) {
            exchanges.addAll(List.of(inFlight, new HttpMetrics(metrics, HttpMetrics.ELASTIC_PACKAGE_REGISTRY, EprRoutes::template), eprMetrics));
        }
        if (accessLog) {
            exchanges.add(new AccessLog());
        }
        RequestObserver readyHits = metricsAddress == null ? RequestObserver.NONE : new ReadyAnswerCounter(metrics);
        GracefulShutdown shutdown = GracefulShutdown.install(readiness, drain);
        // Listening before the first index, so that liveness (/health) answers during a long first
        // index and readiness (/health?ready=true) tells a balancer when to send traffic.
        try (WebServer server = Listeners.start("-address", () -> WebServer.start(ListenAddress.parse(address), tls, Optional.of(ready),
                readyHits, exchanges, limits, c -> {
                    api.register(c);
                    finalUpload.ifPresent(u -> u.register(c));
                    ui.register(c);
                }));
                WebServer metricsServer = metricsAddress == null ? null
                        : Listeners.start("-metrics-address", () -> WebServer.start(ListenAddress.parse(java.util.Objects.requireNonNull(metricsAddress)), Optional.empty(), c -> {
                            c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                    .result(metrics.scrape()));
                            api.registerDetailedHealth(c);
                        }))) {
            if (!startIndex(indexer, cfg, proxy.isPresent(), err, log)) {
                return 1;
            }
            readiness.ready();
            log.info("Package registry started on {} ({})", server.boundAddress(), tls.isPresent() ? "TLS" : "plain HTTP");
            if (metricsServer != null) {
                log.info("Metrics and detailed health on {} (/metrics, /health)", metricsServer.boundAddress());
            }
            shutdown.awaitSignal();
            shutdown.drain(server, log);
        } finally {
            indexer.close();
            if (store != null) {
                store.close();
            }
            shutdown.finished();
        }
        return 0;
    }

    /** The first index; false (with the reason printed) when there is nothing to serve. */
    private boolean startIndex(Indexer indexer, RegistryConfig cfg, boolean proxy, PrintWriter err, org.slf4j.Logger log) {
        try {
            indexer.start();
        } catch (IndexerException e) {
            err.println("package-registry: " + e.getMessage());
            return false;
        }
        if (indexer.packages().isEmpty() && proxy) {
            log.info("No local packages found, but the proxy mode can access remote ones.");
        } else if (indexer.packages().isEmpty() && !ociIndexer) {
            if (!watchPackagePaths) {
                err.println("package-registry: No local packages found in " + cfg.packagePaths());
                return false;
            }
            log.warn("No packages found at startup in {}: serving nothing until the watcher sees some", cfg.packagePaths());
        }
        log.info("{} package manifests loaded", indexer.packages().size());
        return true;
    }

    private static int closed(Indexer indexer, int exit) {
        indexer.close();
        return exit;
    }

    /** EPR's two log types: {@code ecs}, Elastic Common Schema JSON lines, and {@code dev}, plain text. */
    static final java.util.Set<String> LOG_TYPES = java.util.Set.of("ecs", "dev");

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    static void configureLogging(String level, String type) {
        ConsoleLogging.install(Level.toLevel(level, Level.INFO), () -> {
            if ("dev".equals(type)) {
                PatternLayoutEncoder pattern = new PatternLayoutEncoder();
                pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} %msg%n");
                return pattern;
            }
            EcsKeyValueEncoder ecs = new EcsKeyValueEncoder();
            ecs.setServiceName("package-registry");
            ecs.setServiceVersion(EprApi.EPR_API_VERSION);
            return ecs;
        });
    }
}
