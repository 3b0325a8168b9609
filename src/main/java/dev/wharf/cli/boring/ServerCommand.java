package dev.wharf.cli.boring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.AccessLog;
import dev.wharf.http.CacheMetrics;
import dev.wharf.http.ExchangeObserver;
import dev.wharf.http.HttpMetrics;
import dev.wharf.cli.GracefulShutdown;
import dev.wharf.cli.Listeners;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ProcessMetrics;
import dev.wharf.http.ReadyAnswerCounter;
import dev.wharf.http.RegistryCallMetrics;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.Readiness;
import dev.wharf.http.RequestTimers;
import dev.wharf.http.ServerLimits;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.FailureWatchingStore;
import dev.wharf.oci.StoreProbe;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.cache.DiskBlobCache;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.auth.LoginV1;
import dev.wharf.terraform.auth.OidcVerifier;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.docs.ModuleDocumentation;
import dev.wharf.terraform.layout.RepositoryLayout;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.web.FileUrlSigner;
import dev.wharf.terraform.web.MirrorApi;
import dev.wharf.terraform.web.OperationCounters;
import dev.wharf.terraform.web.StaticTokens;
import dev.wharf.terraform.web.TerraformApi;
import dev.wharf.terraform.web.ModuleDiscoveryApi;
import dev.wharf.terraform.discovery.ModuleCatalog;
import dev.wharf.terraform.publish.PublishApi;
import dev.wharf.terraform.upload.ModulePublication;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.terraform.discovery.ProviderCatalog;
import dev.wharf.terraform.ui.ModuleReadmes;
import dev.wharf.terraform.ui.RegistryUi;
import dev.wharf.terraform.mirror.MirrorCatalog;
import dev.wharf.terraform.mirror.MirrorService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
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

    @Option(names = {"--auth-static-token", "--api-key"}, split = ",", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
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

    @Option(names = "--http-idle-timeout", defaultValue = "30s", converter = Durations.class,
            description = "Close a connection on which no byte moved for this long, a stalled download included"
                    + " (BORING_REGISTRY_HTTP_IDLE_TIMEOUT; default ${DEFAULT-VALUE})")
    @SuppressWarnings("NullAway.Init")
    Duration httpIdleTimeout;

    @Option(names = "--http-max-connections", defaultValue = "" + ServerLimits.DEFAULT_MAX_CONNECTIONS,
            description = "Open client connections at most; further ones wait until one closes"
                    + " (BORING_REGISTRY_HTTP_MAX_CONNECTIONS; default ${DEFAULT-VALUE})")
    int httpMaxConnections;

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

    /** The running registry and telemetry servers and the store behind them; closing stops all three. */
    public record Running(WebServer registry, WebServer telemetry, ArtifactStore store) implements AutoCloseable {
        /** Lets the registry's requests in flight finish (up to the shutdown's drain time), then closes everything. */
        void drainAndClose(GracefulShutdown shutdown) {
            try (Running self = this) {
                shutdown.drain(registry, LOG);
            }
        }

        @Override
        public void close() {
            try (store; telemetry; registry) {
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
        // Checked before storage is opened, so that a bad flag leaves nothing open behind it.
        if (downloadCacheMegabytes <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--download-cache-max-size must be a positive number of megabytes, not " + downloadCacheMegabytes);
        }
        ServerLimits limits;
        try {
            limits = new ServerLimits(httpIdleTimeout, httpMaxConnections);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--http-idle-timeout / --http-max-connections: " + e.getMessage());
        }
        Logging.configure(global);
        ObjectMapper json = new ObjectMapper();
        TerraformLayout layout = global.terraformLayout();
        RepositoryLayout repositories = global.repositoryLayout();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessMetrics.bindTo(metrics);
        ArtifactStore raw = Storage.open(global, new RegistryCallMetrics(metrics));
        if (Storage.embedded(global)) {
            LOG.info("storage: embedded OCI image layout in {} (no --storage-oci-registry given)", Path.of(global.layoutDir).toAbsolutePath().normalize());
        } else {
            LOG.info("storage: OCI registry {}, repository {}, layout {}{}", raw.describe(), layout.base(),
                    repositories.describe(), global.layoutReason());
            if (global.insecure) {
                LOG.warn("--storage-oci-insecure: the registry's certificate is not checked and plain HTTP is allowed;"
                        + " for a private CA use --storage-oci-ca-file instead");
            }
        }
        StaticTokens tokens = StaticTokens.of(staticTokens);
        FileUrlSigner signer = SignedUrlKeys.signer(signedUrlKey, signedUrlTtl);
        Optional<OidcVerifier> verifier = oidc.connect(OidcOptions.defaultClient());
        if (publish.maxBodyBytes <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--publish-max-size must be a positive number of bytes");
        }
        ClientAuthentication auth = new ClientAuthentication(tokens::accepts, tokens.enabled(), verifier, publish.tokens(),
                publish.oidcScopes());
        Optional<LoginV1> login = verifier.map(oidc::login);
        // Every served call is watched, so /health can report faults its probe cannot see (a corrupt blob).
        FailureWatchingStore watched = new FailureWatchingStore(raw, Clock.systemUTC());
        ArtifactStore blobs = watched;
        if (downloadCacheDir != null && !downloadCacheDir.isBlank() && !Storage.embedded(global)) {
            // An embedded layout is a local folder already: its files are sent as they are.
            blobs = new DiskBlobCache(watched, Path.of(downloadCacheDir), downloadCacheMegabytes << 20);
            LOG.info("download cache: {} (up to {} MB)", Path.of(downloadCacheDir).toAbsolutePath().normalize(), downloadCacheMegabytes);
        }
        CachingArtifactStore store = new CachingArtifactStore(blobs, tagTtl, manifestTtl);
        ReadyAnswers ready = new ReadyAnswers(16L << 20);
        ArtifactStore served = repositories.over(store, layout.base());
        ModuleService moduleService = new ModuleService(served, layout, global.archiveFormat);
        ProviderService providerService = new ProviderService(served, layout, json);
        CacheMetrics.bindTo(metrics, store.caches());
        CacheMetrics.bindTo(metrics, moduleService.caches());
        CacheMetrics.bindTo(metrics, providerService.caches());
        TerraformApi api = new TerraformApi(moduleService, providerService, auth, login, signer, downloadProxy, json, ready);
        ModuleCatalog catalog = new ModuleCatalog(served, layout, moduleService, tagTtl);
        OperationCounters operations = new OperationCounters(metrics);
        ModuleDocumentation documentation = new ModuleDocumentation(moduleService, ArchiveLimits.DEFAULT);
        CacheMetrics.bindTo(metrics, documentation.caches());
        ModuleDiscoveryApi discovery = new ModuleDiscoveryApi(catalog, documentation, json);
        Optional<MirrorService> mirrorService = mirror.build(served, layout, mirrorTempDir(), operations);
        RegistryUi ui = new RegistryUi(catalog, new ProviderCatalog(served, layout, tagTtl), providerService,
                new ModuleReadmes(moduleService), documentation, auth, mirrorService.map(m -> new MirrorCatalog(served, layout, m.storage(), tagTtl)), ready);
        PublishApi publishApi = new PublishApi(auth, new ModulePublication(served, layout),
                new ProviderUploader(served, layout, providerService, json, mirror.archiveLimits.inspector(), LOG::info),
                new SigningKeyUploader(served, layout, providerService, json), new PublishAudit(metrics), publish.maxBodyBytes, json);
        Optional<MirrorApi> mirrorApi = mirrorService.map(service -> new MirrorApi(service, auth, signer));
        Optional<TlsFiles> tls = TlsFiles.of(tlsCert, tlsKey, null);
        RequestTimers timers = new RequestTimers(metrics, "wharf_http_requests");
        ReadyAnswerCounter readyHits = new ReadyAnswerCounter(metrics);
        RequestObserver readyObserver = (route, method, status, micros) -> {
            timers.observe(route, method, status, micros);
            readyHits.observe(route, method, status, micros);
        };
        List<ExchangeObserver> exchanges = new ArrayList<>(List.of(new HttpMetrics(metrics, HttpMetrics.BORING_REGISTRY), operations));
        if (accessLog) {
            exchanges.add(new AccessLog());
        }
        WebServer registry = Listeners.start("--listen-address", () -> WebServer.start(ListenAddress.parse(listenAddress), tls,
                Optional.of(ready), readyObserver, exchanges, limits, cfg -> {
                    api.register(cfg);
                    discovery.register(cfg);
                    publishApi.register(cfg);
                    ui.register(cfg);
                    mirrorApi.ifPresent(m -> m.register(cfg));
                    cfg.requestLogger.http(timers::record);
                }));
        StorageHealth health = new StorageHealth(raw, new StoreProbe(raw, layout.base(), healthTimeout), watched);
        if (Storage.embedded(global)) {
            readiness.ready();
        } else {
            StartProbe.inBackground(health, readiness);
        }
        WebServer telemetry;
        try {
            telemetry = Listeners.start("--listen-telemetry-address", () -> WebServer.start(ListenAddress.parse(telemetryAddress),
                    Optional.empty(), cfg -> {
                        cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
                        cfg.routes.get("/health", ctx -> {
                            StorageHealth.Report report = health.check();
                            if (report.healthy()) {
                                readiness.ready();
                            }
                            boolean ok = report.healthy() && (readiness.isReady() || !Readiness.asked(ctx.queryParam("ready")));
                            ctx.status(ok ? 200 : 503).contentType("application/json").result(json.writeValueAsString(report));
                        });
                    }));
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        LOG.info("boring-registry listening on {} ({}), telemetry on {}{}", registry.boundAddress(),
                tls.isPresent() ? "TLS" : "plain HTTP", telemetry.boundAddress(),
                auth.enabled() ? "; API requires a token" + (verifier.isPresent() ? " (static or OIDC)" : "") : "");
        SignedUrlKeys.warnIfPerProcess(signedUrlKey, auth.enabled(), LOG);
        mirrorApi.ifPresent(m -> LOG.info("provider network mirror at {} on the registry address{}", MirrorApi.PREFIX,
                mirror.pullThrough() ? " (pull-through)" : ""));
        return new Running(registry, telemetry, store);
    }

    private static Path mirrorTempDir() {
        try {
            return Files.createTempDirectory("wharf-mirror-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a temporary directory for the mirror", e);
        }
    }
}
