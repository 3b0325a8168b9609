package dev.wharf.cli;

import java.util.Set;
import picocli.CommandLine;

/**
 * What both programs' flag parsers do that picocli does not by itself. boring-registry (pflag,
 * viper) and EPR (Go's {@code flag}) read a boolean with {@code strconv.ParseBool}, from a flag or
 * from its variable: {@code BORING_REGISTRY_JSON=1} or {@code EPR_DRY_RUN=t} must start Wharf as
 * they start the originals. And a flag given twice takes its last value, as both parsers do, so
 * a wrapper may append an override.
 */
public final class GoFlags {
    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    private GoFlags() {
    }

    /** Applies both rules to {@code cli} and to the subcommands it already has. */
    public static void apply(CommandLine cli) {
        cli.registerConverter(Boolean.class, GoFlags::parseBool);
        cli.registerConverter(Boolean.TYPE, GoFlags::parseBool);
        cli.setOverwrittenOptionsAllowed(true);
    }

    /** {@code strconv.ParseBool}'s values, and true or false in any case, as picocli read them before. */
    static Boolean parseBool(String value) {
        if (TRUE.contains(value) || value.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(value) || value.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a boolean (1, t, true, 0, f or false)");
    }
}
