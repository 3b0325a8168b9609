package dev.wharf.cli.epr;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.wharf.cli.Listeners;
import dev.wharf.cli.WharfVersion;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerException;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestCounters;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        subcommands = PushCommand.class)
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-address", "--address"}, defaultValue = "localhost:8080", description = "Address of the package-registry service (default: ${DEFAULT-VALUE}).")
    String address;
    @Option(names = {"-config", "--config"}, description = "Path to the configuration file (default: config.yml).")
    Path config;
    @Option(names = {"-log-level", "--log-level"}, defaultValue = "info", description = "Log level: debug, info, warn, error.")
    String logLevel;
    @Option(names = {"-log-type", "--log-type"}, defaultValue = "ecs", description = "Log type: ecs (JSON lines) or dev.")
    String logType;
    @Option(names = {"-tls-cert", "--tls-cert"}, description = "Path of the TLS certificate (PEM).")
    Path tlsCert;
    @Option(names = {"-tls-key", "--tls-key"}, description = "Path of the TLS key (PEM).")
    Path tlsKey;
    @Option(names = {"-tls-min-version", "--tls-min-version"}, description = "Minimum TLS version: 1.1, 1.2 or 1.3.")
    String tlsMinVersion;
    @Option(names = {"-metrics-address", "--metrics-address"}, description = "Address to expose Prometheus metrics on (/metrics).")
    String metricsAddress;
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
    @Option(names = {"-V", "-version", "--version"}, description = "Print the version and git revision, and exit.")
    boolean version;

    @Option(names = {"-feature-oci-indexer", "--feature-oci-indexer"}, arity = "0..1", fallbackValue = "true", description = "Serve packages from an OCI repository (technical preview).")
    boolean ociIndexer;
    @Mixin
    OciOptions oci = new OciOptions();
    @Option(names = {"-oci-refresh-interval", "--oci-refresh-interval"}, defaultValue = "1m", description = "How often to re-read the repository, as a Go duration; 0 never (default: ${DEFAULT-VALUE}).")
    String ociRefreshInterval;
    @Option(names = {"-oci-verify-interval", "--oci-verify-interval"}, defaultValue = "24h",
            description = "How long known tags are trusted before every tag's manifest is read again to catch a re-pointed tag, as a Go duration; 0 on every refresh (default: ${DEFAULT-VALUE}).")
    String ociVerifyInterval;
    @Option(names = {"-oci-cache-dir", "--oci-cache-dir"}, defaultValue = ".wharf-epr-cache", description = "Where parsed packages, zips and the last index are kept (default: ${DEFAULT-VALUE}).")
    Path ociCacheDir;
    @Option(names = {"-max-package-size", "--max-package-size"}, defaultValue = "536870912", description = "Largest package zip accepted, in bytes (default: ${DEFAULT-VALUE}).")
    long maxPackageSize;

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
        RegistryConfig cfg = RegistryConfig.load(config == null ? Path.of("config.yml") : config, config != null);
        Duration refresh = RegistryConfig.parseDuration(ociRefreshInterval.equals("0") ? "0s" : ociRefreshInterval);
        Duration verify = RegistryConfig.parseDuration(ociVerifyInterval.equals("0") ? "0s" : ociVerifyInterval);
        Indexer indexer;
        ArtifactStore store = null;
        if (ociIndexer) {
            if (!oci.hasRegistry()) {
                err.println("-feature-oci-indexer needs -oci-registry (or EPR_OCI_REGISTRY)");
                return 2;
            }
            store = oci.open();
            if (oci.insecure) {
                log.warn("-oci-insecure: the registry's certificate is not checked and plain HTTP is allowed; for a private CA use -oci-ca-file instead");
            }
            log.info("Technical preview: OCI indexer on {}/{}", store.describe(), oci.repository);
            indexer = new OciIndexer(store, oci.repository, ociCacheDir, !disableValidation, requireSignatures,
                    maxPackageSize, refresh, verify, Clock.systemUTC());
        } else {
            log.info("Packages paths: {}", cfg.packagePaths());
            indexer = new FileSystemIndexer(cfg.packagePaths(), !disableValidation, requireSignatures, Clock.systemUTC());
        }
        try {
            indexer.start();
        } catch (IndexerException e) {
            err.println("package-registry: " + e.getMessage());
            return 1;
        }
        if (indexer.packages().isEmpty() && !ociIndexer) {
            err.println("package-registry: No local packages found in " + cfg.packagePaths());
            return 1;
        }
        log.info("{} package manifests loaded", indexer.packages().size());
        if (dryRun) {
            indexer.close();
            return 0;
        }
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("epr_number_indexed_packages", indexer, i -> i.packages().size())
                .description("Number of indexed packages").register(metrics);
        ReadyAnswers ready = new ReadyAnswers(16L << 20);
        EprApi api = new EprApi(indexer, cfg.apiSettings(allowUnknown), Clock.systemUTC(), ready);
        Optional<TlsFiles> tls = TlsFiles.of(tlsCert, tlsKey, tlsMinVersion);
        // Requests answered in front of the router are counted here; the others by the after() below.
        Optional<RequestCounters> counters = Optional.ofNullable(metricsAddress).map(a -> new RequestCounters(metrics, "epr_http_requests_total"));
        try (WebServer server = Listeners.start("-address", () -> WebServer.start(ListenAddress.parse(address), tls, Optional.of(ready),
                counters.<RequestObserver>map(k -> k).orElse(RequestObserver.NONE), c -> {
            api.register(c);
            counters.ifPresent(k -> c.routes.after(k::record));
        }));
                WebServer metricsServer = metricsAddress == null ? null
                        : Listeners.start("-metrics-address", () -> WebServer.start(ListenAddress.parse(metricsAddress), Optional.empty(),
                                c -> c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                                        .result(metrics.scrape()))))) {
            log.info("Package registry started on {}", server.localUri());
            if (metricsServer != null) {
                log.info("Metrics on {}/metrics", metricsServer.localUri());
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        } finally {
            indexer.close();
            if (store != null) {
                store.close();
            }
        }
        return 0;
    }

    static void configureLogging(String level, String type) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.detachAndStopAllAppenders();
        Encoder<ILoggingEvent> encoder;
        if ("dev".equals(type)) {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} %msg%n");
            encoder = pattern;
        } else {
            encoder = new JsonEncoder();
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        root.addAppender(console);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("io.javalin").setLevel(Level.WARN);
    }
}
