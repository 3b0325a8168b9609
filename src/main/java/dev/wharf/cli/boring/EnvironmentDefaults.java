package dev.wharf.cli.boring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment, as boring-registry reads them: every {@code --flag-name}
 * from {@code BORING_REGISTRY_FLAG_NAME}, and the seed's credential flags also from the
 * {@code OCI_REGISTRY_*} variables (the {@code BORING_REGISTRY_} one wins). A variable set to the
 * empty string counts as unset: {@code OCI_REGISTRY_PASSWORD=} in a CI file must not log in with an
 * empty password.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
    private static final Map<String, String> FALLBACKS = Map.of(
            "--storage-oci-username", "OCI_REGISTRY_USERNAME",
            "--storage-oci-password", "OCI_REGISTRY_PASSWORD",
            "--storage-oci-token", "OCI_REGISTRY_TOKEN");

    private final Map<String, String> env;

    public EnvironmentDefaults(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The variables an option reads, first match wins. */
    public static List<String> variables(OptionSpec option) {
        List<String> names = new ArrayList<>();
        for (String flag : option.names()) {
            if (flag.startsWith("--")) {
                names.add(variable(flag));
            }
        }
        String fallback = FALLBACKS.get(option.longestName());
        if (fallback != null) {
            names.add(fallback);
        }
        return names;
    }

    static String variable(String flag) {
        return "BORING_REGISTRY_" + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public @Nullable String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        for (String name : variables(option)) {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return option.defaultValue();
    }
}
