import ArgumentParser
import Components
import Factories
import Foundation
import PipelineCore
import Runtime

/// `otelsw components`: every component type this build knows, read from the registry.
struct ListComponents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "components",
        abstract: "List every component type with its kind, signals and stability.")

    @Flag(help: "Print JSON lines instead of a table.")
    var json = false

    func run() {
        let all = Components.registry.components + AgentConfig.extensions
        if json {
            for c in all { print(Self.json(c)) }
            return
        }
        let rows = [["KIND", "TYPE", "SIGNALS", "STABILITY"]] + all.map { c in
            [c.kind.rawValue, ([c.type] + c.aliases).joined(separator: ", "), Self.signals(c).joined(separator: ", "), c.stability.rawValue]
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
            print(cells.joined(separator: "  "))
        }
    }

    /// Signals in pipeline order (traces, metrics, logs); `-` for none.
    static func signals(_ c: ComponentInfo) -> [String] {
        let names = Signal.allCases.filter(c.signals.contains).map(\.rawValue)
        return names.isEmpty ? ["-"] : names
    }

    static func json(_ c: ComponentInfo) -> String {
        let list = { (items: [String]) in "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        let signals = Signal.allCases.filter(c.signals.contains).map(\.rawValue)
        return "{\"kind\":\"\(c.kind.rawValue)\",\"type\":\"\(c.type)\",\"aliases\":\(list(c.aliases)),\"signals\":\(list(signals)),\"stability\":\"\(c.stability.rawValue)\"}"
    }
}
