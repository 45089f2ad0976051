import Foundation

/// Where the Prometheus 2.42 binaries are, and whether tests must have them.
enum PrometheusBinary {
    static let prometheus = locate("prometheus")
    static let promtool = locate("promtool")

    /// `OTELSW_REQUIRE_PEERS=1` turns a missing peer into a failure instead of a skip.
    static var required: Bool {
        ProcessInfo.processInfo.environment["OTELSW_REQUIRE_PEERS"] == "1"
    }

    static let missingMessage = "prometheus is not installed (sudo apt-get install -y prometheus); skipping"

    private static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = ["/usr/bin"] + path.split(separator: ":").map(String.init)
        for directory in directories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
