package dev.wharf.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code terraform} CLI isolated from the user's setup: its own CLI configuration
 * ({@code TF_CLI_CONFIG_FILE}), plugin cache off, no checkpoint calls, and a test certificate
 * trusted through {@code SSL_CERT_FILE}.
 */
public final class TerraformCli {
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path executable;
    private final Path cliConfig;
    private final Path caFile;

    public TerraformCli(Path cliConfig, Path caFile) {
        this.executable = RequiredTool.require("terraform", "terraform (from HashiCorp's releases)");
        this.cliConfig = cliConfig;
        this.caFile = caFile;
    }

    /** Writes a CLI configuration, empty or with a credentials block for {@code host}. */
    public static void writeConfig(Path file, String host, String token) throws IOException {
        String text = token == null ? "" : "credentials \"" + host + "\" {\n  token = \"" + token + "\"\n}\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    public Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("TF_"));
        env.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        env.put("SSL_CERT_FILE", caFile.toString());
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        env.put("HOME", workDir.toString());
        Path log = Files.createTempFile(workDir, "terraform-", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("terraform " + String.join(" ", args) + " did not finish");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Result(process.exitValue(), output);
    }
}
