import Configuration
import Testing

/// Go-style durations: one or more `<number><unit>` parts (ns, us, µs, ms, s, m, h), optionally
/// negative, or a bare `0`; anything else, a bare number included, is not a duration.
@Suite struct DurationParsingTests {
    @Test(arguments: [
        ("300ms", Duration.milliseconds(300)),
        ("1.5s", .milliseconds(1500)),
        ("2m", .seconds(120)),
        ("1m30s", .seconds(90)),
        ("1h30m", .seconds(5400)),
        ("1h1m1s1ms", .milliseconds(3_661_001)),
        ("100us", .microseconds(100)),
        ("100\u{B5}s", .microseconds(100)),
        ("10ns", .nanoseconds(10)),
        ("0", .zero),
        ("0s", .zero),
        ("-1s", .seconds(-1)),
    ])
    func valid(_ text: String, _ expected: Duration) {
        #expect(parseDuration(text) == expected)
    }

    /// Longer than an Int64 of nanoseconds holds (about 292 years) is not a duration: refused with a
    /// message, never a crash of the loader.
    @Test(arguments: ["", "5", "s", "-", "1x", "1 s", "+1s", "1.2.3s", "1e3s", "5 seconds", "3000000h", "-3000000h",
                      "99999999999999999999999999h"])
    func invalid(_ text: String) {
        #expect(parseDuration(text) == nil)
    }
}

/// Sizes: a number of bytes with an optional unit in any case (powers of 1000 and of 1024), spaces
/// allowed around the unit; not negative and not absurdly large.
@Suite struct ByteSizeParsingTests {
    @Test(arguments: [
        ("1000", 1000),
        ("0", 0),
        ("12b", 12),
        ("5kb", 5000),
        ("64KiB", 65_536),
        ("10MB", 10_000_000),
        ("1.5gib", 1_610_612_736),
        (" 2 mib ", 2_097_152),
    ])
    func valid(_ text: String, _ expected: Int) {
        #expect(parseByteSize(text) == expected)
    }

    @Test(arguments: ["", "kb", "-1", "-1kb", "1e3", "12 apples", "1 tb", "99999999999 gib"])
    func invalid(_ text: String) {
        #expect(parseByteSize(text) == nil)
    }
}

/// `host:port`, `[v6]:port` and `:port` (all interfaces, written `0.0.0.0`), with a port in 0...65535;
/// the description writes it back in a form that parses to the same address.
@Suite struct HostPortTests {
    @Test(arguments: [
        ("localhost:4317", HostPort(host: "localhost", port: 4317)),
        ("127.0.0.1:0", HostPort(host: "127.0.0.1", port: 0)),
        ("collector.example.com:65535", HostPort(host: "collector.example.com", port: 65535)),
        ("[::1]:4317", HostPort(host: "::1", port: 4317)),
        ("[fe80::1%eth0]:8888", HostPort(host: "fe80::1%eth0", port: 8888)),
        (":4317", HostPort(host: "0.0.0.0", port: 4317)),
    ])
    func valid(_ text: String, _ expected: HostPort) {
        #expect(HostPort.parse(text) == expected)
        #expect(HostPort.parse(expected.description) == expected)
    }

    @Test func descriptionBracketsIPv6() {
        #expect(HostPort(host: "::1", port: 4317).description == "[::1]:4317")
        #expect(HostPort(host: "localhost", port: 80).description == "localhost:80")
        #expect(HostPort.parse(":4317")?.description == "0.0.0.0:4317")
    }

    @Test(arguments: ["", "localhost", "localhost:", "localhost:65536", "localhost:-1", "localhost:http", "[::1]", "localhost:4317 ",
                      "::1", "fe80::1:4317", "localhost:+80", "localhost:٨٠"])
    func invalid(_ text: String) {
        #expect(HostPort.parse(text) == nil)
    }
}
