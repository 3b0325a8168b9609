package dev.wharf.epr.oci;

import dev.wharf.epr.model.PackageNames;
import dev.wharf.epr.model.Versions;
import java.util.Optional;

/**
 * A tag in EPR's zip naming, {@code {name}-{version}}: {@code nginx-1.20.0}, {@code nginx-1.21.0-beta1},
 * {@code aws_bedrock-0.3.0}. Names are {@code [a-z0-9_]+}, so the split is at the first {@code -}
 * after which a whole semver follows. (Build metadata cannot appear: OCI tags have no {@code +}.)
 */
public record PackageTag(String name, String version) {

    public static Optional<PackageTag> parse(String tag) {
        for (int i = tag.indexOf('-'); i > 0; i = tag.indexOf('-', i + 1)) {
            String name = tag.substring(0, i);
            String version = tag.substring(i + 1);
            if (PackageNames.isValid(name) && Versions.isStrict(version)) {
                return Optional.of(new PackageTag(name, version));
            }
        }
        return Optional.empty();
    }

    public String tag() {
        return name + "-" + version;
    }
}
