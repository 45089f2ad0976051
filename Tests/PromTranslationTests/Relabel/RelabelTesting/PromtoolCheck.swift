import Foundation

/// Runs `promtool check config` on one relabel rule (no targets, so only the config is judged).
enum PromtoolCheck {
    /// nil when promtool accepts the rule, else its complaint without the file prefix.
    static func verdict(for rule: RuleSpec, promtool: String) throws -> String? {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("relabel-promtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configURL = directory.appendingPathComponent("check.yml")
        let config = """
            {"scrape_configs": [{"job_name": "check", "relabel_configs": [\(PrometheusConfigText.rule(rule))]}]}
            """
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "config", configURL.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 0 { return nil }
        let marker = "parsing YAML file \(configURL.path): "
        for line in output.split(separator: "\n") {
            if let range = line.range(of: marker) {
                return String(line[range.upperBound...])
            }
        }
        return output
    }
}
