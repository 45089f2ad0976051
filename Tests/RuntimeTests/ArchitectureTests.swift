import Foundation
import OTelTestSupport
import Testing

/// The README's module list (section "Architecture") against `Package.swift`: the same targets, each
/// with the same otelsw dependencies, so the description cannot drift from the build.
@Suite struct ArchitectureTests {
    static func text(_ file: String) throws -> String {
        try String(contentsOf: PythonPeer.repositoryRoot.appendingPathComponent(file), encoding: .utf8)
    }

    /// Library and executable targets under `Sources/` with the targets of this package they depend on.
    static func packageTargets() throws -> [String: Set<String>] {
        let package = try text("Package.swift")
        var targets: [String: Set<String>] = [:]
        for chunk in package.components(separatedBy: "\n        .").dropFirst() {
            guard chunk.hasPrefix("target(") || chunk.hasPrefix("executableTarget(") || chunk.hasPrefix("systemLibrary("),
                  !chunk.contains("path: \"Tests/"),
                  let name = Self.quoted(after: "name:", in: chunk).first else { continue }
            var dependencies: Set<String> = []
            if let start = chunk.range(of: "dependencies: [") {
                let list = chunk[start.upperBound...].prefix { $0 != "]" }
                // `.product(name: "X", package: "Y")` names another package's product: left out.
                let own = list.replacingOccurrences(of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
                dependencies = Set(Self.quoted(after: "", in: own))
            }
            targets[name] = dependencies
        }
        return targets
    }

    /// The code block of the README's Architecture section: `Name → A, B` (or `Name, Name → (nothing)`).
    static func documentedTargets() throws -> [String: Set<String>] {
        let readme = try text("README.md")
        guard let section = readme.components(separatedBy: "\n## Architecture\n").dropFirst().first,
              let block = section.components(separatedBy: "```").dropFirst().first else { return [:] }
        var targets: [String: Set<String>] = [:]
        var last: [String] = []
        for line in block.split(separator: "\n") {
            let parts = line.components(separatedBy: "→")
            let words = { (text: String) in text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            if parts.count == 2 {
                last = words(parts[0])
                let deps = parts[1].contains("(nothing)") ? [] : words(parts[1])
                for name in last { targets[name] = Set(deps) }
            } else {
                for name in last { targets[name, default: []].formUnion(words(parts[0])) }
            }
        }
        return targets
    }

    static func quoted(after marker: String, in text: some StringProtocol) -> [String] {
        let start = marker.isEmpty ? text.startIndex : (text.range(of: marker)?.upperBound ?? text.endIndex)
        return text[start...].split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    @Test func readmeListsEveryTargetWithItsDependencies() throws {
        let package = try Self.packageTargets()
        let documented = try Self.documentedTargets()
        #expect(package.count >= 15, "\(package.keys.sorted())")
        #expect(Set(package.keys) == Set(documented.keys), "Package.swift: \(package.keys.sorted())\nREADME: \(documented.keys.sorted())")
        for (name, dependencies) in package {
            #expect(documented[name] == dependencies, "\(name): Package.swift \(dependencies.sorted()), README \((documented[name] ?? []).sorted())")
        }
    }

    /// Nothing depends on a module above it: the graph has no cycle.
    @Test func dependenciesHaveNoCycle() throws {
        let package = try Self.packageTargets()
        var done: Set<String> = []
        func visit(_ name: String, _ path: [String]) {
            #expect(!path.contains(name), "cycle: \((path + [name]).joined(separator: " → "))")
            guard !path.contains(name), done.insert(name).inserted else { return }
            for d in package[name] ?? [] { visit(d, path + [name]) }
        }
        for name in package.keys { visit(name, []) }
    }
}
