package dev.wharf.cli.boring;

import dev.wharf.cli.WharfVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code boring-registry version}; also {@code -V}/{@code --version}, as {@link VersionCommand.Provider}. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Print the version and git revision")
public final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(WharfVersion.current().line("boring-registry"));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** picocli's {@code -V}/{@code --version} answer. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {WharfVersion.current().line("boring-registry")};
        }
    }
}
