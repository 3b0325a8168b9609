package dev.wharf.terraform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.http.access.Scope;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a token's claim values grant: the operator's mapping, or a publish scope spelled out; admin only through the mapping. */
class OidcScopesTest {
    private final OidcScopes scopes = OidcScopes.of(Optional.of("groups"), List.of("platform=publish:acme/*", "wharf-admins=admin"));

    @Test
    void aGroupThatSpellsAdminGrantsNothingOnlyTheMappingGrantsAdmin() {
        for (String group : List.of("admin", "Admin", " ADMIN ", "read")) {
            List<Scope> granted = scopes.granted(groups(group));
            assertThat(granted).as(group).containsExactly(Scope.read());
            assertThat(granted.stream().anyMatch(s -> s.kind() == Scope.Kind.ADMIN)).as(group).isFalse();
        }
        assertThat(scopes.granted(groups("wharf-admins")).stream().anyMatch(s -> s.kind() == Scope.Kind.ADMIN)).isTrue();
    }

    @Test
    void aPublishScopeExactlySpelledGrantsItselfAndNoOtherSpellingDoes() {
        assertThat(scopes.granted(groups("publish:other/*"))).containsExactly(Scope.read(), Scope.publish("other/*"));
        for (String group : List.of("Publish:*", "PUBLISH:*", " publish:*", "publish:* ", "publish:", "publish:a b")) {
            assertThat(scopes.granted(groups(group))).as(group).containsExactly(Scope.read());
        }
        assertThat(scopes.granted(groups("platform"))).containsExactly(Scope.read(), Scope.publish("acme/*"));
    }

    private static JWTClaimsSet groups(String... values) {
        return new JWTClaimsSet.Builder().claim("groups", List.of(values)).build();
    }
}
