package dev.wharf.terraform.upload;

import java.math.BigInteger;

/**
 * What Go's {@code strconv.ParseInt(s, 10, 64)} gives for one pre-release part: go-version orders
 * parts by this value even when parsing failed, so the value of a failure matters too: 0 for text
 * that is not a number, the int64 limit for a number too large (as soon as the digits read so far
 * overflow, whatever follows).
 *
 * @param value the number, 0 or the limit on failure
 * @param numeric whether the text parsed
 */
record GoInt(long value, boolean numeric) {
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger MIN_INT64_MAGNITUDE = BigInteger.ONE.shiftLeft(63);

    static GoInt parse(String text) {
        boolean negative = text.startsWith("-");
        String digits = negative || text.startsWith("+") ? text.substring(1) : text;
        if (digits.isEmpty()) {
            return new GoInt(0, false);
        }
        BigInteger n = BigInteger.ZERO;
        for (char c : digits.toCharArray()) {
            if (c < '0' || c > '9') {
                return new GoInt(0, false);
            }
            n = n.multiply(BigInteger.TEN).add(BigInteger.valueOf(c - '0'));
            if (n.compareTo(MAX_UINT64) > 0) {
                return new GoInt(negative ? Long.MIN_VALUE : Long.MAX_VALUE, false);
            }
        }
        if (negative) {
            return n.compareTo(MIN_INT64_MAGNITUDE) > 0 ? new GoInt(Long.MIN_VALUE, false) : new GoInt(n.negate().longValue(), true);
        }
        return n.bitLength() > 63 ? new GoInt(Long.MAX_VALUE, false) : new GoInt(n.longValue(), true);
    }
}
