package dev.wharf.terraform.upload;

import dev.wharf.terraform.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --version-constraints-semver}: comma-separated conditions that must all hold, read and
 * checked exactly as boring-registry does with hashicorp/go-version v1.9.0 ({@code NewConstraint},
 * {@code Constraints.Check}), so that Wharf uploads the versions boring-registry would. That is not
 * Terraform's documented constraint language in every case:
 * <ul>
 * <li>{@code ~>} fixes only the numbers before the last one given: {@code ~> 1.2} is {@code >= 1.2,
 * < 2}, {@code ~> 1.2.3} is {@code >= 1.2.3, < 1.3}, but {@code ~> 1} is just {@code >= 1}.
 * <li>{@code >}, {@code <}, {@code >=}, {@code <=} and {@code ~>} take a pre-release version only
 * when the condition names a pre-release of the same numbers; {@code ~>} with a pre-release takes
 * only pre-releases.
 * <li>{@code =} and {@code !=} have no pre-release rule: {@code != 1.5.0} takes {@code 3.0.0-beta.1}.
 * </ul>
 */
public final class VersionConstraints {
    // go-version's constraint regexp (constraint.go): Go's \s is these four and the space.
    private static final String SPACE = "[\\t\\n\\f\\r ]*";
    private static final Pattern CONDITION = Pattern.compile(
            SPACE + "(<=|>=|!=|~>|<|>|=|)" + SPACE + "(" + GoVersion.LOOSE + ")" + SPACE);

    private record Condition(Operator op, GoVersion version) {
    }

    private final List<Condition> conditions;
    private final String text;

    private VersionConstraints(List<Condition> conditions, String text) {
        this.conditions = conditions;
        this.text = text;
    }

    public static VersionConstraints parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty version constraint");
        }
        List<Condition> conditions = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = CONDITION.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("malformed version constraint '" + part.trim() + "' in '" + text
                        + "': expected an operator (=, !=, >, >=, <, <=, ~>) and a version such as 1.2.3");
            }
            GoVersion version = GoVersion.parseLoose(m.group(2)).orElseThrow(() -> new IllegalArgumentException(
                    "version constraint '" + part.trim() + "' in '" + text + "': a number is larger than 9223372036854775807"));
            conditions.add(new Condition(Operator.of(m.group(1)), version));
        }
        return new VersionConstraints(List.copyOf(conditions), text);
    }

    /** Whether the module version {@code v} meets every condition. */
    public boolean allows(Version v) {
        // boring-registry reads the module's version with go-version's NewSemver (pkg/module/parser.go);
        // it fails only on a number beyond int64, where boring-registry stops the upload with an error too.
        GoVersion version = GoVersion.parseSemver(v.text()).orElseThrow(() -> new UploadException(
                "version " + v + ": a number is larger than 9223372036854775807, which version constraints cannot compare"));
        return conditions.stream().allMatch(c -> c.op().test(version, c.version()));
    }

    @Override
    public String toString() {
        return text;
    }
}
