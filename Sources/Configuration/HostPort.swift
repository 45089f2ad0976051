/// A `host:port` listen or connect address.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port` or `:port` (all interfaces).
    public static func parse(_ text: String) -> HostPort? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let digits = text[text.index(after: colon)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let port = Int(digits), (0...65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        // A bare IPv6 address must be bracketed: `::1` is no host and port.
        if host.contains(":") && !(host.hasPrefix("[") && host.hasSuffix("]")) { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return HostPort(host: host, port: port)
    }

    /// Parses where to connect: `host:port` or `[v6]:port`, with a host and a port from 1 to 65535.
    public static func parseTarget(_ text: String) -> HostPort? {
        guard let hp = parse(text), !text.hasPrefix(":"), hp.port > 0 else { return nil }
        return hp
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
