package dev.wharf.terraform.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;

/** The parts of an issuer's {@code /.well-known/openid-configuration} Wharf uses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OidcProviderMetadata(
        @JsonProperty("issuer") String issuer,
        @JsonProperty("authorization_endpoint") URI authorizationEndpoint,
        @JsonProperty("token_endpoint") URI tokenEndpoint,
        @JsonProperty("jwks_uri") URI jwksUri) {
}
