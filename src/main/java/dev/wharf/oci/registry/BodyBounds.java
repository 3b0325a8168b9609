package dev.wharf.oci.registry;

import dev.wharf.oci.DeadlineBody;
import dev.wharf.oci.TransferFloor;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * Gives a streamed answer's body (a blob) the least rate it must come at ({@link TransferFloor}), and any other the
 * deadline it must arrive by: the idle timeout alone
 * restarts with each byte, and a tag list trickled a byte every two seconds had held a request for 40 s. A body read
 * whole (a manifest, a tag page, an error) counts into its request's retry budget, with at least {@link #BODY_GRACE}
 * for an answer whose headers came at the budget's end; the answer to an upload, whose sending has no budget, gets
 * the response timeout after it.
 */
final class BodyBounds {
    /** The least time a body read whole is given after its headers, however little of the budget is left. */
    private static final Duration BODY_GRACE = Duration.ofSeconds(1);

    private final RegistryTimeouts timeouts;
    private final Clock clock;

    BodyBounds(RegistryTimeouts timeouts, Clock clock) {
        this.timeouts = timeouts;
        this.clock = clock;
    }

    /** Bounds {@code answer}'s body; {@code registry} names the registry in a streamed body's failure. */
    void bound(RegistryCall call, HttpResponse<InputStream> answer, long deadline, String registry) {
        if (call.streamed() && answer.statusCode() / 100 == 2) {
            DeadlineBody.keepAbove(answer.body(), new TransferFloor(clock, "registry " + registry + ", repository " + call.repository()
                    + ": cannot " + call.action()));
            return;
        }
        long now = System.nanoTime();
        if (call.upload()) {
            DeadlineBody.bound(answer.body(), now + timeouts.response().toNanos(),
                    "within the response timeout of " + timeouts.response().toMillis() + " ms after the upload");
        } else {
            DeadlineBody.bound(answer.body(), Math.max(deadline, now + RegistryTransport.min(BODY_GRACE, timeouts.response()).toNanos()),
                    "within the request's retry budget of " + timeouts.retryBudget().toMillis() + " ms");
        }
    }
}
