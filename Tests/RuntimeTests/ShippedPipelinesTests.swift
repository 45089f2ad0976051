import Components
import Foundation
import OTelTestSupport
import Runtime
import Testing

/// Every pipeline file shipped in `pipelines/` loads without errors or warnings.
@Suite struct ShippedPipelinesTests {
    static let root = PythonPeer.repositoryRoot

    static var files: [String] {
        let dir = root.appendingPathComponent("pipelines")
        let all = FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func thereAreShippedPipelines() {
        #expect(Self.files.contains("default.yaml"))
        #expect(Self.files.count >= 4)
    }

    @Test(arguments: files)
    func loadsCleanly(_ name: String) throws {
        let path = Self.root.appendingPathComponent("pipelines").appendingPathComponent(name).path
        let config = try AgentConfig.load(path: path, registry: Components.registry, environment: [:])
        #expect(config.warnings.isEmpty, "\(config.warnings)")
        #expect(!config.pipelines.isEmpty)
    }
}
