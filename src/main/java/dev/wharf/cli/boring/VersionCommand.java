package dev.wharf.cli.boring;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code boring-registry version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version")
public final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        String version = VersionCommand.class.getPackage().getImplementationVersion();
        System.out.println("boring-registry (Wharf) " + (version == null ? "development build" : version)
                + ", Java " + Runtime.version());
        return 0;
    }
}
