import Foundation

/// A component's id: `type` or `type/name`, as in the collector.
public struct ComponentID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var type: String
    public var name: String

    public init(type: String, name: String = "") {
        self.type = type
        self.name = name
    }

    /// Parses `type[/name]`; nil (with a reason) when malformed.
    public static func parse(_ text: String) -> Result<ComponentID, IDError> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let type = String(parts[0])
        guard !type.isEmpty, type.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return .failure(IDError(message: "invalid component id '\(text)': the type must be letters, digits or '_'"))
        }
        if parts.count == 2 {
            let name = String(parts[1])
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "/" }) else {
                return .failure(IDError(message: "invalid component id '\(text)': the name after '/' must be non-empty, without spaces or '/'"))
            }
            return .success(ComponentID(type: type, name: name))
        }
        return .success(ComponentID(type: type))
    }

    public var description: String { name.isEmpty ? type : "\(type)/\(name)" }
    public static func < (a: ComponentID, b: ComponentID) -> Bool { a.description < b.description }
}

public struct IDError: Error, Sendable { public var message: String }

/// A pipeline's id: `traces`, `metrics`, `logs`, or one of them followed by `/name`.
public struct PipelineID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var signal: Signal
    public var name: String

    public init(signal: Signal, name: String = "") {
        self.signal = signal
        self.name = name
    }

    public static func parse(_ text: String) -> Result<PipelineID, IDError> {
        switch ComponentID.parse(text) {
        case .failure(let e): return .failure(IDError(message: e.message.replacingOccurrences(of: "component id", with: "pipeline id")))
        case .success(let id):
            guard let signal = Signal(rawValue: id.type) else {
                return .failure(IDError(message: "invalid pipeline id '\(text)': must start with traces, metrics or logs"))
            }
            return .success(PipelineID(signal: signal, name: id.name))
        }
    }

    public var description: String { name.isEmpty ? signal.rawValue : "\(signal.rawValue)/\(name)" }
    public static func < (a: PipelineID, b: PipelineID) -> Bool { a.description < b.description }
}
