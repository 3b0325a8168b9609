package dev.wharf.epr.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.search.PackageSearch.CategoryCount;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EPR 1.40's join rules (search.go, categories.go, packages.Join, latestPackagesVersion), one by one. */
class ProxyMergeTest {

    private static PackageDocument doc(String name, String version, String title) {
        PackageDocument d = new PackageDocument();
        d.name = name;
        d.version = version;
        d.title = title;
        return d;
    }

    private static List<String> shown(List<PackageDocument> docs) {
        return docs.stream().map(d -> d.name + "-" + d.version + ":" + d.title).toList();
    }

    @Test
    void aVersionBothHaveIsShownAsThisRegistryHasIt() {
        List<PackageDocument> merged = ProxyMerge.search(List.of(doc("nginx", "1.2.0", "local")),
                List.of(doc("nginx", "1.2.0", "upstream")), true);
        assertThat(shown(merged)).containsExactly("nginx-1.2.0:local");
    }

    @Test
    void withoutAllTheNewestVersionWinsWhereverItComesFrom() {
        List<PackageDocument> local = List.of(doc("nginx", "1.2.0", "local"), doc("apache", "2.0.0", "local"));
        List<PackageDocument> upstream = List.of(doc("nginx", "1.10.0", "upstream"), doc("apache", "1.9.0", "upstream"));
        assertThat(shown(ProxyMerge.search(local, upstream, false)))
                .containsExactly("apache-2.0.0:local", "nginx-1.10.0:upstream");
    }

    @Test
    void withAllEveryVersionOfBothIsShownInNameThenSemverOrder() {
        List<PackageDocument> local = List.of(doc("nginx", "1.10.0", "local"), doc("zeek", "0.1.0", "local"));
        List<PackageDocument> upstream = List.of(doc("nginx", "1.9.0", "upstream"), doc("nginx", "1.10.0", "upstream"),
                doc("aws", "2.0.0-beta1", "upstream"), doc("nginx", "1.10.0-rc1", "upstream"));
        assertThat(shown(ProxyMerge.search(local, upstream, true))).containsExactly("aws-2.0.0-beta1:upstream",
                "nginx-1.9.0:upstream", "nginx-1.10.0-rc1:upstream", "nginx-1.10.0:local", "zeek-0.1.0:local");
    }

    @Test
    void nothingHereMeansTheUpstreamsAnswer() {
        List<PackageDocument> upstream = List.of(doc("b", "1.0.0", "u"), doc("a", "1.0.0", "u"));
        assertThat(shown(ProxyMerge.search(List.of(), upstream, false))).containsExactly("a-1.0.0:u", "b-1.0.0:u");
    }

    @Test
    void categoriesBothHaveAreAddedUpAndTheUpstreamsOthersKeepTheirTitles() {
        List<CategoryCount> local = List.of(new CategoryCount("security", "Security", 2, null, null),
                new CategoryCount("custom", "custom", 1, null, null));
        List<CategoryCount> upstream = List.of(new CategoryCount("security", "Security (upstream title)", 5, null, null),
                new CategoryCount("aws", "AWS", 3, "cloud", "Cloud"));
        assertThat(ProxyMerge.categories(local, upstream)).containsExactly(
                new CategoryCount("aws", "AWS", 3, "cloud", "Cloud"),
                new CategoryCount("custom", "custom", 1, null, null),
                new CategoryCount("security", "Security", 7, null, null));
    }
}
