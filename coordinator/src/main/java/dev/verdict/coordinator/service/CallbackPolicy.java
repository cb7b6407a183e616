package dev.verdict.coordinator.service;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the coordinator may send callbacks. A registered URL makes the coordinator send requests
 * on a participant's behalf, so it must never reach what only the coordinator's own network
 * position can: cloud metadata services, link-local addresses and (when the operator lists what is
 * allowed, {@code verdict.participant.allowed-hosts}) anything not listed. Addresses, not spellings,
 * are judged: a host is resolved and each of its addresses checked, at registration and again at
 * every call (a name that resolves elsewhere later, DNS rebinding, is caught when it is called).
 */
public final class CallbackPolicy {

    /** Always refused, whatever the allow-list says: metadata services, link-local, unspecified, multicast. */
    private static final List<Cidr> DENIED = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("100.100.100.200/32"),
            Cidr.parse("168.63.129.16/32"), Cidr.parse("fd20:ce::254/128"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("255.255.255.255/32"),
            Cidr.parse("::/128"), Cidr.parse("fe80::/10"), Cidr.parse("ff00::/8"), Cidr.parse("fd00:ec2::254/128"));

    /** Names of metadata services, refused before any lookup (their addresses are refused anyway). */
    private static final Set<String> DENIED_NAMES = Set.of("metadata", "metadata.google.internal", "metadata.goog",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal");

    private final Optional<List<String>> allowedNames;
    private final Optional<List<Cidr>> allowedRanges;

    /** @param allowed host names and CIDR ranges (e.g. {@code bank.payments.svc}, {@code 10.8.0.0/16}); empty: any host */
    public CallbackPolicy(Optional<List<String>> allowed) {
        this.allowedNames = allowed.map(entries -> entries.stream().filter(e -> !e.contains("/"))
                .map(CallbackPolicy::normalize).toList());
        this.allowedRanges = allowed.map(entries -> entries.stream().filter(e -> e.contains("/")).map(Cidr::parse).toList());
    }

    /** Registration: resolves {@code host} (blocking) and checks the name and every address. */
    public void checkRegistration(String host) {
        String name = normalize(host);
        checkName(name);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new ServiceException.CallbackHostNotAllowed(host, "it does not resolve to an address here");
        }
        for (InetAddress address : addresses) {
            checkAddress(name, address);
        }
    }

    /** Call time: the one address about to be connected to, for the host the URL names. */
    public void checkCall(String host, InetAddress address) {
        String name = normalize(host);
        checkName(name);
        checkAddress(name, address);
    }

    private void checkName(String name) {
        if (DENIED_NAMES.contains(name)) {
            throw new ServiceException.CallbackHostNotAllowed(name, "it names a cloud metadata service");
        }
    }

    private void checkAddress(String name, InetAddress address) {
        for (InetAddress candidate : withEmbedded(address)) {
            if (DENIED.stream().anyMatch(range -> range.contains(candidate))) {
                throw new ServiceException.CallbackHostNotAllowed(name, "it resolves to " + candidate.getHostAddress()
                        + ", a link-local, metadata, multicast or unspecified address, which is never called");
            }
        }
        if (allowedNames.isEmpty() || allowedNames.get().contains(name)) {
            return;
        }
        if (allowedRanges.orElse(List.of()).stream().noneMatch(range -> range.contains(address))) {
            throw new ServiceException.CallbackHostNotAllowed(name, "neither it nor its address " + address.getHostAddress()
                    + " is in verdict.participant.allowed-hosts");
        }
    }

    /**
     * The address, and the IPv4 address an IPv6 one carries inside it (IPv4-compatible,
     * -translated, NAT64, 6to4), so that 169.254.169.254 is refused in these spellings too.
     * IPv4-mapped addresses the JDK already turns into IPv4.
     */
    private static List<InetAddress> withEmbedded(InetAddress address) {
        List<InetAddress> all = new ArrayList<>(List.of(address));
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            // ::a.b.c.d (IPv4-compatible), except :: and ::1, which are addresses of their own
            boolean compatible = allZero(b, 0, 12) && !(allZero(b, 12, 15) && (b[15] == 0 || b[15] == 1));
            // ::ffff:0:a.b.c.d (IPv4-translated)
            boolean translated = allZero(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && allZero(b, 10, 12);
            // 64:ff9b::/96 (well-known NAT64) and 64:ff9b:1::/48 (local-use NAT64), the IPv4 address last
            boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
                    && (allZero(b, 4, 12) || b[4] == 0x00 && b[5] == 0x01);
            if (compatible || translated || nat64) {
                all.add(v4(b[12], b[13], b[14], b[15]));
            } else if (b[0] == 0x20 && b[1] == 0x02) {
                all.add(v4(b[2], b[3], b[4], b[5]));
            }
        }
        return all;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte a, byte b, byte c, byte d) {
        try {
            return Inet4Address.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** An address range in CIDR notation, IPv4 or IPv6. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            try {
                byte[] network = InetAddress.getByName(text.substring(0, slash).strip()).getAddress();
                int bits = Integer.parseInt(text.substring(slash + 1).strip());
                if (bits < 0 || bits > network.length * 8 || !isLiteral(text.substring(0, slash).strip())) {
                    throw new IllegalArgumentException();
                }
                return new Cidr(network, bits);
            } catch (RuntimeException | UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR range (like 10.0.0.0/8 or fd00::/8)");
            }
        }

        private static boolean isLiteral(String text) {
            return text.contains(":") || text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
