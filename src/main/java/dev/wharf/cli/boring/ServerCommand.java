package dev.wharf.cli.boring;

import dev.wharf.cli.GracefulShutdown;
import dev.wharf.cli.LeftoverSweep;
import dev.wharf.cli.Listeners;
import dev.wharf.cli.logging.ConsoleLogging;
import dev.wharf.http.BoundPort;
import dev.wharf.http.ProcessMetrics;
import dev.wharf.http.Readiness;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RegistryCallMetrics;
import dev.wharf.http.ServerLimits;
import dev.wharf.http.TlsCertificateMetrics;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.WebServer;
import dev.wharf.http.access.FailedCredentials;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.web.MirrorApi;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code boring-registry server}: the Terraform registry on one address, metrics and health on another. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Start the Terraform module and provider registry")
public final class ServerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    @Mixin
    GlobalOptions global;

    @SuppressWarnings("NullAway.Init")
    @Option(names = "--listen-address", defaultValue = ":5601", description = "Address to serve the registry on (BORING_REGISTRY_LISTEN_ADDRESS; default ${DEFAULT-VALUE})")
    String listenAddress;

    @SuppressWarnings("NullAway.Init")
    @Option(names = "--listen-telemetry-address", defaultValue = ":7801",
            description = "Address to serve /metrics and /health on (BORING_REGISTRY_LISTEN_TELEMETRY_ADDRESS; default ${DEFAULT-VALUE})")
    String telemetryAddress;

    @Option(names = "--storage-oci-health-timeout", defaultValue = "2s", converter = Durations.class, paramLabel = "DURATION",
            description = "Deadline of the storage probe behind /health: a registry that does not answer in time is reported"
                    + " unhealthy (BORING_REGISTRY_STORAGE_OCI_HEALTH_TIMEOUT; default ${DEFAULT-VALUE})")
    @SuppressWarnings("NullAway.Init")
    Duration healthTimeout;

    @Option(names = "--tls-cert-file", description = "PEM certificate chain for HTTPS (BORING_REGISTRY_TLS_CERT_FILE)")
    @Nullable Path tlsCert;

    @Option(names = "--tls-key-file", description = "PEM private key for HTTPS (BORING_REGISTRY_TLS_KEY_FILE)")
    @Nullable Path tlsKey;

    @Option(names = "--download-proxy", fallbackValue = "true", arity = "0..1",
            description = "Always stream files through Wharf, even where the registry offers a direct blob URL (BORING_REGISTRY_DOWNLOAD_PROXY; default false)")
    boolean downloadProxy;

    @Option(names = {"--auth-static-token", "--api-key"}, showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Comma-separated static API tokens; clients send Authorization: Bearer <token> (BORING_REGISTRY_AUTH_STATIC_TOKEN)")
    List<String> staticTokens = new ArrayList<>();

    @SuppressWarnings("NullAway.Init")
    @Option(names = "--cache-tags-ttl", defaultValue = "30s", converter = Durations.class,
            description = "How long version lists are cached; 0 disables (BORING_REGISTRY_CACHE_TAGS_TTL; default ${DEFAULT-VALUE})")
    Duration tagTtl;

    @SuppressWarnings("NullAway.Init")
    @Option(names = "--cache-manifests-ttl", defaultValue = "24h", converter = Durations.class,
            description = "How long a version found once is trusted while its tag is still listed, so a new upload costs one lookup, "
                    + "not one per version; a tag re-pointed by another tool is seen after this at the latest; "
                    + "never less than --cache-tags-ttl (BORING_REGISTRY_CACHE_MANIFESTS_TTL; default ${DEFAULT-VALUE})")
    Duration manifestTtl;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--download-cache-dir", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Keep files streamed from the OCI registry (with --download-proxy, or where the registry offers no direct URL) "
                    + "in this folder, by digest, and send them from there next time; unset: stream every download from the registry "
                    + "(BORING_REGISTRY_DOWNLOAD_CACHE_DIR)")
    @Nullable String downloadCacheDir;

    @Option(names = "--download-cache-max-size", defaultValue = "1024",
            description = "Megabytes the download cache folder may hold; the least recently used files go first "
                    + "(BORING_REGISTRY_DOWNLOAD_CACHE_MAX_SIZE; default ${DEFAULT-VALUE})")
    long downloadCacheMegabytes;

    @SuppressWarnings("NullAway.Init")
    @Option(names = "--signed-url-ttl", defaultValue = "5m", converter = Durations.class,
            description = "Lifetime of signed file URLs handed to terraform when tokens are set (BORING_REGISTRY_SIGNED_URL_TTL; default ${DEFAULT-VALUE})")
    Duration signedUrlTtl;

    @Option(names = "--signed-url-key", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Secret (16+ characters) that signs file URLs; share it between instances behind one load balancer."
                    + " Default: random per process (BORING_REGISTRY_SIGNED_URL_KEY)")
    @Nullable String signedUrlKey;

    @Option(names = "--signed-url-accepted-keys", split = ",", paramLabel = "KEY",
            description = "Further keys whose signatures file URLs may carry, never used to sign: to rotate --signed-url-key"
                    + " across replicas without a refused URL (BORING_REGISTRY_SIGNED_URL_ACCEPTED_KEYS)")
    List<String> signedUrlAcceptedKeys = new ArrayList<>();

    @Option(names = "--access-log", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Log every request (method, route, status, bytes, duration, client, user agent; signatures and tokens"
                    + " redacted) on the logger http.access; =false turns it off (BORING_REGISTRY_ACCESS_LOG; default ${DEFAULT-VALUE})")
    boolean accessLog;

    @Option(names = "--shutdown-timeout", defaultValue = "25s", converter = Durations.class, paramLabel = "DURATION",
            description = "On SIGTERM, stop accepting and give the requests in flight (downloads included) this long to finish"
                    + " (BORING_REGISTRY_SHUTDOWN_TIMEOUT; default ${DEFAULT-VALUE})")
    @SuppressWarnings("NullAway.Init")
    Duration shutdownTimeout;

    @Mixin
    MirrorOptions mirror;

    @Mixin
    OidcOptions oidc;

    private final Readiness readiness = new Readiness();
    @Mixin
    PublishOptions publish;

    @Mixin
    ThrottleOptions throttle;

    @Mixin
    HttpOptions http;

    /** What failed credential checks are counted by: tests pass a clock they move. */
    private final Clock clock;

    public ServerCommand() {
        this(Clock.systemUTC());
    }

    public ServerCommand(Clock clock) {
        this.clock = clock;
    }

    /** The running registry and telemetry servers and the store behind them; closing stops all three. */
    public record Running(WebServer registry, WebServer telemetry, ArtifactStore store, RegistryRoutes routes) implements AutoCloseable {
        /** Lets the registry's requests in flight finish (up to the shutdown's drain time), then closes everything. */
        void drainAndClose(GracefulShutdown shutdown) {
            try (Running self = this) {
                shutdown.drain(registry, LOG);
            }
        }

        @Override
        public void close() {
            // Closed in reverse: the listeners first, so that no request still uses the routes' scratch folder.
            try (routes; store; telemetry; registry) {
                LOG.debug("stopping");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Running running = start();
        GracefulShutdown shutdown = GracefulShutdown.install(readiness, shutdownTimeout);
        try {
            shutdown.awaitSignal();
            running.drainAndClose(shutdown);
        } finally {
            shutdown.finished();
        }
        return 0;
    }

    /** Starts serving as the options say and returns at once. */
    public Running start() {
        ServerLimits limits = checkedLimits();
        FailedCredentials failures = throttle.failures(clock, spec.commandLine());
        Logging.configure(global);
        TerraformLayout layout = global.terraformLayout();
        // Both ports bound before anything opens a connection (the OIDC discovery, the storage probe): BoundPort says why.
        BoundPort registryPort = Listeners.bind("--listen-address", listenAddress);
        BoundPort telemetryPort;
        try {
            telemetryPort = Listeners.bind("--listen-telemetry-address", telemetryAddress);
        } catch (RuntimeException e) {
            registryPort.close();
            throw e;
        }
        try {
            return serve(registryPort, telemetryPort, limits, failures, layout);
        } catch (RuntimeException e) {
            // Ports a listener took are closed by its server already; closing them again is harmless.
            registryPort.close();
            telemetryPort.close();
            throw e;
        }
    }

    private Running serve(BoundPort registryPort, BoundPort telemetryPort, ServerLimits limits, FailedCredentials failures,
                          TerraformLayout layout) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Before the store is opened, as the other flag checks: a key too short is refused with nothing opened.
        var signer = SignedUrlKeys.signer(signedUrlKey, signedUrlAcceptedKeys, signedUrlTtl);
        ArtifactStore opened = Storage.openForServing(global, new RegistryCallMetrics(metrics), LOG);
        ClientAccess access;
        try {
            access = ClientAccess.connect(staticTokens, signer, oidc, publish, spec.commandLine());
        } catch (RuntimeException e) {
            opened.close();  // an auth flag refused: nothing is served, so nothing stays open
            throw e;
        }
        StorageStack storage = StorageStack.over(opened, global, downloadCacheDir, downloadCacheMegabytes, tagTtl, manifestTtl, LOG);
        // Probed while the routes and listeners are built, not after: the probe's first call learns how the
        // registry answers (insecure mode: a TLS attempt, then plain HTTP), which the first request would
        // otherwise wait for, a third of a second of its start (issue 19, session 10).
        StorageHealth health = storage.health(layout.base(), healthTimeout);
        LeftoverSweep.of(Storage.embedded(global) ? Optional.of(Path.of(global.layoutDir)) : Optional.empty(), LOG).inBackground();
        if (Storage.embedded(global)) {
            readiness.ready();
        } else {
            StartProbe.inBackground(health, readiness);
        }
        ReadyAnswers ready = new ReadyAnswers(16L << 20);
        RegistryRoutes routes = RegistryRoutes.assemble(TerraformServices.over(storage, layout, global, tagTtl, metrics), access,
                downloadProxy, ready, mirror, publish.maxBodyBytes, metrics, LOG);
        Optional<TlsFiles> tls = TlsFiles.of(tlsCert, tlsKey, null);
        WebServer registry;
        try {
            registry = RegistryListener.start(registryPort, tls, ready, limits, routes, metrics, accessLog, failures);
        } catch (RuntimeException e) {
            routes.close();
            throw e;
        }
        // The JVM's own meters are read only through the telemetry listener, started below: bound here, the
        // registry's first answers no longer wait for their binders (issue 19, session 10).
        ProcessMetrics.bindTo(metrics);
        ConsoleLogging.bindDroppedLines(metrics);
        TlsCertificateMetrics.bindTo(metrics, registry);
        WebServer telemetry;
        try {
            telemetry = TelemetryListener.start(telemetryPort, metrics, health, readiness, access::issuerUnreachable);
        } catch (RuntimeException e) {
            registry.close();
            routes.close();
            throw e;
        }
        LOG.info("boring-registry listening on {} ({}), telemetry on {}{}", registry.boundAddress(),
                tls.isPresent() ? "TLS" : "plain HTTP", telemetry.boundAddress(), access.startNote());
        SignedUrlKeys.warnIfPerProcess(signedUrlKey, access.auth().enabled(), LOG);
        if (routes.servesMirror()) {
            LOG.info("provider network mirror at {} on the registry address{}", MirrorApi.PREFIX, mirror.pullThrough() ? " (pull-through)" : "");
        }
        return new Running(registry, telemetry, storage.cached(), routes);
    }

    /** Checked before storage is opened, so that a bad flag leaves nothing open behind it. */
    private ServerLimits checkedLimits() {
        if (downloadCacheMegabytes <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--download-cache-max-size must be a positive number of megabytes, not " + downloadCacheMegabytes);
        }
        if (publish.maxBodyBytes <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--publish-max-size must be a positive number of bytes");
        }
        return http.limits(spec.commandLine());
    }
}
