package dev.wharf.http.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScopeTest {
    @Test
    void aPublishScopeCoversNamesWhateverTheirCaseAsTheyAreStored() {
        Scope acme = Scope.parse("publish:acme/*");
        assertThat(acme.allowsPublishing("acme/vpc/aws")).isTrue();
        assertThat(acme.allowsPublishing("ACME/vpc/aws")).isTrue();
        assertThat(acme.allowsPublishing("acmeco/vpc/aws")).isFalse();
        assertThat(acme.allowsPublishing("other/vpc/aws")).isFalse();
        assertThat(Scope.parse("publish:Acme/Net/aws").allowsPublishing("acme/net/aws")).isTrue();
        assertThat(Scope.parse("publish:acme/net/?ws").allowsPublishing("acme/net/gcp")).isFalse();
        assertThat(Scope.read().allowsPublishing("acme/vpc/aws")).isFalse();
        assertThat(Scope.admin().allowsPublishing("ANY/thing")).isTrue();
    }
}
