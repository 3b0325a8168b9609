package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handler on its own in a bare Jetty server whose router pool refuses all work: what it
 * answers then, it answered on the thread that read the request.
 */
class ReadyAnswerHandlerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ReadyAnswers answers = new ReadyAnswers(1L << 20);
    private Server server;

    private URI start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ReadyAnswerHandler handler = new ReadyAnswerHandler(answers, RequestObserver.NONE, task -> {
            throw new RejectedExecutionException("no threads left");
        });
        handler.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, ByteBuffer.wrap("routed".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.setHandler(handler);
        server.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void readyAnswersNeedNoPoolThreadAndTheRestIsRefusedWith503WhenThePoolIsFull() throws Exception {
        URI base = start();
        answers.remember("/ready?x=1", ReadyAnswer.of("/ready", "application/json", List.of(), "{\"ready\":true}".getBytes(StandardCharsets.UTF_8), false),
                header -> true);

        assertThat(server.getInvocationType()).as("Jetty may run the handler on its selector threads").isEqualTo(Invocable.InvocationType.NON_BLOCKING);
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/ready?x=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"ready\":true}");

        for (HttpRequest refused : new HttpRequest[] {
                HttpRequest.newBuilder(base.resolve("/ready?x=2")).build(),
                HttpRequest.newBuilder(base.resolve("/ready?x=1")).POST(HttpRequest.BodyPublishers.ofString("{}")).build()}) {
            HttpResponse<String> response = http.send(refused, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(refused.toString()).isEqualTo(503);
        }
    }
}
