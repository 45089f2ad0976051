import Foundation
import OTelTestSupport
import Testing

/// The demo's Grafana dashboards: each file is a dashboard with a unique uid, every panel names a
/// provisioned datasource, and every PromQL query is valid PromQL (checked by `promtool`, through a
/// rules file that records each query).
@Suite(.timeLimit(.minutes(2)))
struct DashboardTests {
    static let grafana = PythonPeer.repositoryRoot.appendingPathComponent("deploy/grafana")

    struct Query { var dashboard: String; var panel: String; var datasource: String; var expr: String }

    static func dashboards() throws -> [(file: String, json: [String: Any])] {
        let dir = grafana.appendingPathComponent("dashboards")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted().map { name in
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            return (name, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) is not a JSON object"))
        }
    }

    static func queries() throws -> [Query] {
        var out: [Query] = []
        for (file, d) in try dashboards() {
            for p in (d["panels"] as? [[String: Any]]) ?? [] {
                let panelDS = ((p["datasource"] as? [String: Any])?["uid"] as? String) ?? ""
                for t in (p["targets"] as? [[String: Any]]) ?? [] {
                    let ds = ((t["datasource"] as? [String: Any])?["uid"] as? String) ?? panelDS
                    out.append(Query(dashboard: file, panel: p["title"] as? String ?? "?", datasource: ds, expr: t["expr"] as? String ?? ""))
                }
            }
        }
        return out
    }

    /// The datasource uids the provisioning file defines.
    static func provisionedUIDs() throws -> Set<String> {
        let text = try String(contentsOf: grafana.appendingPathComponent("provisioning/datasources/datasources.yml"), encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("uid: ") ? String(t.dropFirst(5)) : nil
        })
    }

    @Test func dashboardsHaveUniqueUIDsAndProvisionedDatasources() throws {
        let all = try Self.dashboards()
        #expect(all.count >= 5)
        let uids = all.map { $0.json["uid"] as? String ?? "" }
        #expect(Set(uids).count == uids.count && !uids.contains(""))
        for (file, d) in all {
            #expect(!((d["panels"] as? [Any]) ?? []).isEmpty, "\(file) has no panels")
            #expect(!(d["description"] as? String ?? "").isEmpty, "\(file) says what it is for")
        }
        let provisioned = try Self.provisionedUIDs()
        #expect(provisioned == ["prometheus", "loki", "jaeger"])
        for q in try Self.queries() {
            #expect(provisioned.contains(q.datasource), "\(q.dashboard) '\(q.panel)' uses datasource '\(q.datasource)'")
            #expect(!q.expr.isEmpty, "\(q.dashboard) '\(q.panel)' has an empty query")
        }
    }

    @Test(.enabled(if: AlertingConfigTests.toolsAvailable)) func everyPromQLQueryIsValid() throws {
        let promtool = try #require(AlertingConfigTests.locate("promtool"))
        let queries = try Self.queries().filter { $0.datasource == "prometheus" }
        #expect(queries.count > 20)
        // Grafana's interval variables become plain durations for the check.
        var rules = "groups:\n  - name: dashboards\n    rules:\n"
        for (i, q) in queries.enumerated() {
            let expr = q.expr.replacingOccurrences(of: "$__rate_interval", with: "1m").replacingOccurrences(of: "$__interval", with: "1m")
            rules += "      - record: dashboard_query_\(i)\n        expr: \(String(decoding: try JSONSerialization.data(withJSONObject: expr, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self))\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-dashboards-\(UUID().uuidString).yml")
        try rules.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = try AlertingConfigTests.run(promtool, ["check", "rules", file.path], in: Self.grafana)
        #expect(check.status == 0, "\(check.output)")
    }
}
