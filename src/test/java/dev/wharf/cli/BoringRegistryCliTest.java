package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.TestPorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class BoringRegistryCliTest {
    @TempDir
    Path dir;

    private static CommandLine server(Map<String, String> env) {
        return new BoringRegistryCli(env).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands().get("server");
    }

    private static String value(Map<String, String> env, String option, String... args) {
        CommandLine fresh = new CommandLine(new ServerCommand()).setDefaultValueProvider(new EnvironmentDefaults(env));
        fresh.parseArgs(args);
        return String.valueOf((Object) fresh.getCommandSpec().findOption(option).getValue());
    }

    @Test
    void credentialFlagsReadTheirOwnVariableFirstThenTheOciRegistryOne() {
        assertThat(value(Map.of("OCI_REGISTRY_USERNAME", "fallback"), "--storage-oci-username")).isEqualTo("fallback");
        assertThat(value(Map.of("OCI_REGISTRY_USERNAME", "fallback", "BORING_REGISTRY_STORAGE_OCI_USERNAME", "own"),
                "--storage-oci-username")).isEqualTo("own");
        assertThat(value(Map.of("OCI_REGISTRY_TOKEN", "t"), "--storage-oci-token")).isEqualTo("t");
        assertThat(value(Map.of("BORING_REGISTRY_STORAGE_OCI_PASSWORD", "p"), "--storage-oci-password")).isEqualTo("p");
        assertThat(value(Map.of("OCI_REGISTRY_PASSWORD", "env"), "--storage-oci-password", "--storage-oci-password", "flag"))
                .isEqualTo("flag");
    }

    @Test
    void theAccessLogIsOnUnlessTheFlagOrItsVariableTurnsItOff() {
        assertThat(value(Map.of(), "--access-log")).isEqualTo("true");
        assertThat(value(Map.of("BORING_REGISTRY_ACCESS_LOG", "false"), "--access-log")).isEqualTo("false");
        assertThat(value(Map.of(), "--access-log", "--access-log=false")).isEqualTo("false");
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        assertThat(value(Map.of("BORING_REGISTRY_STORAGE_OCI_PASSWORD", "", "OCI_REGISTRY_PASSWORD", "second"),
                "--storage-oci-password")).isEqualTo("second");
        assertThat(value(Map.of("OCI_REGISTRY_PASSWORD", ""), "--storage-oci-password")).isEqualTo("null");
        assertThat(value(Map.of("BORING_REGISTRY_LISTEN_ADDRESS", ""), "--listen-address")).isEqualTo(":5601");
    }

    @Test
    void everyFlagReadsItsBoringRegistryVariable() {
        Map<String, String> env = Map.of("BORING_REGISTRY_LISTEN_ADDRESS", ":9000", "BORING_REGISTRY_STORAGE_OCI_REPOSITORY", "tf",
                "BORING_REGISTRY_AUTH_STATIC_TOKEN", "a,b", "BORING_REGISTRY_STORAGE_OCI_LAYOUT_DIR", "/srv/wharf");
        assertThat(value(env, "--listen-address")).isEqualTo(":9000");
        assertThat(value(env, "--storage-oci-repository")).isEqualTo("tf");
        // Kept as written; StaticTokens splits the commas, so that ',' alone is a value naming no token.
        assertThat(value(env, "--auth-static-token")).isEqualTo("[a,b]");
        assertThat(dev.wharf.terraform.web.StaticTokens.of(List.of("a,b")).accepts("Bearer b")).isTrue();
        assertThat(value(env, "--storage-oci-layout-dir")).isEqualTo("/srv/wharf");
        assertThat(value(Map.of(), "--storage-oci-repository")).isEqualTo("boring-registry");
        assertThat(value(Map.of(), "--listen-telemetry-address")).isEqualTo(":7801");
        assertThat(value(Map.of(), "--api-key", "--api-key", "old")).isEqualTo("[old]");
        for (OptionSpec option : server(Map.of()).getCommandSpec().options()) {
            if (option.longestName().startsWith("--") && !option.usageHelp() && !option.versionHelp()) {
                assertThat(EnvironmentDefaults.variables(option)).first().asString().startsWith("BORING_REGISTRY_");
            }
        }
    }

    @Test
    void aDownloadCacheOfNoSizeIsRefusedWithOneLineBeforeAnythingStarts() {
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of("BORING_REGISTRY_DOWNLOAD_CACHE_MAX_SIZE", "0"))
                .commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--download-cache-max-size must be a positive number of megabytes, not 0")
                .doesNotContain("Exception");
    }

    /** boring-registry then accepts no token; an open registry instead would fail open on an unset variable in '--auth-static-token "$T"'. */
    @Test
    @Timeout(60)  // the server started on the code before, open to everyone, and waited for a signal
    void anAuthFlagWithoutATokenOrFileIsRefusedNotReadAsAnOpenRegistry(@TempDir Path dir) {
        for (String value : List.of("", ",", " , ")) {
            StringWriter err = new StringWriter();
            int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                    .execute("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                            "--storage-oci-layout-dir", dir.resolve("data").toString(), "--auth-static-token", value);
            assertThat(code).as("'%s'", value).isEqualTo(2);
            assertThat(err.toString()).as("'%s'", value).contains("--auth-static-token was given without a token (empty or only commas)")
                    .doesNotContain("Exception");
        }
        // Its variable likewise, when set to commas only (set to nothing, it is unset, as viper reads it).
        for (String variable : List.of("BORING_REGISTRY_AUTH_STATIC_TOKEN", "BORING_REGISTRY_API_KEY")) {
            StringWriter err = new StringWriter();
            int code = new BoringRegistryCli(Map.of(variable, ",")).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                    .execute("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                            "--storage-oci-layout-dir", dir.resolve("data").toString());
            assertThat(code).as(variable).isEqualTo(2);
            assertThat(err.toString()).as(variable).contains("--auth-static-token was given without a token (empty or only commas)");
        }
        // An OIDC or Okta issuer given empty likewise: read as absent, it had served the API to everyone.
        for (String flag : List.of("--auth-oidc-issuer", "--auth-okta-issuer")) {
            StringWriter err = new StringWriter();
            int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                    .execute("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                            "--storage-oci-layout-dir", dir.resolve("data").toString(), flag, "");
            assertThat(code).as(flag).isEqualTo(1);
            assertThat(err.toString().lines().toList()).as(flag)
                    .containsExactly("boring-registry: " + flag + " was given without a URL; name the issuer, or leave the flag out");
        }
        // The tokens file likewise: it closes the API, so an empty name must not open it.
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                        "--storage-oci-layout-dir", dir.resolve("data").toString(), "--auth-tokens-file", "");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines().toList())
                .containsExactly("boring-registry: --auth-tokens-file was given without a file; name it, or leave the flag out");
        // A broken one is one line that says where, never its entries (it had quoted the whole file over a dozen lines).
        Path broken;
        try {
            broken = Files.writeString(dir.resolve("tokens.yaml"), "tokens:\n  - name: ci\n    hash: sha256:0f0f0f0f\n  - name: [broken\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        StringWriter brokenErr = new StringWriter();
        int brokenCode = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(brokenErr, true))
                .execute("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                        "--storage-oci-layout-dir", dir.resolve("data").toString(), "--auth-tokens-file", broken.toString());
        assertThat(brokenCode).isEqualTo(1);
        assertThat(brokenErr.toString().lines().toList()).containsExactly("boring-registry: --auth-tokens-file " + broken
                + ": cannot read it: line 4, column 18: while parsing a flow sequence, expected ',' or ']', but got <stream end>");
    }

    /** '--server "$URL"' with the variable unset had written the module into ./data and said it was uploaded. */
    @Test
    void anEmptyServerIsRefusedNotReadAsWriteToLocalStorage(@TempDir Path dir) throws IOException {
        Path module = Files.createDirectories(dir.resolve("module"));
        Files.writeString(module.resolve("boring-registry.hcl"), "metadata {\n namespace = \"acme\"\n name = \"vpc\"\n provider = \"aws\"\n version = \"1.0.0\"\n}\n");
        Files.writeString(module.resolve("main.tf"), "variable \"x\" {}\n");
        Path layout = dir.resolve("data");
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("upload", "module", "--server", "", "--token", "wharf_x", "--storage-oci-layout-dir", layout.toString(), module.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines().toList())
                .containsExactly("boring-registry: --server was given without a URL; name the Wharf server, or leave the flag out to write to storage");
        assertThat(layout).doesNotExist();
    }

    /** Refused as every other flag is, before storage is opened: the embedded store's folder is not even made. */
    @Test
    void aPublishLimitOfNothingOrAShortSigningKeyIsRefusedBeforeStorageIsOpened(@TempDir Path dir) {
        Map<List<String>, String> runs = Map.of(
                List.of("--publish-max-size", "0"), "--publish-max-size must be a positive number of bytes",
                List.of("--signed-url-key", "short"), "the URL signing key must be at least 16 bytes");
        runs.forEach((flags, expected) -> {
            Path layout = dir.resolve("data-" + flags.get(0).substring(2));
            List<String> args = new ArrayList<>(List.of("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                    "--storage-oci-layout-dir", layout.toString()));
            args.addAll(flags);
            StringWriter err = new StringWriter();
            int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                    .execute(args.toArray(String[]::new));
            assertThat(code).as(flags.toString()).isNotZero();
            assertThat(err.toString()).as(flags.toString()).contains(expected);
            assertThat(layout).as(flags.toString()).doesNotExist();
        });
    }

    @Test
    @Timeout(60)  // the server started on the code before, in the working folder, and waited for a signal
    void anEmptyLayoutFolderIsRefusedNotReadAsTheWorkingFolder(@TempDir Path dir) throws IOException {
        String refusal = "boring-registry: --storage-oci-layout-dir is empty: name a folder, or leave the flag out for ./data";
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0", "--storage-oci-layout-dir", "");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines().toList()).containsExactly(refusal);

        Path module = Files.createDirectories(dir.resolve("module"));
        Files.writeString(module.resolve("boring-registry.hcl"), "metadata {\n namespace = \"acme\"\n name = \"vpc\"\n provider = \"aws\"\n version = \"1.0.0\"\n}\n");
        Files.writeString(module.resolve("main.tf"), "variable \"x\" {}\n");
        StringWriter uploadErr = new StringWriter();
        int uploadCode = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(uploadErr, true))
                .execute("upload", "module", "--storage-oci-layout-dir", "", module.toString());
        assertThat(uploadCode).isEqualTo(1);
        assertThat(uploadErr.toString().lines().toList()).containsExactly(refusal);
    }

    @Test
    @Timeout(60)  // the server started on the code before, and waited for a signal
    void aStoreOrCacheFolderThatCannotBeMadeIsRefusedWithOneLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                        "--storage-oci-layout-dir", file.resolve("data").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines().toList()).containsExactly("boring-registry: --storage-oci-layout-dir " + file.resolve("data")
                + ": cannot create the folder: " + file.resolve("data") + ": Not a directory");

        // The download cache's folder likewise (it had been "unexpected failure: java.io.UncheckedIOException: …").
        StringWriter cacheErr = new StringWriter();
        int cacheCode = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(cacheErr, true))
                .execute("server", "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                        "--storage-oci-registry", "127.0.0.1:" + TestPorts.free(), "--download-proxy",
                        "--download-cache-dir", file.resolve("cache").toString());
        assertThat(cacheCode).isEqualTo(1);
        assertThat(cacheErr.toString().lines().toList()).containsExactly("boring-registry: --download-cache-dir: cannot create the download"
                + " cache folder " + file.resolve("cache") + ": " + file.resolve("cache") + ": Not a directory");
    }

    @Test
    @Timeout(60)
    void aMissingFileGivenToAFlagIsNamedAsMissing(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pem");
        Map<List<String>, String> cases = Map.of(
                List.of("--tls-cert-file", missing.toString(), "--tls-key-file", missing.toString()),
                "boring-registry: cannot load TLS certificate " + missing + " and key " + missing + ": " + missing + ": no such file",
                List.of("--auth-tokens-file", missing.toString()),
                "boring-registry: --auth-tokens-file " + missing + ": cannot read it: " + missing + ": no such file",
                List.of("--storage-oci-registry", "127.0.0.1:" + TestPorts.free(), "--storage-oci-ca-file", missing.toString()),
                "boring-registry: cannot read a CA file: " + missing + ": no such file");
        cases.forEach((flags, expected) -> {
            List<String> args = new java.util.ArrayList<>(List.of("server", "--listen-address", "127.0.0.1:0",
                    "--listen-telemetry-address", "127.0.0.1:0", "--storage-oci-layout-dir", dir.resolve("data").toString()));
            args.addAll(flags);
            StringWriter err = new StringWriter();
            int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                    .execute(args.toArray(String[]::new));
            assertThat(code).as(flags.toString()).isEqualTo(1);
            // Each had ended with the bare path, which did not say whether the file was missing or unreadable.
            assertThat(err.toString().lines().toList()).as(flags.toString()).containsExactly(expected);
        });
    }

    /** Each had been a bare path, an "unexpected failure" with the exception's class, or a success that copied nothing. */
    @Test
    void uploadAndImportSayAMissingFileABrokenMirrorAndAnEmptyBucketCopyInOneLine(@TempDir Path dir) throws IOException {
        String layout = dir.resolve("data").toString();
        Path missing = dir.resolve("key.asc");
        Path broken = Files.createDirectories(dir.resolve("mirror/registry.terraform.io/hashicorp/null"));
        Files.writeString(broken.resolve("index.json"), "{\n");
        Path empty = Files.createDirectories(dir.resolve("bucket"));
        Map<List<String>, String> runs = new java.util.LinkedHashMap<>();
        runs.put(List.of("upload", "signing-key", "--namespace", "acme", missing.toString()), "boring-registry: cannot read " + missing + ": no such file");
        Path binary = Files.write(dir.resolve("key.gpg"), PgpKeys.generate("Binary <binary@wharf.invalid>").binaryPublicKey());
        runs.put(List.of("upload", "signing-key", "--namespace", "acme", binary.toString()), "boring-registry: " + binary
                + ": not an ASCII-armored OpenPGP public key: it is not text, as a binary key is (export it with gpg --armor --export KEYID)");
        runs.put(List.of("upload", "mirror", dir.resolve("nowhere").toString()), "boring-registry: " + dir.resolve("nowhere") + " is not a directory");
        runs.put(List.of("upload", "mirror", dir.resolve("mirror").toString()), "boring-registry: registry.terraform.io/hashicorp/null/index.json"
                + " is not valid mirror JSON: line 2, column 1: Unexpected end-of-input: expected close marker for Object (opened at line 1, column 1)");
        runs.put(List.of("import", empty.toString()), "boring-registry: " + empty + " holds no files: name the local copy of the bucket prefix");
        runs.forEach((args, expected) -> {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--storage-oci-layout-dir", layout));
            StringWriter err = new StringWriter();
            int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                    .execute(all.toArray(String[]::new));
            assertThat(code).as(args.toString()).isEqualTo(1);
            assertThat(err.toString().lines().toList()).as(args.toString()).hasSize(1);
            assertThat(err.toString()).as(args.toString()).startsWith(expected).doesNotContain("Exception:").doesNotContain("Source:");
        });
    }

    @Test
    void helpNeverShowsCredentialsFromTheEnvironment() {
        Map<String, String> env = Map.of("OCI_REGISTRY_PASSWORD", "hunter2-secret", "BORING_REGISTRY_STORAGE_OCI_TOKEN", "tok-secret",
                "BORING_REGISTRY_AUTH_STATIC_TOKEN", "api-secret", "BORING_REGISTRY_SIGNED_URL_KEY", "key-secret-0123456789");
        StringWriter out = new StringWriter();
        int code = new BoringRegistryCli(env).commandLine(new PrintWriter(out), new PrintWriter(new StringWriter()))
                .execute("server", "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--storage-oci-password").contains("OCI_REGISTRY_PASSWORD").doesNotContain("secret")
                .doesNotContain("hunter2");
    }

    @Test
    void uploadFailuresAreOneClearLine() throws Exception {
        StringWriter err = new StringWriter();
        Files.createDirectories(dir.resolve("empty"));
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("upload", "module", "--storage-oci-layout-dir", dir.resolve("data").toString(), dir.resolve("empty").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("boring-registry: no boring-registry.hcl found in").doesNotContain("\tat ");
    }

    @Test
    void serverOffersMetricsAndHealthOnTheTelemetryAddress() throws Exception {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs("--listen-address", "127.0.0.1:0",
                "--listen-telemetry-address", "127.0.0.1:0", "--storage-oci-layout-dir", dir.resolve("data").toString());
        try (ServerCommand.Running running = command.start()) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> discovery = http.send(java.net.http.HttpRequest.newBuilder(
                    running.registry().localUri().resolve("/.well-known/terraform.json")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(discovery.body()).isEqualTo("{\"modules.v1\":\"/v1/modules/\",\"providers.v1\":\"/v1/providers/\"}");
            assertThat(discovery.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            // A second request on the same connection is handled only once the first one, request log included, is done.
            http.send(java.net.http.HttpRequest.newBuilder(running.registry().localUri().resolve("/v1/unknown")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            String health = http.send(java.net.http.HttpRequest.newBuilder(running.telemetry().localUri().resolve("/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(health).contains("\"status\":\"ok\"").contains("oci-layout:");
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(running.telemetry().localUri().resolve("/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("wharf_http_requests_seconds_count{method=\"GET\",route=\"/.well-known/terraform.json\",status=\"200\"}");
        }
    }

    @Test
    void theModuleArchiveFormatTakesTarGzTgzOrZipAndRefusesAnythingElseClearly() {
        assertThat(value(Map.of(), "--storage-module-archive-format")).isEqualTo("TAR_GZ");
        assertThat(value(Map.of("BORING_REGISTRY_STORAGE_MODULE_ARCHIVE_FORMAT", "zip"), "--storage-module-archive-format")).isEqualTo("ZIP");
        assertThat(value(Map.of(), "--storage-module-archive-format", "--storage-module-archive-format", "tgz")).isEqualTo("TAR_GZ");
        assertThat(value(Map.of(), "--storage-module-archive-format", "--storage-module-archive-format", ".zip")).isEqualTo("ZIP");

        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("BORING_REGISTRY_STORAGE_MODULE_ARCHIVE_FORMAT", "rar"))) {
            StringWriter err = new StringWriter();
            // A missing TLS file makes a server that let 'rar' through fail at start instead of serving.
            List<String> args = new java.util.ArrayList<>(List.of("server", "--storage-oci-layout-dir", dir.toString(),
                    "--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                    "--tls-cert-file", dir.resolve("missing.pem").toString(), "--tls-key-file", dir.resolve("missing.pem").toString()));
            if (env.isEmpty()) {
                args.addAll(List.of("--storage-module-archive-format", "rar"));
            }
            int code = new BoringRegistryCli(env).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                    .execute(args.toArray(String[]::new));
            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains("--storage-module-archive-format").contains("'rar'").contains("tar.gz (or tgz) or zip");
        }
    }
}
