package dev.wharf.cli.epr;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * EPR's rule for environment variables: every flag {@code -some-flag} may be given as
 * {@code EPR_SOME_FLAG}; the command line wins over the environment.
 */
final class EnvDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;

    EnvDefaults(Map<String, String> env) {
        this.env = env;
    }

    static String variableFor(OptionSpec option) {
        return "EPR_" + option.longestName().replaceFirst("^-+", "").toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            String value = env.get(variableFor(option));
            if (value != null) {
                return value;
            }
        }
        return arg.defaultValue();
    }
}
