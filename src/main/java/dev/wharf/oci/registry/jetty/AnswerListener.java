package dev.wharf.oci.registry.jetty;

import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.io.Content;

/**
 * Hands over an answer once its headers are in, with its body as Jetty's content source, to be
 * read by whoever reads the blob; a failure before that fails the future.
 */
final class AnswerListener implements Response.Listener {
    record Arrived(Response response, Content.Source body) {
    }

    private final CompletableFuture<Arrived> arrived = new CompletableFuture<>();

    CompletableFuture<Arrived> arrived() {
        return arrived;
    }

    @Override
    public void onContentSource(Response response, Content.Source body) {
        arrived.complete(new Arrived(response, body));
    }

    @Override
    public void onComplete(Result result) {
        if (result.isFailed()) {
            arrived.completeExceptionally(result.getFailure());
        }
    }
}
