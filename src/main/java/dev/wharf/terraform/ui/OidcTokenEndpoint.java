package dev.wharf.terraform.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.LimitedBody;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The issuer's token endpoint, for the authorization code grant of a public client: the code, the
 * redirect URI it was issued for and the PKCE code verifier buy an ID token. No client secret: the
 * verifier proves that whoever redeems the code is who asked for it.
 */
final class OidcTokenEndpoint {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ANSWER = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String clientId;
    private final HttpClient http;

    OidcTokenEndpoint(URI endpoint, String clientId, HttpClient http) {
        this.endpoint = endpoint;
        this.clientId = clientId;
        this.http = http;
    }

    /** The ID token the issuer hands out for {@code code}; {@link SignInRefused} saying why not. */
    String idToken(String code, URI redirectUri, String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri.toString());
        form.put("client_id", clientId);
        form.put("code_verifier", codeVerifier);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, LimitedBody.handler(MAX_ANSWER));
        } catch (IOException e) {
            if (LimitedBody.tooLarge(e) != null) {
                throw new SignInRefused("the identity provider's token answer is larger than " + MAX_ANSWER + " bytes", e);
            }
            throw new SignInRefused("the identity provider's token endpoint cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInRefused("interrupted while redeeming the sign-in code", e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() != 200) {
            throw new SignInRefused("the identity provider refused the sign-in code (HTTP " + response.statusCode() + ": "
                    + answer.path("error").asText("no error given") + describe(answer) + ")");
        }
        String idToken = answer.path("id_token").asText("");
        if (idToken.isEmpty()) {
            throw new SignInRefused("the identity provider's token answer holds no id_token: is 'openid' among the client's scopes?");
        }
        return idToken;
    }

    private static String describe(JsonNode answer) {
        String description = answer.path("error_description").asText("");
        return description.isEmpty() ? "" : ", " + description;
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
        } catch (IOException e) {
            throw new SignInRefused("the identity provider's token answer is not JSON", e);
        }
    }
}
