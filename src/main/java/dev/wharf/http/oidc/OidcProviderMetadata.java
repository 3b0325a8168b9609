package dev.wharf.http.oidc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/** The parts of an issuer's {@code /.well-known/openid-configuration} Wharf uses. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OidcProviderMetadata(
        @JsonProperty("issuer") @Nullable String issuer,
        @JsonProperty("authorization_endpoint") @Nullable URI authorizationEndpoint,
        @JsonProperty("token_endpoint") @Nullable URI tokenEndpoint,
        @JsonProperty("jwks_uri") @Nullable URI jwksUri) {
}
