import Foundation
import OTelTestSupport
@testable import PromTranslation
import Testing

/// Runs real Prometheus 2.42 on static targets with relabel rules and checks that `Relabeler.apply` on every
/// discovered label set gives exactly Prometheus' result.
@Suite(.serialized) struct PrometheusCrossCheckTests {
    @Test(
        .enabled(if: PrometheusServer.available, Comment(rawValue: PrometheusServer.missingMessage)),
        .timeLimit(.minutes(2)))
    func targetsMatchPrometheus() async throws {
        var rulesByJob: [String: [RelabelRule]] = [:]
        for job in CrossCheckJobs.all {
            rulesByJob[job.name] = try job.rules.map { try $0.make() }
        }
        let (config, targetCount) = Self.config(for: CrossCheckJobs.all)
        // Throws when Prometheus is required but not installed.
        let server = try await PrometheusServer(config: config)
        defer { server.stop() }

        let response = try await Self.waitForTargets(server, count: targetCount)
        let listed = response.data.activeTargets.count + response.data.droppedTargets.count
        try #require(listed == targetCount, "Prometheus lists \(listed) of \(targetCount) targets")

        // Prometheus 2.42 relabels the discovered label slice in place, so the API's discoveredLabels of a
        // relabeled target show partly relabeled sets; inputs are rebuilt from the config instead, and the
        // API's discoveredLabels are compared only for the job without rules.
        let activeByAddress = Dictionary(
            response.data.activeTargets.map { ($0.labels["instance"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        var droppedCount = 0
        for target in Self.configuredTargets(CrossCheckJobs.all) {
            let rules = try #require(rulesByJob[target.job])
            let result = Relabeler.apply(rules, to: target.input)
            guard let active = activeByAddress[target.address] else {
                droppedCount += 1
                #expect(result == nil, "Prometheus dropped \(target.input) but Relabeler kept \(result?.description ?? "")")
                continue
            }
            if target.job == CrossCheckJobs.plain.name {
                let discovered = LabelSet(active.discoveredLabels.map { ($0.key, $0.value) })
                #expect(discovered == target.input, "discovered labels are built as Prometheus builds them")
            }
            guard let result else {
                Issue.record("Prometheus kept \(target.input) but Relabeler dropped it")
                continue
            }
            let expected = LabelSet(active.labels.map { ($0.key, $0.value) })
            let actual = Self.targetLabels(from: result)
            #expect(actual == expected, "\(Self.difference(actual, expected)) for \(target.input)")
        }
        #expect(droppedCount == response.data.droppedTargets.count)
        #expect(droppedCount > 0 && droppedCount < targetCount)
    }

    struct ConfiguredTarget {
        var job: String
        var address: String
        /// The label set Prometheus relabels: static labels, job, address and the scrape defaults.
        var input: LabelSet
    }

    /// Targets in config order, addresses 127.0.0.1:1, :2, …
    static func configuredTargets(_ jobs: [CrossCheckJob]) -> [ConfiguredTarget] {
        var result: [ConfiguredTarget] = []
        for job in jobs {
            for labels in job.targets {
                let address = "127.0.0.1:\(result.count + 1)"
                var input = LabelSet(labels.map { ($0.key, $0.value) })
                input["job"] = job.name
                input["__address__"] = address
                input["__scheme__"] = "http"
                input["__metrics_path__"] = "/metrics"
                input["__scrape_interval__"] = "1h"
                input["__scrape_timeout__"] = "1s"
                result.append(ConfiguredTarget(job: job.name, address: address, input: input))
            }
        }
        return result
    }

    /// What Prometheus shows as a target's labels after relabeling: no `__` labels, `instance` defaulting to
    /// the address (the test addresses all carry ports).
    static func targetLabels(from relabeled: LabelSet) -> LabelSet {
        var shown = LabelSet(relabeled.labels.filter { !$0.name.hasPrefix("__") })
        if shown["instance"] == nil {
            shown["instance"] = relabeled["__address__"]
        }
        return shown
    }

    static func config(for jobs: [CrossCheckJob]) -> (String, Int) {
        var port = 1
        var scrapeConfigs: [String] = []
        for job in jobs {
            var groups: [String] = []
            for labels in job.targets {
                groups.append("{\"targets\": [\"127.0.0.1:\(port)\"], \"labels\": \(PrometheusConfigText.labels(labels))}")
                port += 1
            }
            let rules = job.rules.map(PrometheusConfigText.rule).joined(separator: ",\n      ")
            scrapeConfigs.append("""
                {"job_name": \(PrometheusConfigText.quote(job.name)), "scrape_timeout": "1s",
                 "static_configs": [\(groups.joined(separator: ",\n      "))],
                 "relabel_configs": [\(rules)]}
                """)
        }
        let config = """
            {"global": {"scrape_interval": "1h", "evaluation_interval": "1h"},
             "scrape_configs": [\(scrapeConfigs.joined(separator: ",\n"))]}
            """
        return (config, port - 1)
    }

    /// Polls `/api/v1/targets` until every target is listed (active or dropped), for at most 20 s.
    static func waitForTargets(_ server: PrometheusServer, count: Int) async throws -> TargetsResponse {
        var last: TargetsResponse?
        await eventually(timeout: .seconds(20), every: .milliseconds(250)) {
            guard let r = try? await server.get("/api/v1/targets"), r.status == 200,
                  let response = try? JSONDecoder().decode(TargetsResponse.self, from: r.body) else { return false }
            last = response
            return response.data.activeTargets.count + response.data.droppedTargets.count >= count
        }
        guard let last else { throw PeerError("no targets within 20 s; log:\n\(server.log)") }
        return last
    }

    /// The labels that differ, for readable failures (the case-mapping values are long).
    static func difference(_ actual: LabelSet, _ expected: LabelSet) -> String {
        var lines: [String] = []
        let names = Set(actual.labels.map(\.name) + expected.labels.map(\.name)).sorted()
        for name in names where actual[name].map({ Array($0.utf8) }) != expected[name].map({ Array($0.utf8) }) {
            lines.append("\(name): ours \(Self.brief(actual[name])) vs prometheus \(Self.brief(expected[name]))"
                + Self.scalarDifferences(actual[name], expected[name]))
        }
        return lines.joined(separator: "; ")
    }

    private static func brief(_ value: String?) -> String {
        guard let value else { return "absent" }
        return value.unicodeScalars.count <= 60 ? value.debugDescription : "\(value.unicodeScalars.count) code points"
    }

    /// For long values: the code points where the two differ.
    private static func scalarDifferences(_ actual: String?, _ expected: String?) -> String {
        guard let actual, let expected, actual.unicodeScalars.count > 60 else { return "" }
        let ours = Array(actual.unicodeScalars)
        let theirs = Array(expected.unicodeScalars)
        var notes: [String] = []
        for index in 0..<min(ours.count, theirs.count) where ours[index] != theirs[index] {
            notes.append("#\(index): ours U+\(String(ours[index].value, radix: 16)) prometheus U+\(String(theirs[index].value, radix: 16))")
            if notes.count == 20 { break }
        }
        return " [" + notes.joined(separator: ", ") + "]"
    }
}
