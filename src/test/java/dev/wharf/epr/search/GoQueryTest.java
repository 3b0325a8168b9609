package dev.wharf.epr.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoQueryTest {
    @Test
    void readsAQueryAsGosParseQuery() {
        assertThat(GoQuery.parse(null)).isEmpty();
        assertThat(GoQuery.parse("package=nginx&kibana.version=8.15.0")).isEqualTo(Map.of("package", List.of("nginx"),
                "kibana.version", List.of("8.15.0")));
        assertThat(GoQuery.parse("package=nginx;all=true&prerelease=true")).isEqualTo(Map.of("prerelease", List.of("true")));
        assertThat(GoQuery.parse("package=%zz&q=a+b%21&all")).isEqualTo(Map.of("q", List.of("a b!"), "all", List.of("")));
        assertThat(GoQuery.parse("x=1&x=2&&")).isEqualTo(Map.of("x", List.of("1", "2")));
    }
}
