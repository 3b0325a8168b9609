package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The access log's milliseconds read as they did with String.format("%.1f"): one decimal, rounded half up. */
class AccessLogMillisTest {
    @Test
    void oneDecimalRoundedHalfUp() {
        assertThat(AccessLog.millis(0)).isEqualTo("0.0");
        assertThat(AccessLog.millis(49_999)).isEqualTo("0.0");
        assertThat(AccessLog.millis(50_000)).isEqualTo("0.1");
        assertThat(AccessLog.millis(1_234_567)).isEqualTo("1.2");
        assertThat(AccessLog.millis(1_250_000)).isEqualTo("1.3");
        assertThat(AccessLog.millis(999_950_000)).isEqualTo("1000.0");
        assertThat(AccessLog.millis(12_345_678_901L)).isEqualTo("12345.7");
    }

    @Test
    void agreesWithExactDecimalRounding() {
        Random random = new Random(19);
        for (int i = 0; i < 100_000; i++) {
            long nanos = random.nextInt(Integer.MAX_VALUE) / (1 + random.nextInt(1000));
            String exact = BigDecimal.valueOf(nanos).movePointLeft(6).setScale(1, RoundingMode.HALF_UP).toPlainString();
            assertThat(AccessLog.millis(nanos)).as("%d ns", nanos).isEqualTo(exact);
        }
    }
}
