import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ResponderApp
@testable import ResponderCore
import Synchronization
import Testing

/// Records the actions it is asked to run; fails when told to.
final class FakeRunner: ActionRunner {
    let ran = Mutex<[ResponderConfig.Action]>([])
    let fail: Bool
    init(fail: Bool = false) { self.fail = fail }
    func run(_ action: ResponderConfig.Action) async throws -> String {
        ran.withLock { $0.append(action) }
        if fail { throw SystemActionRunner.Failure(description: "backend said no") }
        return "done"
    }
    var count: Int { ran.withLock { $0.count } }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    let now = Mutex(ContinuousClock.now)
    func advance(_ d: Duration) { now.withLock { $0 = $0.advanced(by: d) } }
    var read: @Sendable () -> ContinuousClock.Instant { { self.now.withLock { $0 } } }
}

func alert(_ name: String, _ labels: [String: String] = [:], status: String = "firing", fingerprint: String? = nil) -> WebhookPayload.Alert {
    var l = labels
    l["alertname"] = name
    return WebhookPayload.Alert(status: status, labels: l, fingerprint: fingerprint)
}

let resetPayment = ResponderConfig.Rule(name: "reset-payment", match: ["alertname": "AvailabilityFastBurn", "service": "payment"],
                                        cooldown: .seconds(300), action: .http(method: "POST", url: "http://127.0.0.1:1/admin/faults/reset", body: nil))

@Suite struct ResponderTests {
    func config(_ rules: [ResponderConfig.Rule], max: Int = 5, dryRun: Bool = false, audit: String? = nil) -> ResponderConfig {
        var c = ResponderConfig()
        c.rules = rules
        c.maxActions = max
        c.window = .seconds(600)
        c.dryRun = dryRun
        c.auditLog = audit
        return c
    }

