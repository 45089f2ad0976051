import Foundation
import OTelTestSupport
import Testing

/// The demo's SLO rules and alerts pass `promtool check rules`, and their unit tests (series that make
/// each alert fire and resolve) pass `promtool test rules`; the Alertmanager config passes
/// `amtool check-config` and routes every alert to the responder.
@Suite(.timeLimit(.minutes(2)))
struct AlertingConfigTests {
    static let deploy = PythonPeer.repositoryRoot.appendingPathComponent("deploy")

    static func locate(_ name: String) -> String? {
        ["/usr/bin", "/usr/local/bin"].map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func files(_ folder: String) throws -> [String] {
        let dir = deploy.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yml") }.sorted()
            .map { dir.appendingPathComponent($0).path }
    }

    /// Runs a tool to completion in `directory`; returns its status and what it printed.
    static func run(_ tool: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.currentDirectoryURL = directory
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static var toolsAvailable: Bool { (locate("promtool") != nil && locate("amtool") != nil) || PythonPeer.required }

    @Test(.enabled(if: toolsAvailable)) func rulesAreValidAndTheirUnitTestsPass() throws {
        let promtool = try #require(Self.locate("promtool"), "promtool (Debian package prometheus) is missing")
        let rules = try Self.files("prometheus/rules")
        #expect(rules.count == 2)
        let check = try Self.run(promtool, ["check", "rules"] + rules, in: Self.deploy)
        #expect(check.status == 0, "\(check.output)")
        let tests = try Self.files("prometheus/tests")
        #expect(!tests.isEmpty)
        let unit = try Self.run(promtool, ["test", "rules"] + tests, in: Self.deploy.appendingPathComponent("prometheus"))
        #expect(unit.status == 0, "\(unit.output)")
        #expect(unit.output.components(separatedBy: "SUCCESS").count - 1 == tests.count, "\(unit.output)")
    }

    /// Every alert the rules define has a unit test that expects it to fire.
    @Test func everyAlertHasAFiringTest() throws {
        let rules = try Self.files("prometheus/rules").map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        let tests = try Self.files("prometheus/tests").map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        let alerts = rules.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("- alert: ") ? String(t.dropFirst("- alert: ".count)) : nil
        }
        #expect(alerts.count == 8)
        for alert in alerts {
            // A firing expectation is an `alertname:` line followed by a non-empty `exp_alerts:` list.
            let firing = tests.components(separatedBy: "alertname: \(alert)\n").dropFirst().contains { rest in
                !rest.split(separator: "\n").prefix(1).contains { $0.contains("exp_alerts: []") }
            }
            #expect(firing, "no test makes \(alert) fire")
        }
    }

    @Test(.enabled(if: toolsAvailable)) func alertmanagerConfigIsValidAndRoutesToTheResponder() throws {
        let amtool = try #require(Self.locate("amtool"), "amtool (Debian package prometheus-alertmanager) is missing")
        let config = Self.deploy.appendingPathComponent("alertmanager/alertmanager.yml").path
        let check = try Self.run(amtool, ["check-config", config], in: Self.deploy)
        #expect(check.status == 0, "\(check.output)")
        for labels in [["severity=page", "alertname=AvailabilityFastBurn", "service=payment"], ["severity=ticket", "alertname=OtelswQueueBacklog"]] {
            let route = try Self.run(amtool, ["config", "routes", "test", "--config.file=\(config)"] + labels, in: Self.deploy)
            #expect(route.status == 0 && route.output.contains("responder"), "\(labels): \(route.output)")
        }
    }
}
