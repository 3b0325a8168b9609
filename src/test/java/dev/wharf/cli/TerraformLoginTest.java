package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code terraform login} against the login.v1 Wharf advertises for an OIDC issuer: the CLI
 * runs the authorization code flow with PKCE through the issuer, keeps the access token, and then
 * {@code terraform init} installs a module with it.
 */
class TerraformLoginTest {
    private static final Pattern AUTHORIZE = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/authorize\\?[^\\s'\"]+)");

    @TempDir
    Path dir;

    @Test
    void terraformLoginThroughTheIssuerThenInitWithTheTokenItSaved() throws Exception {
        Path terraform = RequiredTool.require("terraform", "terraform (from HashiCorp's releases)");
        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        Path cert = certificate.writePem(dir.resolve("tls"));
        InProcessRegistry.uploadExampleModule(dir.resolve("data"));
        try (OidcIssuer issuer = OidcIssuer.start(); ServerCommand.Running server = start(issuer, cert)) {
            issuer.jwtAccessTokens(true);
            String host = "127.0.0.1:" + server.registry().port();
            Path home = dir.resolve("home");
            // Terraform writes the credentials file there but does not make the folder.
            Files.createDirectories(home.resolve(".terraform.d"));

            Process login = terraform(terraform, cert, home, home, "login", host).start();
            try (OutputStream stdin = login.getOutputStream()) {
                stdin.write("yes\n".getBytes(StandardCharsets.UTF_8));
            }
            String authorize = null;
            StringBuilder said = new StringBuilder();
            BufferedReader out = new BufferedReader(new InputStreamReader(login.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null && authorize == null; line = out.readLine()) {
                said.append(line).append('\n');
                Matcher m = AUTHORIZE.matcher(line);
                if (m.find()) {
                    authorize = m.group(1);
                }
            }
            assertThat(authorize).as(said.toString()).isNotNull();
            // The browser's part: the issuer's page, its button, and the way back to terraform's own listener.
            String back = issuer.approveWithoutBrowser(authorize);
            assertThat(back).startsWith("http://localhost:");
            HttpResponse<String> landed = visitAsABrowserWould(URI.create(back), login, out, said);
            assertThat(landed.statusCode()).as(back + " -> " + landed.body() + "\n" + authorize).isEqualTo(200);
            String rest = new String(login.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(login.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(login.exitValue()).as(said + rest).isZero();
            assertThat(rest).contains("Success!");
            assertThat(Files.readString(home.resolve(".terraform.d/credentials.tfrc.json"))).contains(host);

            Path config = Files.createDirectories(dir.resolve("config"));
            Files.writeString(config.resolve("main.tf"), "module \"hello\" {\n  source  = \"" + host + "/example/hello/null\"\n"
                    + "  version = \"1.0.0\"\n}\n");
            Process init = terraform(terraform, cert, home, config, "init", "-input=false", "-no-color").start();
            String initSaid = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(init.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(init.exitValue()).as(initSaid).isZero();
            assertThat(initSaid).contains("Downloading " + host + "/example/hello/null 1.0.0 for hello");
        }
    }

    /**
     * The way back to terraform's listener, which binds 127.0.0.1 but names {@code localhost}: a browser tries
     * each address the name has until one answers, where Java's client takes only the first. If none answers,
     * the failure carries what terraform printed, which says whether it is still waiting.
     */
    private static HttpResponse<String> visitAsABrowserWould(URI back, Process login, BufferedReader out, StringBuilder said) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> refused = new ArrayList<>();
        for (InetAddress address : InetAddress.getAllByName(back.getHost())) {
            String literal = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            URI at = new URI(back.getScheme(), null, literal, back.getPort(), back.getPath(), back.getQuery(), null);
            try {
                return http.send(HttpRequest.newBuilder(at).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                refused.add(at.getHost() + ": " + e);
            }
        }
        String state = login.isAlive() ? "was still running" : "had exited with " + login.exitValue();
        login.destroyForcibly();
        try {
            out.lines().forEach(line -> said.append(line).append('\n'));
        } catch (UncheckedIOException e) {
            said.append("(the rest could not be read: ").append(e.getCause()).append(")\n");
        }
        throw new AssertionError("nothing listens at " + back + " (" + refused + "); terraform " + state + " and printed:\n" + said);
    }

    /** terraform with only {@code home} for its state and credentials, trusting {@code cert}: no CLI configuration, which would hide the credentials file. */
    private static ProcessBuilder terraform(Path terraform, Path cert, Path home, Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of(terraform.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("TF_"));
        env.put("HOME", home.toString());
        env.put("SSL_CERT_FILE", cert.toString());
        env.put("CHECKPOINT_DISABLE", "1");
        // No browser to open: terraform prints the URL instead.
        env.put("BROWSER", "/bin/false");
        env.put("PATH", "/usr/bin:/bin");
        return builder;
    }

    private ServerCommand.Running start(OidcIssuer issuer, Path cert) {
        return InProcessRegistry.start(dir.resolve("data"), "--tls-cert-file", cert.toString(),
                "--tls-key-file", cert.resolveSibling("key.pem").toString(), "--auth-oidc-issuer", issuer.issuer().toString(),
                "--auth-oidc-clientid", "terraform-cli", "--auth-oidc-scopes", "openid");
    }
}