    @Test func parsesTheShippedRulesAndRefusesMistakes() throws {
        let text = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../deploy/responder/rules.yml").standardized, encoding: .utf8)
        let c = try ResponderConfig.parse(text)
        #expect(!c.rules.isEmpty)
        #expect(c.rules.contains { $0.match["service"] == "payment" })
        for (bad, message) in [
            ("rules: [{name: a, match: {alertname: X}, http: {url: 'http://x'}, command: [true]}]", "exactly one action"),
            ("rules: [{name: a, match: {alertname: X}, cooldown: soon, command: [true]}]", "duration"),
            ("rules: [{name: a, match: {alertname: X}, http: {url: 'ftp://x'}}]", "http(s) URL"),
            ("rules: [{name: a, match: {alertname: X}, comand: [true]}]", "unknown key 'comand'"),
            ("rules: [{name: a, command: [true]}]", "'match'"),
            ("max_actions: {count: -1}", "max_actions.count"),
        ] {
            #expect(throws: ResponderConfig.Error.self) { try ResponderConfig.parse(bad) }
            do { _ = try ResponderConfig.parse(bad) } catch { #expect("\(error)".contains(message), "\(bad): \(error)") }
        }
    }

    @Test func aMatchingFiringAlertRunsTheActionAndIsAudited() async throws {
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("responder-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: audit) }
        let runner = FakeRunner()
        let responder = try Responder(config: config([resetPayment], audit: audit), runner: runner)
        let d = await responder.handle(WebhookPayload(status: "firing", alerts: [
            alert("AvailabilityFastBurn", ["service": "payment"]), alert("AvailabilityFastBurn", ["service": "order"]),
        ]))
        #expect(d.map(\.outcome) == [.acted, .noRule])
        #expect(runner.count == 1)
        let lines = try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONDecoder.iso8601.decode(Decision.self, from: Data(lines[0].utf8))
        #expect(first.outcome == .acted && first.rule == "reset-payment" && first.labels["service"] == "payment")
        #expect(first.action == "http POST http://127.0.0.1:1/admin/faults/reset")
    }

    @Test func cooldownHoldsPerAlertAndEnds() async throws {
        let clock = ManualClock()
        let runner = FakeRunner()
        let responder = try Responder(config: config([resetPayment]), runner: runner, clock: clock.read)
        let payment = WebhookPayload(status: "firing", alerts: [alert("AvailabilityFastBurn", ["service": "payment"], fingerprint: "p")])
        #expect(await responder.handle(payment).map(\.outcome) == [.acted])
        clock.advance(.seconds(299))
        #expect(await responder.handle(payment).map(\.outcome) == [.cooldown])
        clock.advance(.seconds(1))
        #expect(await responder.handle(payment).map(\.outcome) == [.acted])
        #expect(runner.count == 2)
    }

    @Test func atMostMaxActionsPerWindow() async throws {
        let clock = ManualClock()
        let runner = FakeRunner()
        let any = ResponderConfig.Rule(name: "any", match: ["severity": "page"], cooldown: .seconds(1), action: .command(["true"]))
        let responder = try Responder(config: config([any], max: 2), runner: runner, clock: clock.read)
        let three = WebhookPayload(status: "firing", alerts: (1...3).map { alert("A\($0)", ["severity": "page"], fingerprint: "f\($0)") })
        #expect(await responder.handle(three).map(\.outcome) == [.acted, .acted, .rateLimited])
        clock.advance(.seconds(600))
        #expect(await responder.handle(three).map(\.outcome) == [.acted, .acted, .rateLimited])
        #expect(runner.count == 4)
    }

    @Test func resolvedAlertsAreNeverActedOn() async throws {
        let runner = FakeRunner()
        let responder = try Responder(config: config([resetPayment]), runner: runner)
        let d = await responder.handle(WebhookPayload(status: "resolved", alerts: [alert("AvailabilityFastBurn", ["service": "payment"], status: "resolved")]))
        #expect(d.map(\.outcome) == [.resolved])
        #expect(runner.count == 0)
    }

    @Test func dryRunDecidesButDoesNotAct() async throws {
        let runner = FakeRunner()
        let responder = try Responder(config: config([resetPayment], dryRun: true), runner: runner)
        let d = await responder.handle(WebhookPayload(status: "firing", alerts: [alert("AvailabilityFastBurn", ["service": "payment"])]))
        #expect(d.map(\.outcome) == [.dryRun])
        #expect(runner.count == 0)
    }

    @Test func failedActionsAreCountedAndServedOnMetrics() async throws {
        let responder = try Responder(config: config([resetPayment]), runner: FakeRunner(fail: true))
        let app = Application(router: ResponderApp.router(responder, logger: Logger(label: "test")))
        let webhook = #"{"version":"4","status":"firing","receiver":"responder","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am","alerts":[{"status":"firing","labels":{"alertname":"AvailabilityFastBurn","service":"payment","severity":"page"},"annotations":{},"startsAt":"2026-11-27T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"abc"}]}"#
        try await app.test(.live) { client in
            try await client.execute(uri: "/alerts", method: .post, body: ByteBuffer(string: webhook)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/alerts", method: .post, body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"responder_decisions_total{rule="reset-payment",outcome="failed"} 1"#), "\(text)")
                #expect(text.contains(#"responder_alerts_received_total{status="firing"} 1"#), "\(text)")
            }
        }
    }
}

@Suite struct SystemActionRunnerTests {
    @Test func commandsRunAndTheirFailureIsReported() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("responder-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let runner = SystemActionRunner(timeout: .seconds(5))
        _ = try await runner.run(.command(["/bin/sh", "-c", "echo healed > \(marker)"]))
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "healed\n")
        await #expect(throws: SystemActionRunner.Failure.self) { try await runner.run(.command(["/bin/sh", "-c", "exit 3"])) }
    }

    /// A process with a name of its own (a copy of `sleep`) is stopped by name (SIGTERM, then SIGKILL:
    /// a child of the test runner may inherit SIGTERM blocked) and started again.
    @Test func restartStopsTheNamedProcessAndStartsIt() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("responder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = "rspdr\(UInt32.random(in: 0..<100_000))"
        let binary = dir.appendingPathComponent(name).path
        let sleep = try #require(FileManager.default.contents(atPath: "/usr/bin/sleep"))
        #expect(FileManager.default.createFile(atPath: binary, contents: sleep, attributes: [.posixPermissions: 0o755]))
        let victim = Process()
        victim.executableURL = URL(fileURLWithPath: binary)
        victim.arguments = ["30"]
        try victim.run()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while SystemActionRunner.pids(named: name).isEmpty && clock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(SystemActionRunner.pids(named: name) == [victim.processIdentifier])

        let started = dir.appendingPathComponent("started").path
        let note = try await SystemActionRunner(timeout: .seconds(2)).run(.restart(process: name, start: ["/bin/sh", "-c", "touch \(started)"]))
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal, "\(note)")
        #expect(FileManager.default.fileExists(atPath: started), "\(note)")
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
