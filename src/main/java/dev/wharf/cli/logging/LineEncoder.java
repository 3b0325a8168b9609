package dev.wharf.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import org.jspecify.annotations.Nullable;

/** An encoder of one line per event, with nothing before the first or after the last: logback's interface says so with null. */
abstract class LineEncoder extends EncoderBase<ILoggingEvent> {
    @Override
    public final byte @Nullable [] headerBytes() {
        return null;
    }

    @Override
    public final byte @Nullable [] footerBytes() {
        return null;
    }

    /** Adds {@code event}'s line to {@code batch}; encoders that can write it there without an array of its own do. */
    void encodeInto(ILoggingEvent event, LineBatch batch) {
        batch.add(encode(event));
    }
}
