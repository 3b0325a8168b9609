package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.epr.TestPackages;
import dev.wharf.testing.DockerRegistryServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PackageRegistryCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void readsGoStyleFlagsAndEprVariables() {
        CommandLine cl = PackageRegistryCommandLine.create(Map.of("EPR_ADDRESS", "127.0.0.1:9999", "EPR_OCI_PASSWORD", "s3cret",
                "EPR_REQUIRE_PACKAGE_SIGNATURES", "false"));
        cl.parseArgs("-feature-oci-indexer", "-oci-registry=localhost:5000", "--oci-username", "ci", "-oci-insecure=false");
        ServeCommand c = cl.getCommand();
        assertThat(c.address).isEqualTo("127.0.0.1:9999");
        assertThat(c.oci.password).isEqualTo("s3cret");
        assertThat(c.oci.username).isEqualTo("ci");
        assertThat(c.oci.registry).isEqualTo("localhost:5000");
        assertThat(c.oci.repository).isEqualTo("packages");
        assertThat(c.ociIndexer).isTrue();
        assertThat(c.oci.insecure).isFalse();
        assertThat(c.requireSignatures).isFalse();
        assertThat(c.allowUnknown).isTrue();
    }

    @Test
    void readsTheVerifyIntervalFromFlagOrVariable() {
        CommandLine defaults = PackageRegistryCommandLine.create(Map.of());
        defaults.parseArgs();
        assertThat(((ServeCommand) defaults.getCommand()).ociVerifyInterval).isEqualTo("24h");
        CommandLine fromEnv = PackageRegistryCommandLine.create(Map.of("EPR_OCI_VERIFY_INTERVAL", "6h"));
        fromEnv.parseArgs();
        assertThat(((ServeCommand) fromEnv.getCommand()).ociVerifyInterval).isEqualTo("6h");
        CommandLine flag = PackageRegistryCommandLine.create(Map.of("EPR_OCI_VERIFY_INTERVAL", "6h"));
        flag.parseArgs("--oci-verify-interval=0");
        assertThat(((ServeCommand) flag.getCommand()).ociVerifyInterval).isEqualTo("0");
    }

    @Test
    void aPasswordInTheRegistryAddressIsRefusedByNameOfTheCredentialFlagsAndNeverEchoed() {
        String address = "https://carol:Tr0ub4dor-55@registry.example.com";
        List<Map<String, String>> envs = List.of(Map.of(), Map.of("EPR_OCI_REGISTRY", address));
        for (Map<String, String> env : envs) {
            List<String> registry = env.isEmpty() ? List.of("-oci-registry", address) : List.of();
            for (List<String> command : List.of(List.of("-feature-oci-indexer", "-oci-cache-dir", dir.resolve("cache").toString()),
                    List.of("push", dir.toString()))) {
                List<String> args = new java.util.ArrayList<>(command);
                args.addAll(command.get(0).equals("push") ? 1 : args.size(), registry);
                CommandLine cl = PackageRegistryCommandLine.create(env);
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                cl.setOut(new PrintWriter(out));
                cl.setErr(new PrintWriter(err));
                int code = cl.execute(args.toArray(String[]::new));
                assertThat(code).as(err.toString()).isNotZero();
                assertThat(err.toString()).contains("holds credentials", "-oci-username", "-oci-password", "-oci-token", "EPR_OCI_PASSWORD");
                assertThat(err + out.toString()).doesNotContain("Tr0ub4dor").doesNotContain("carol").doesNotContain("registry.example.com");
            }
        }
    }

    @Test
    void helpNeverShowsSecretsFromTheEnvironment() {
        CommandLine cl = PackageRegistryCommandLine.create(Map.of("EPR_OCI_PASSWORD", "s3cret", "EPR_OCI_TOKEN", "t0ken"));
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.execute("-help");
        assertThat(out.toString()).contains("-oci-password").doesNotContain("s3cret").doesNotContain("t0ken");
    }

    @Test
    void pushesToAnOciLayoutAndDryRunsTheOciIndexerOverIt() throws Exception {
        Path src = dir.resolve("src");
        TestPackages.copyTree(TestPackages.source(), src);
        String registry = "oci-layout:" + dir.resolve("oci");
        StringWriter err = new StringWriter();
        CommandLine push = PackageRegistryCommandLine.create(Map.of());
        push.setErr(new PrintWriter(err));
        push.setOut(new PrintWriter(new StringWriter()));
        int code = push.execute("push", "-oci-registry", registry, src.resolve("gallery/2.0.0").toString(),
                src.resolve("broken_pkg/1.0.0").toString(), src.resolve("gallery-9.0.0.zip").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("broken_pkg/1.0.0: no readme file found")
                .contains("gallery-9.0.0.zip: " + src.resolve("gallery-9.0.0.zip") + " does not exist");

        CommandLine serve = PackageRegistryCommandLine.create(Map.of());
        serve.setErr(new PrintWriter(new StringWriter()));
        assertThat(serve.execute("-dry-run", "-feature-oci-indexer", "-oci-registry", registry,
                "-require-package-signatures=false", "-oci-cache-dir", dir.resolve("cache").toString())).isZero();
        assertThat(Files.readString(dir.resolve("cache/index.json"))).contains("\"gallery-2.0.0\"").contains("\"verified_at\"");
    }

    /** The process ends after {@code -dry-run}, but a command run inside another (a test, an embedder) must not leave the store's threads. */
    @Test
    void dryRunOverARegistryLeavesNoRegistryClientRunning() throws Exception {
        Path src = dir.resolve("src");
        TestPackages.copyTree(TestPackages.source(), src);
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            // Other tests of this JVM may have left clients of their own: only the threads started here count.
            Set<Thread> before = registryClientThreads();
            CommandLine push = PackageRegistryCommandLine.create(Map.of());
            push.setErr(new PrintWriter(new StringWriter()));
            push.setOut(new PrintWriter(new StringWriter()));
            assertThat(push.execute("push", "-oci-registry", registry.host(), "-oci-insecure", src.resolve("gallery/2.0.0").toString())).isZero();
            assertThat(startedSince(before)).as("the push closed its store").noneMatch(Thread::isAlive);

            CommandLine serve = PackageRegistryCommandLine.create(Map.of());
            serve.setErr(new PrintWriter(new StringWriter()));
            assertThat(serve.execute("-dry-run", "-feature-oci-indexer", "-oci-registry", registry.host(), "-oci-insecure",
                    "-require-package-signatures=false", "-oci-cache-dir", dir.resolve("cache").toString(), "-log-type", "dev")).isZero();
            assertThat(startedSince(before)).noneMatch(Thread::isAlive);
        }
    }

    /** The registry client threads started since {@code before}, each given until 10 s from now to end. */
    private static Set<Thread> startedSince(Set<Thread> before) throws InterruptedException {
        Set<Thread> started = registryClientThreads();
        started.removeAll(before);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Thread thread : started) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return started;
    }

    private static Set<Thread> registryClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("wharf-registry-http"))
                .collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void durationsAreReadAsGoWritesThem() throws Exception {
        assertThat(RegistryConfig.parseDuration("1h30m")).hasMinutes(90);
        assertThat(RegistryConfig.parseDuration("250ms").toMillis()).isEqualTo(250);
        assertThat(RegistryConfig.parseDuration("1.5m")).hasSeconds(90);
        assertThat(RegistryConfig.parseDuration("0")).isZero();
        Path config = Files.writeString(dir.resolve("config.yml"), "package_paths: [pk]\ncache_time.search: 1m\ncache_time:\n  index: 5s\n");
        RegistryConfig c = RegistryConfig.load(config, true);
        assertThat(c.packagePaths()).containsExactly(dir.resolve("pk"));
        assertThat(c.index()).hasSeconds(5);
        assertThat(c.search()).hasMinutes(1);
        assertThat(RegistryConfig.load(dir.resolve("absent.yml"), false)).isEqualTo(RegistryConfig.defaults());
    }

    /** Read as absent, an empty -server had pushed with the registry flags instead (here: an OCI layout). */
    @Test
    void anEmptyServerIsRefusedNotReadAsPushToTheRegistry() throws Exception {
        Path src = dir.resolve("src");
        TestPackages.copyTree(TestPackages.source(), src);
        CommandLine cl = PackageRegistryCommandLine.create(Map.of());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("push", "-server", "", "-token", "wharf_x", "-oci-registry", "oci-layout:" + dir.resolve("oci"),
                src.resolve("gallery/2.0.0").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("-server was given without a URL; name the Wharf server, or leave the flag out");
        assertThat(dir.resolve("oci")).doesNotExist();
    }

    @Test
    void anIdleTimeoutThatIsNoDurationNamesItsFlagAlone() {
        CommandLine cl = PackageRegistryCommandLine.create(Map.of());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("-address", "127.0.0.1:0", "-http-idle-timeout", "soon")).isNotZero();
        assertThat(err.toString()).startsWith("package-registry: -http-idle-timeout: invalid duration \"soon\"");
    }

    /** As go-ucfg reads EPR's config: one folder given without a list is a list of one, where it had been ignored for ./packages. */
    @Test
    void aSinglePackagePathIsAListOfOneAndABadValueNamesItsKey() throws Exception {
        Path single = Files.writeString(dir.resolve("single.yml"), "package_paths: /srv/packages\n");
        assertThat(RegistryConfig.load(single, true).packagePaths()).containsExactly(Path.of("/srv/packages"));
        Path mapping = Files.writeString(dir.resolve("mapping.yml"), "package_paths:\n  a: /srv/packages\n");
        assertThatThrownBy(() -> RegistryConfig.load(mapping, true)).hasMessage("reading config failed (path: " + mapping
                + "): package_paths must be a list of folders, not a mapping");
        // Each of these had named the config's own folder, and that folder was served.
        Map<String, String> empty = new LinkedHashMap<>();
        empty.put("package_paths: ''\n", "package_paths entry 1 names no folder (empty)");
        empty.put("package_paths:\n  - /srv/a\n  - ''\n", "package_paths entry 2 names no folder (empty)");
        empty.put("package_paths:\n  - path: /srv/a\n", "package_paths entry 1 names no folder (a mapping)");
        empty.put("package_paths:\n  - [/srv/a]\n", "package_paths entry 1 names no folder (a list)");
        empty.put("package_paths:\n  -\n", "package_paths entry 1 names no folder (empty)");
        int n = 0;
        for (Map.Entry<String, String> c : empty.entrySet()) {
            Path file = Files.writeString(dir.resolve("empty-" + n++ + ".yml"), c.getKey());
            assertThatThrownBy(() -> RegistryConfig.load(file, true)).as(c.getKey())
                    .hasMessage("reading config failed (path: " + file + "): " + c.getValue());
        }
        Path duration = Files.writeString(dir.resolve("duration.yml"), "cache_time:\n  search: ten minutes\n");
        assertThatThrownBy(() -> RegistryConfig.load(duration, true))
                .hasMessage("cache_time.search: invalid duration \"ten minutes\" (write it as Go does: 10s, 1.5m, 1h30m)");
    }

    /** A -config that is no readable file is one line naming it, as EPR words it, where an empty one said " (No such file or directory)". */
    @Test
    void aConfigThatIsNoReadableFileIsSaidWithItsPath() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yml"), "package_paths: [a\n");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("", "Configuration file is not available: -config is empty");
        cases.put(dir.resolve("absent.yml").toString(), "Configuration file is not available: " + dir.resolve("absent.yml"));
        cases.put(dir.toString(), "reading config failed (path: " + dir + "): it is a folder, not a file");
        cases.put(broken.toString(), "reading config failed (path: " + broken + "): line 1, column 18: while parsing a flow sequence, "
                + "expected ',' or ']', but got <stream end>");
        cases.forEach((config, expected) -> {
            CommandLine cl = PackageRegistryCommandLine.create(Map.of());
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            assertThat(cl.execute("-address", "127.0.0.1:0", "-config", config)).as(config).isNotZero();
            List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as(err.toString()).hasSize(1);
            assertThat(lines.get(0)).as(config).startsWith("package-registry: " + expected);
        });
    }

    @Test
    void anUnknownLogTypeIsRefusedInOneLine() {
        CommandLine cl = PackageRegistryCommandLine.create(Map.of());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("-log-type", "json", "-config", dir.resolve("missing.yml").toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly("package-registry: unknown -log-type 'json' (use ecs or dev)");
    }

    @Test
    void anUnknownLogLevelIsRefusedAsEprRefusesItAndZapsNamesAreRead() {
        CommandLine cl = PackageRegistryCommandLine.create(Map.of());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("-log-level", "verbose", "-config", dir.resolve("missing.yml").toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly("package-registry: unknown -log-level 'verbose' (use debug, info, warn or error)");
        assertThat(EprLogging.level("WARN")).contains(ch.qos.logback.classic.Level.WARN);
        assertThat(EprLogging.level("")).contains(ch.qos.logback.classic.Level.INFO);
        assertThat(EprLogging.level("fatal")).contains(ch.qos.logback.classic.Level.ERROR);
        assertThat(EprLogging.level("Warn")).as("zap reads lower or upper case only").isEmpty();
    }

    @Test
    void booleansReadAsGosStrconvParseBoolAndARepeatedFlagTakesItsLastValue() {
        CommandLine cl = PackageRegistryCommandLine.create(Map.of("EPR_REQUIRE_PACKAGE_SIGNATURES", "0", "EPR_FEATURE_OCI_INDEXER", "t"));
        cl.parseArgs("-access-log=F", "-oci-insecure=1", "-address", "127.0.0.1:7001", "-address", "127.0.0.1:7002");
        ServeCommand c = cl.getCommand();
        assertThat(c.requireSignatures).isFalse();
        assertThat(c.ociIndexer).isTrue();
        assertThat(c.accessLog).isFalse();
        assertThat(c.oci.insecure).isTrue();
        assertThat(c.address).isEqualTo("127.0.0.1:7002");
    }

    @Test
    void theAccessLogIsOnUnlessTheFlagOrItsVariableTurnsItOff() {
        CommandLine defaults = PackageRegistryCommandLine.create(Map.of());
        defaults.parseArgs();
        assertThat(((ServeCommand) defaults.getCommand()).accessLog).isTrue();
        CommandLine variable = PackageRegistryCommandLine.create(Map.of("EPR_ACCESS_LOG", "false"));
        variable.parseArgs();
        assertThat(((ServeCommand) variable.getCommand()).accessLog).isFalse();
        CommandLine flag = PackageRegistryCommandLine.create(Map.of());
        flag.parseArgs("-access-log=false");
        assertThat(((ServeCommand) flag.getCommand()).accessLog).isFalse();
    }

    @Test
    void readsThePackagePathFlagsFromFlagOrEprVariable() {
        CommandLine defaults = PackageRegistryCommandLine.create(Map.of());
        defaults.parseArgs();
        assertThat(((ServeCommand) defaults.getCommand()).watchPackagePaths).isFalse();
        assertThat(((ServeCommand) defaults.getCommand()).packagePathsWorkers).isNull();
        CommandLine fromEnv = PackageRegistryCommandLine.create(Map.of("EPR_PACKAGE_PATHS_ENABLE_WATCHER", "true",
                "EPR_PACKAGE_PATHS_WORKERS", "3"));
        fromEnv.parseArgs();
        assertThat(((ServeCommand) fromEnv.getCommand()).watchPackagePaths).isTrue();
        assertThat(((ServeCommand) fromEnv.getCommand()).packagePathsWorkers).isEqualTo(3);
        CommandLine flags = PackageRegistryCommandLine.create(Map.of("EPR_PACKAGE_PATHS_WORKERS", "3"));
        flags.parseArgs("-package-paths-enable-watcher", "-package-paths-workers=5");
        assertThat(((ServeCommand) flags.getCommand()).watchPackagePaths).isTrue();
        assertThat(((ServeCommand) flags.getCommand()).packagePathsWorkers).isEqualTo(5);
    }

    @Test
    void zeroWorkersIsRefusedAsEprRefusesIt() {
        CommandLine cl = PackageRegistryCommandLine.create(Map.of());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("-package-paths-workers", "0", "-config", dir.resolve("missing.yml").toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly("package-registry: package-paths-workers must be greater than 0");
    }

    @Test
    void withTheWatcherAnEmptyPackagePathIsNoErrorAndWithoutNoPathsAtAllIs() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Path config = Files.writeString(dir.resolve("config.yml"), "package_paths: [empty]\n");
        CommandLine without = PackageRegistryCommandLine.create(Map.of());
        without.setErr(new PrintWriter(new StringWriter()));
        assertThat(without.execute("-dry-run", "-config", config.toString(), "-log-type", "dev")).isEqualTo(1);
        CommandLine with = PackageRegistryCommandLine.create(Map.of());
        with.setErr(new PrintWriter(new StringWriter()));
        assertThat(with.execute("-dry-run", "-package-paths-enable-watcher", "-config", config.toString(), "-log-type", "dev")).isZero();

        Path none = Files.writeString(dir.resolve("none.yml"), "package_paths: []\n");
        CommandLine noPaths = PackageRegistryCommandLine.create(Map.of());
        StringWriter err = new StringWriter();
        noPaths.setErr(new PrintWriter(err));
        assertThat(noPaths.execute("-dry-run", "-package-paths-enable-watcher", "-config", none.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no package paths configured, cannot enable watcher");
    }

    @Test
    void readsEprsProxyFlagsWithTheirDefaultsAndVariables() {
        CommandLine defaults = PackageRegistryCommandLine.create(Map.of());
        defaults.parseArgs();
        ServeCommand d = defaults.getCommand();
        assertThat(d.proxyMode.enabled).isFalse();
        assertThat(d.proxyMode.upstream.proxyTo).isEqualTo("https://epr.elastic.co/");
        assertThat(d.proxyMode.upstream.allowInsecure).isFalse();
        assertThat(d.proxyMode.pullThrough).isFalse();
        CommandLine fromEnv = PackageRegistryCommandLine.create(Map.of("EPR_FEATURE_PROXY_MODE", "true", "EPR_PROXY_TO", "http://upstream.test:8080/",
                "EPR_PROXY_ALLOW_INSECURE", "true", "EPR_OCI_PULL_THROUGH", "true", "EPR_VERIFICATION_KEY", "/keys/elastic.asc"));
        fromEnv.parseArgs();
        ServeCommand e = fromEnv.getCommand();
        assertThat(e.proxyMode.enabled).isTrue();
        assertThat(e.proxyMode.upstream.proxyTo).isEqualTo("http://upstream.test:8080/");
        assertThat(e.proxyMode.upstream.allowInsecure).isTrue();
        assertThat(e.proxyMode.pullThrough).isTrue();
        assertThat(e.proxyMode.upstream.verificationKey).isEqualTo(Path.of("/keys/elastic.asc"));
    }

    @Test
    void aPlainHttpUpstreamIsRefusedUnlessAllowedAsEprRefusesIt() {
        for (List<String> args : List.of(List.of("-feature-proxy-mode", "-proxy-to", "http://127.0.0.1:1/"),
                List.of("mirror", "-proxy-to", "http://127.0.0.1:1/", "-kibana-version", "8.15.0", "-oci-registry", "oci-layout:" + dir.resolve("layout")))) {
            CommandLine cl = PackageRegistryCommandLine.create(Map.of());
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            cl.setOut(new PrintWriter(new StringWriter()));
            int code = cl.execute(args.toArray(String[]::new));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("-proxy-to must use HTTPS (got \"http://127.0.0.1:1/\"); use -proxy-allow-insecure to allow HTTP");
        }
    }

    @Test
    void theUpstreamsCaFileIsForAnHttpsUpstreamAndMustBeReadable() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Map<List<String>, String> refusals = Map.of(
                List.of("-feature-proxy-mode", "-proxy-to", "http://127.0.0.1:1/", "-proxy-allow-insecure", "-proxy-ca-file", missing.toString()),
                "-proxy-ca-file is for an https -proxy-to, not \"http://127.0.0.1:1/\"",
                List.of("mirror", "-proxy-to", "https://127.0.0.1:1/", "-proxy-ca-file", missing.toString(), "-kibana-version", "8.15.0",
                        "-oci-registry", "oci-layout:" + dir.resolve("layout")),
                "-proxy-ca-file: cannot read a CA file: " + missing + ": no such file");
        for (Map.Entry<List<String>, String> refusal : refusals.entrySet()) {
            CommandLine cl = PackageRegistryCommandLine.create(Map.of());
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            cl.setOut(new PrintWriter(new StringWriter()));
            assertThat(cl.execute(refusal.getKey().toArray(String[]::new))).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains(refusal.getValue());
        }
    }

    @Test
    void pullThroughNeedsProxyModeAndTheOciIndexer() {
        for (List<String> args : List.of(List.of("-oci-pull-through"), List.of("-feature-proxy-mode", "-oci-pull-through"))) {
            CommandLine cl = PackageRegistryCommandLine.create(Map.of());
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args.toArray(String[]::new));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains(args.size() == 1 ? "-oci-pull-through needs -feature-proxy-mode" : "-oci-pull-through needs -feature-oci-indexer");
        }
    }

    @Test
    void theIssuersCaFileNeedsTheTokensFileAndAReadableFile(@TempDir Path tmp) throws Exception {
        Path tokens = Files.writeString(tmp.resolve("tokens.yaml"), "tokens: []\n");
        for (List<String> args : List.of(List.of("-auth-oidc-ca-file", tmp.resolve("ca.pem").toString()),
                List.of("-feature-oci-indexer", "-auth-tokens-file", tokens.toString(), "-auth-oidc-ca-file", tmp.resolve("missing.pem").toString()))) {
            CommandLine cl = PackageRegistryCommandLine.create(Map.of());
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            assertThat(cl.execute(args.toArray(String[]::new))).isEqualTo(2);
            assertThat(err.toString().lines().filter(l -> !l.isBlank()).toList()).as(err.toString()).hasSize(1);
            assertThat(err.toString()).contains(args.size() == 2 ? "-auth-oidc-ca-file is for the trusted publishers' issuers: it needs -auth-tokens-file"
                    : "-auth-oidc-ca-file: cannot read a CA file: " + tmp.resolve("missing.pem") + ": no such file");
        }
    }

    /** An empty tokens file, on the command line or in EPR_AUTH_TOKENS_FILE, is refused: read as none it would open the guarded pages. */
    @Test
    void anEmptyTokensFileIsRefusedNotReadAsNone() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("EPR_AUTH_TOKENS_FILE", ""))) {
            CommandLine cl = PackageRegistryCommandLine.create(env);
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            String[] args = env.isEmpty() ? new String[] {"-address", "127.0.0.1:0", "-auth-tokens-file", ""} : new String[] {"-address", "127.0.0.1:0"};
            assertThat(cl.execute(args)).as(env.toString()).isEqualTo(2);
            assertThat(err.toString().lines().filter(l -> !l.isBlank()).toList()).as(err.toString())
                    .containsExactly("package-registry: -auth-tokens-file was given without a file; name it, or leave the flag out");
        }
    }

    /** As EPR reads them, empty TLS files are none: with a minimum version that is EPR's own refusal, not a file error. */
    @Test
    void emptyTlsFilesAreNoneAsInEpr() {
        CommandLine cl = PackageRegistryCommandLine.create(Map.of("EPR_TLS_CERT", "", "EPR_TLS_KEY", "", "EPR_TLS_MIN_VERSION", "1.2"));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("-address", "127.0.0.1:0")).isEqualTo(2);
        assertThat(err.toString().lines().filter(l -> !l.isBlank()).toList()).as(err.toString())
                .containsExactly("-tls-min-version set but missing TLS cert and key files (-tls-cert and -tls-key)");
    }
}
