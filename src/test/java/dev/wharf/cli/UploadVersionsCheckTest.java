package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.access.NewToken;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestModules;
import dev.wharf.testing.TestPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * {@code upload module --server} asks the server which versions are stored before it pushes any
 * module ({@code GET /api/v1/modules/…/versions}), here through a proxy that answers that route as
 * an older server or a broken one would, in front of a real server.
 */
class UploadVersionsCheckTest {
    private static final String VERSIONS_ROUTE = "^/api/v1/modules/[^/]+/[^/]+/[^/]+/versions$";

    @TempDir
    Path dir;

    NewToken ci;
    Path tokens;
    Path tree;

    @BeforeEach
    void setUp() throws Exception {
        ci = Publishing.token("ci", "publish:acme/*");
        tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), ci);
        tree = dir.resolve("tree");
        TestModules.write(tree.resolve("a"), "a", "1.0.0", "a");
        TestModules.write(tree.resolve("b"), "b", "1.0.0", "b");
    }

    /** A server from before the route answers 404 or 405 there: each module is published, a stored one refused by its PUT and skipped. */
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"STATUS_404", "STATUS_405"})
    void aServerWithoutTheVersionsRouteIsPublishedToAsBefore(Fault olderServer) throws Exception {
        try (ServerCommand.Running server = server(); FaultProxy proxy = FaultProxy.before("127.0.0.1:" + server.registry().port())) {
            Path stored = TestModules.write(dir.resolve("stored"), "a", "1.0.0", "stored before");
            assertThat(upload("http://127.0.0.1:" + server.registry().port(), "--recursive=false", stored.toString()).code()).isZero();
            proxy.inject(olderServer, UploadVersionsCheckTest::versionsCheck);

            Run run = upload("http://" + proxy.host(), tree.toString());

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(proxy.requests()).filteredOn(UploadVersionsCheckTest::versionsCheck).hasSize(2);
            assertThat(proxy.requests()).filteredOn(r -> r.method().equals("PUT")).extracting(FaultProxy.Request::path)
                    .containsExactly("/api/v1/modules/acme/a/aws/1.0.0", "/api/v1/modules/acme/b/aws/1.0.0");
        }
        assertThat(storedTags("a")).hasSize(1);
        assertThat(storedTags("b")).hasSize(1);
    }

    /**
     * A failure, or an answer that is not Wharf's, tells nothing of what is stored: the upload stops
     * with one error before any push, rather than push everything as if nothing were stored (a JSON
     * object without the list) or repeat the failure once per module.
     */
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"STATUS_500", "HTML_200", "OTHER_JSON_200"})
    void anyOtherAnswerToTheVersionsCheckStopsTheUploadWithOneErrorAndPushesNothing(Fault answer) throws Exception {
        try (ServerCommand.Running server = server(); FaultProxy proxy = FaultProxy.before("127.0.0.1:" + server.registry().port())) {
            proxy.inject(answer, UploadVersionsCheckTest::versionsCheck);

            Run run = upload("http://" + proxy.host(), tree.toString());

            assertThat(run.code()).isEqualTo(1);
            String why = switch (answer) {
                case STATUS_500 -> " (HTTP 500): injected fault";
                case HTML_200 -> ": its answer is not JSON (Content-Type text/html): not the answer of a Wharf server";
                default -> ": its answer holds no list of versions: not the answer of a Wharf server";
            };
            assertThat(run.err()).isEqualTo("boring-registry: cannot check the versions of module acme/a/aws already published at http://"
                    + proxy.host() + why + "\n");
            assertThat(proxy.requests()).filteredOn(r -> r.method().equals("PUT")).isEmpty();
        }
        assertThat(storedTags("a")).isEmpty();
        assertThat(storedTags("b")).isEmpty();
    }

    @Test
    void aServerThatCannotBeReachedIsOneError() {
        String closed = "http://127.0.0.1:" + TestPorts.free();

        Run run = upload(closed, tree.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("boring-registry: cannot reach " + closed + ": connection refused\n");
    }

    /** Interrupted while the server sits on the check (never answered): said as that check, once, and nothing pushed. */
    @Test
    void anInterruptDuringTheVersionsCheckSaysSo() throws Exception {
        try (ServerCommand.Running server = server(); FaultProxy proxy = FaultProxy.before("127.0.0.1:" + server.registry().port())) {
            proxy.inject(Fault.STALL, UploadVersionsCheckTest::versionsCheck);
            AtomicReference<Run> run = new AtomicReference<>();
            AtomicBoolean flagKept = new AtomicBoolean();
            Thread worker = new Thread(() -> {
                run.set(upload("http://" + proxy.host(), tree.toString()));
                flagKept.set(Thread.currentThread().isInterrupted());
            }, "upload-interrupted");
            worker.start();
            while (worker.isAlive() && proxy.requests().stream().noneMatch(UploadVersionsCheckTest::versionsCheck)) {
                Thread.onSpinWait();
            }
            worker.interrupt();
            worker.join();

            // On the old code: "interrupted while publishing to …", under each module.
            assertThat(run.get().code()).isEqualTo(1);
            assertThat(run.get().err()).isEqualTo("boring-registry: interrupted while checking the versions of module acme/a/aws already"
                    + " published at http://" + proxy.host() + "\n");
            assertThat(flagKept).as("interrupt flag kept").isTrue();
            assertThat(proxy.requests()).filteredOn(UploadVersionsCheckTest::versionsCheck).hasSize(1);
            assertThat(proxy.requests()).filteredOn(r -> r.method().equals("PUT")).isEmpty();
        }
    }

    private static boolean versionsCheck(FaultProxy.Request request) {
        return request.method().equals("GET") && request.path().matches(VERSIONS_ROUTE);
    }

    private record Run(int code, String err) {
    }

    private Run upload(String server, String... args) {
        List<String> all = new ArrayList<>(List.of("upload", "module", "--server", server, "--token", ci.token()));
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(code, err.toString());
    }

    private List<String> storedTags(String name) throws Exception {
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            return store.listTags(TestModules.LAYOUT.moduleRepository("acme", name, "aws"));
        }
    }

    private ServerCommand.Running server() {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs("--listen-address", "127.0.0.1:0",
                "--listen-telemetry-address", "127.0.0.1:0", "--storage-oci-layout-dir", dir.resolve("data").toString(),
                "--auth-tokens-file", tokens.toString());
        return command.start();
    }
}
