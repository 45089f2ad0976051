import Components
import Factories
import Foundation
import OTelTestSupport
import PipelineCore
import Runtime
import Testing

/// The registry against what users read: the README documents every component type under a
/// heading of its kind, and documents no type the registry does not know.
@Suite struct RegistryTests {
    /// `kind type` for each name in backquotes in a heading that names a kind before it, such as
/// "### Receiver `otlp`" or "### Exporters `otlp` / `otlp_grpc` and ...".
    static func documented() throws -> Set<String> {
        let readme = try String(contentsOf: PythonPeer.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var found: Set<String> = []
        for line in readme.split(separator: "\n") where line.hasPrefix("### ") {
            let words = line.dropFirst(4).prefix { $0 != "`" }.split(separator: " ").map { $0.lowercased() }
            guard let kind = words.lazy.compactMap({ ComponentKind(rawValue: $0) ?? ComponentKind(rawValue: String($0.dropLast())) }).first?.rawValue else {
                continue
            }
            for name in line.split(separator: "`").enumerated().filter({ $0.offset % 2 == 1 }).map(\.element) {
                found.insert("\(kind) \(name)")
            }
        }
        return found
    }

    @Test func everyTypeAndAliasIsDocumentedAndNothingElse() throws {
        var known: Set<String> = []
        for info in Components.registry.components + AgentConfig.extensions {
            for name in [info.type] + info.aliases { known.insert("\(info.kind.rawValue) \(name)") }
        }
        let documented = try Self.documented()
        #expect(known.subtracting(documented).isEmpty, "in the registry, not in the README: \(known.subtracting(documented).sorted())")
        #expect(documented.subtracting(known).isEmpty, "in the README, not in the registry: \(documented.subtracting(known).sorted())")
    }

    @Test func typesAndAliasesAreUniquePerKind() {
        for kind in ComponentKind.allCases {
            let names = (Components.registry.components + AgentConfig.extensions).filter { $0.kind == kind }.flatMap { [$0.type] + $0.aliases }
            #expect(Set(names).count == names.count, "\(kind): \(names)")
        }
    }
}
