package dev.wharf.terraform.auth;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginV1Test {
    @Test
    void anIssuerWithoutAnAuthorizationEndpointIsReportedNotDereferenced() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        // A discovery document may leave authorization_endpoint out (a resource-server-only issuer).
        byte[] discovery = ("{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + issuer + "/token\",\"jwks_uri\":\""
                + issuer + "/jwks\"}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/.well-known/openid-configuration", exchange -> {
            exchange.sendResponseHeaders(200, discovery.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(discovery);
            }
        });
        server.start();
        try {
            OidcVerifier verifier = OidcVerifier.connect(new OidcSettings(URI.create(issuer), "wharf", Optional.empty(),
                    List.of("openid"), Optional.empty(), OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN), HttpClient.newHttpClient(),
                    Clock.systemUTC());

            assertThatThrownBy(() -> LoginAdvert.of(verifier, new LoginAdvert.Flags(null, List.of("authz_code"), null, null,
                    List.of(10000, 10010), List.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("authz: an authorization endpoint is required");
        } finally {
            server.stop(0);
        }
    }
}
