package dev.wharf.terraform.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code login.v1} service of the discovery document, which makes {@code terraform login HOST}
 * work: the OAuth client, grant types, authorization and token endpoints, the local ports terraform
 * may listen on for the redirect, and the scopes to ask for.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LoginV1(
        @JsonProperty("client") @Nullable String client,
        @JsonProperty("grant_types") List<String> grantTypes,
        @JsonProperty("authz") @Nullable String authz,
        @JsonProperty("token") @Nullable String token,
        @JsonProperty("ports") List<Integer> ports,
        @JsonProperty("scopes") List<String> scopes) {

    public LoginV1 {
        grantTypes = List.copyOf(grantTypes);
        ports = List.copyOf(ports);
        scopes = List.copyOf(scopes);
        List<String> problems = new ArrayList<>();
        if (client == null || client.isBlank()) {
            problems.add("client: a client identifier is required");
        }
        if (authz == null || authz.isBlank()) {
            problems.add("authz: an authorization endpoint is required");
        }
        if (token == null || token.isBlank()) {
            problems.add("token: a token endpoint is required");
        }
        if (!ports.isEmpty() && ports.size() != 2) {
            problems.add("ports: expected two ports (an inclusive range), got " + ports.size());
        } else if (ports.size() == 2 && (ports.get(0) > ports.get(1) || ports.get(0) < 0 || ports.get(1) > 65535)) {
            problems.add("ports: " + ports + " is not a range within 0-65535");
        }
        if (scopes.stream().anyMatch(String::isBlank)) {
            problems.add("scopes: a scope is empty");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("login.v1 is incomplete: " + String.join("; ", problems));
        }
    }
}
