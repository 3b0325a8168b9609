package dev.wharf.cli;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.Publishing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** boring-registry as its command starts it, on local storage behind a tokens file, and what it counts as answered from memory. */
final class ReadyAnswerServer {
    private ReadyAnswerServer() {
    }

    static ServerCommand.Running start(Path dir, NewToken... tokens) throws Exception {
        Path file = Publishing.writeTokens(dir.resolve("tokens.yaml"), tokens);
        String[] args = {"--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
            "--storage-oci-layout-dir", dir.resolve("data").toString(), "--auth-tokens-file", file.toString()};
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs(args);
        return command.start();
    }

    /** {@code wharf_ready_answers_total} of a route, from the telemetry port. */
    static double fromMemory(HttpClient http, ServerCommand.Running server, String route) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.telemetry().port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher found = Pattern.compile("wharf_ready_answers_total\\{route=\"" + Pattern.quote(route) + "\"} (\\S+)").matcher(metrics);
        return found.find() ? Double.parseDouble(found.group(1)) : 0;
    }
}
