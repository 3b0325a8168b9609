package dev.wharf.testing;

import dev.wharf.testing.FaultProxy.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The faults that let the registry answer and break its answer on the way back: a body cut,
 * stalled, reset, trickled, changed or grown, a range's Content-Range shifted or its part taken from
 * another version of the file. Any other answer
 * passes byte for byte.
 */
final class BodyFaults {
    private final FaultSwitch faults;

    BodyFaults(FaultSwitch faults) {
        this.faults = faults;
    }

    /** Passes the answer whose head was {@code head} from {@code down} to the client, as {@code fault} wants. */
    void relay(Fault fault, ProxyHead head, InputStream down, OutputStream out, Socket client) throws IOException {
        if (fault == Fault.LONGER_BODY && head.isOk() && head.contentLength() >= 0) {
            out.write(head.withContentLength(head.contentLength() + FaultProxy.EXTRA_BYTES));
            copy(down, out, head.contentLength(), false);
            out.write(new byte[FaultProxy.EXTRA_BYTES]);
            out.flush();
            return;
        }
        if (fault == Fault.SHIFTED_CONTENT_RANGE && head.isPartial() && head.header("content-range") != null) {
            out.write(head.withHeader("Content-Range", shiftedByOne(head.header("content-range"))));
            down.transferTo(out);
            return;
        }
        if (fault == Fault.CHANGED_FILE_RANGE && head.isPartial() && head.contentLength() >= 0) {
            out.write(ofAnotherVersion(head));
            copy(down, out, head.contentLength(), true);
            out.flush();
            return;
        }
        out.write(head.raw());
        if (fault == Fault.TRICKLE_BODY && head.contentLength() > 0) {
            trickle(down, out, head.contentLength());
            return;
        }
        boolean cut = fault == Fault.STALL_MID_BODY || fault == Fault.RESET_MID_BODY || fault == Fault.TRUNCATE_BODY;
        boolean alter = (head.isOk() || cut && head.isPartial()) && head.contentLength() > 1 && (cut || fault == Fault.WRONG_BYTES);
        if (!alter) {
            down.transferTo(out);
            return;
        }
        long half = head.contentLength() / 2;
        copy(down, out, half, false);
        out.flush();
        switch (fault) {
            case STALL_MID_BODY -> faults.holdWhile(Fault.STALL_MID_BODY);
            case RESET_MID_BODY -> client.setSoLinger(true, 0);
            case WRONG_BYTES -> copy(down, out, head.contentLength() - half, true);
            default -> {
            }
        }
        out.flush();
    }

    /** The head with the validators of another version of its file: each it has, changed. */
    private static byte[] ofAnotherVersion(ProxyHead head) throws IOException {
        ProxyHead changed = head;
        if (head.header("etag") != null) {
            changed = ProxyHead.read(new java.io.ByteArrayInputStream(changed.withHeader("ETag", "\"another-version\"")));
        }
        if (head.header("last-modified") != null) {
            changed = ProxyHead.read(new java.io.ByteArrayInputStream(changed.withHeader("Last-Modified", "Mon, 01 Jan 2035 00:00:00 GMT")));
        }
        return changed.raw();
    }

    /** "bytes 10-19/20" as "bytes 9-18/20". */
    private static String shiftedByOne(String contentRange) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(.+)").matcher(contentRange);
        if (!m.matches()) {
            return contentRange;
        }
        return "bytes " + (Long.parseLong(m.group(1)) - 1) + "-" + (Long.parseLong(m.group(2)) - 1) + "/" + m.group(3);
    }

    /** Passes {@code count} bytes on one at a time, {@link FaultProxy#TRICKLE_PACE} apart while the fault lasts, then the rest at once. */
    private void trickle(InputStream in, OutputStream out, long count) throws IOException {
        for (long left = count; left > 0; left--) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            out.write(b);
            out.flush();
            if (!faults.pause(Fault.TRICKLE_BODY, FaultProxy.TRICKLE_PACE)) {
                return;
            }
        }
    }

    /** Copies {@code count} bytes, each inverted when {@code flip}; fails when {@code in} ends first. */
    static void copy(InputStream in, OutputStream out, long count, boolean flip) throws IOException {
        byte[] buffer = new byte[64 << 10];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the upstream ended early");
            }
            if (flip) {
                for (int i = 0; i < n; i++) {
                    buffer[i] = (byte) ~buffer[i];
                }
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
