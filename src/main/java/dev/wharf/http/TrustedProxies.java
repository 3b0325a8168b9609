package dev.wharf.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The proxies in front of a server whose {@code X-Forwarded-For} is believed
 * ({@code --http-trusted-proxies}): addresses and CIDR ranges. Each proxy appends the address it was
 * connected from, so the client is found as nginx's {@code real_ip_recursive} finds it: from the
 * right, the first address that is not a trusted proxy's. Everything left of it was written by the
 * client and is never taken.
 *
 * <p>Only IP literals are read, in the flag and in the header: a host name would be looked up in DNS,
 * at start or, worse, on every request.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), new InetAddressSet());

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}:\\d{1,5}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private final List<String> ranges;
    private final InetAddressSet addresses;

    private TrustedProxies(List<String> ranges, InetAddressSet addresses) {
        this.ranges = ranges;
        this.addresses = addresses;
    }

    /** Addresses ({@code 10.0.0.7}, {@code fd00::1}) and ranges ({@code 10.0.0.0/8}); anything else is refused. */
    public static TrustedProxies of(List<String> ranges) {
        InetAddressSet set = new InetAddressSet();
        List<String> kept = ranges.stream().map(String::strip).filter(r -> !r.isEmpty()).toList();
        for (String range : kept) {
            int slash = range.indexOf('/');
            String address = slash < 0 ? range : range.substring(0, slash);
            Optional<InetAddress> parsed = address(address);
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException("'" + range + "' is not an IP address or a CIDR range such as 10.0.0.0/8");
            }
            if (slash >= 0) {
                int bits = parsed.get().getAddress().length * 8;
                String prefix = range.substring(slash + 1);
                if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
                    throw new IllegalArgumentException("'" + range + "': the prefix length must be 0 to " + bits);
                }
            }
            set.add(range);
        }
        return new TrustedProxies(kept, set);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean trusts(InetAddress address) {
        return addresses.test(address);
    }

    /**
     * The client behind {@code peer}, a trusted proxy, given the {@code X-Forwarded-For} values in the
     * order they came. An entry that is no address ({@code unknown}, a name, garbage) ends the walk
     * at the last address known to be a proxy's, rather than believing anything left of it.
     */
    public InetAddress clientBehind(InetAddress peer, List<String> forwardedFor) {
        InetAddress client = peer;
        List<String> hops = forwardedFor.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).toList();
        for (int i = hops.size() - 1; i >= 0 && trusts(client); i--) {
            Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                break;
            }
            client = hop.get();
        }
        return client;
    }

    /** An IP literal as proxies write them: {@code 1.2.3.4}, {@code 1.2.3.4:5678}, {@code ::1}, {@code [::1]:5678}. */
    static Optional<InetAddress> literal(String text) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || !(close == s.length() - 1 || s.charAt(close + 1) == ':')) {
                return Optional.empty();
            }
            s = s.substring(1, close);
        } else if (IPV4_WITH_PORT.matcher(s).matches()) {
            s = s.substring(0, s.indexOf(':'));
        }
        return address(s);
    }

    /** A bare IP literal: {@code 1.2.3.4} or {@code ::1}, without brackets or port. */
    private static Optional<InetAddress> address(String s) {
        Matcher v4 = IPV4.matcher(s);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) octet;
            }
            return Optional.of(byAddress(bytes));
        }
        // A text with a colon is read as an IPv6 literal and never looked up: the JDK refuses an
        // invalid one as "invalid IPv6 address" instead of asking DNS.
        if (s.indexOf(':') >= 0 && IPV6.matcher(s).matches()) {
            try {
                return Optional.of(InetAddress.getByName(s));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    @Override
    public String toString() {
        return String.join(",", ranges);
    }
}
