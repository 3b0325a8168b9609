package dev.wharf.cli.epr;

import dev.wharf.cli.GoFlags;
import java.util.Map;
import picocli.CommandLine;

/**
 * Builds the picocli command line with Go's flag conventions: {@code -flag value}, {@code -flag=value},
 * {@code --flag}; booleans as {@code -flag} or {@code -flag=false}; every flag from {@code EPR_<FLAG>}.
 */
public final class PackageRegistryCommandLine {
    private PackageRegistryCommandLine() {
    }

    public static CommandLine create(Map<String, String> env) {
        CommandLine cl = new CommandLine(new ServeCommand());
        cl.setDefaultValueProvider(new EnvDefaults(env));
        cl.getSubcommands().values().forEach(sub -> sub.setDefaultValueProvider(new EnvDefaults(env)));
        cl.setPosixClusteredShortOptionsAllowed(false);
        GoFlags.apply(cl);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("package-registry: " + e.getMessage());
            return 1;
        });
        return cl;
    }
}
