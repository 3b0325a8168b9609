package dev.wharf.terraform.auth;

import dev.wharf.http.oidc.OidcProviderMetadata;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code login.v1} the discovery answer carries, as boring-registry builds it: each part a
 * {@code --login-*} flag gives, else the issuer's (its client id and scopes, its endpoints). Until an
 * issuer that was down at start has answered, there is none, unless the flags name both endpoints:
 * {@code terraform login} cannot do without them.
 */
public final class LoginAdvert implements Supplier<Optional<LoginV1>> {
    private static final Logger LOG = LoggerFactory.getLogger(LoginAdvert.class);
    // Stands in for an endpoint the issuer has yet to name, only to check the flags' part at start.
    private static final String PENDING = "https://issuer.invalid/pending";

    private final OidcVerifier verifier;
    private final Flags flags;
    private volatile @Nullable LoginV1 made;
    // The issuer answered with too little for it: said once, and not tried again.
    private volatile boolean impossible;

    /** The {@code --login-*} flags; a blank or empty one leaves that part to the issuer. */
    public record Flags(@Nullable String client, List<String> grantTypes, @Nullable String authz, @Nullable String token,
                        List<Integer> ports, List<String> scopes) {
        public Flags {
            grantTypes = List.copyOf(grantTypes);
            ports = List.copyOf(ports);
            scopes = List.copyOf(scopes);
        }
    }

    private LoginAdvert(OidcVerifier verifier, Flags flags) {
        this.verifier = verifier;
        this.flags = flags;
    }

    /** Builds it now when the issuer has answered; otherwise checks now what does not depend on the issuer. Throws {@link IllegalArgumentException} when incomplete. */
    public static LoginAdvert of(OidcVerifier verifier, Flags flags) {
        LoginAdvert advert = new LoginAdvert(verifier, flags);
        Optional<OidcProviderMetadata> metadata = verifier.metadata();
        if (metadata.isPresent() || !blank(flags.authz()) && !blank(flags.token())) {
            advert.made = advert.build(metadata);
        } else {
            advert.build(Optional.of(new OidcProviderMetadata(null, URI.create(PENDING), URI.create(PENDING), null)));
        }
        return advert;
    }

    @Override
    public Optional<LoginV1> get() {
        LoginV1 known = made;
        if (known != null || impossible) {
            return Optional.ofNullable(known);
        }
        Optional<OidcProviderMetadata> metadata = verifier.metadata();
        if (metadata.isEmpty()) {
            return Optional.empty();
        }
        synchronized (this) {
            if (made == null && !impossible) {
                try {
                    made = build(metadata);
                } catch (IllegalArgumentException e) {
                    LOG.error("login.v1 is not advertised, so terraform login cannot be used: {}", e.getMessage());
                    impossible = true;
                }
            }
            return Optional.ofNullable(made);
        }
    }

    private LoginV1 build(Optional<OidcProviderMetadata> metadata) {
        URI authorization = metadata.map(verifier::authorizationUrl).orElse(null);
        URI token = metadata.map(OidcProviderMetadata::tokenEndpoint).orElse(null);
        return new LoginV1(
                blank(flags.client()) ? verifier.settings().clientId() : flags.client(),
                flags.grantTypes(),
                blank(flags.authz()) ? (authorization == null ? null : authorization.toString()) : flags.authz(),
                blank(flags.token()) ? (token == null ? null : token.toString()) : flags.token(),
                flags.ports(),
                flags.scopes().isEmpty() ? verifier.settings().scopes() : flags.scopes());
    }

    private static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }
}
