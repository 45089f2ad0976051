import Configuration
import Factories
import Foundation
import OTelModel
import PipelineCore

/// One pipeline as configured under `service.pipelines`.
public struct PipelineSpec: Sendable {
    public var id: PipelineID
    public var receivers: [ComponentID]
    public var processors: [ComponentID]
    public var exporters: [ComponentID]
}

/// Each component's settings as written (after `${env:...}` substitution), in a canonical text: two
/// loads give the same text exactly when the component is configured the same. A reload compares them
/// to tell what changed.
public struct ConfigFingerprints: Sendable, Equatable {
    public var receivers: [ComponentID: String] = [:]
    public var processors: [ComponentID: String] = [:]
    public var exporters: [ComponentID: String] = [:]
    /// `file_storage` extensions.
    public var storages: [ComponentID: String] = [:]

    public init() {}
}

/// A loaded, fully validated pipeline file.
public struct AgentConfig: Sendable {
    public var receivers: [ConfiguredReceiver] = []
    public var processors: [ConfiguredProcessor] = []
    public var exporters: [ConfiguredExporter] = []
    public var pipelines: [PipelineSpec] = []
    /// `file_storage` extensions enabled under `service.extensions`.
    public var storages: [ComponentID: FileStorageConfig] = [:]
    public var telemetry = TelemetrySettings()
    /// Warnings found while loading (unused components, unset environment variables).
    public var warnings: [Diagnostic] = []
    public var fingerprints = ConfigFingerprints()
    /// SHA-1 of the file's text in hex, as `sha1sum` prints it.
    public var sha1 = ""

    /// The extension types the loader itself reads (they build no component of their own).
    public static let extensions = [fileStorage]
    static let fileStorage = ComponentInfo(kind: .extension, type: "file_storage", signals: [], stability: .beta)

    /// Loads `path` strictly. Throws ``ConfigError`` with every problem found.
    public static func load(
        path: String,
        registry: ComponentRegistry,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> AgentConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(diagnostics: [Diagnostic(
                severity: .error, location: SourceLocation(file: path, line: 1, column: 1),
                message: "cannot read the pipeline file: \(error.localizedDescription)")])
        }
        return try parse(text, file: path, registry: registry, environment: environment)
    }

    /// Parses and validates YAML text; `file` names it in diagnostics.
    public static func parse(
        _ text: String,
        file: String,
        registry: ComponentRegistry,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> AgentConfig {
        let sink = DiagnosticSink()
        guard let root = ConfigParser.parse(text, file: file, environment: environment, sink: sink) else {
            throw ConfigError(diagnostics: sink.diagnostics)
        }
        let config = AgentConfigLoader(registry: registry, sink: sink).load(root)
        if sink.hasErrors { throw ConfigError(diagnostics: sink.diagnostics) }
        var result = config
        result.warnings = sink.warnings
        result.sha1 = Array(text.utf8).withUnsafeBytes { SHA1.hex($0).string }
        return result
    }
}

/// Walks the top-level document: components, then `service`, then cross-references.
struct AgentConfigLoader {
    let registry: ComponentRegistry
    let sink: DiagnosticSink

    private struct Declared {
        var id: ComponentID
        var location: SourceLocation
        var signals: Set<Signal>
        var used = false
    }

    func load(_ root: ConfigNode) -> AgentConfig {
        var config = AgentConfig()
        if root.isNull {
            sink.error("the pipeline file is empty", at: root.location)
            return config
        }
        let top = ConfigReader(node: root, sink: sink, context: ConfigReader.topLevel)
        var receivers: [Declared] = []
        var processors: [Declared] = []
        var exporters: [Declared] = []
        config.receivers = declare(top, kind: "receiver", factories: registry.receivers, into: &receivers, fingerprints: &config.fingerprints.receivers) {
            ($0.info.signals, $0.configure($1, $2))
        }
        config.processors = declare(top, kind: "processor", factories: registry.processors, into: &processors, fingerprints: &config.fingerprints.processors) {
            ($0.info.signals, $0.configure($1, $2))
        }
        config.exporters = declare(top, kind: "exporter", factories: registry.exporters, into: &exporters, fingerprints: &config.fingerprints.exporters) {
            ($0.info.signals, $0.configure($1, $2))
        }
        var declaredStorages: [ComponentID: (FileStorageConfig, SourceLocation)] = [:]
        if let section = top.section("extensions") {
            for (id, location, reader) in components(section, kind: "extension") {
                guard id.type == AgentConfig.fileStorage.type else {
                    let known = AgentConfig.extensions.map(\.type).joined(separator: ", ")
                    sink.error("unknown extension type '\(id.type)' (known: \(known))", at: location)
                    continue
                }
                declaredStorages[id] = (FileStorageConfig(reading: reader), location)
                config.fingerprints.storages[id] = reader.node.canonicalText
            }
            section.finish()
        }
        guard let service = top.section("service") else {
            sink.error("missing 'service' section (it lists the pipelines to run)", at: root.location)
            top.finish()
            return config
        }
        top.finish()
        if let ext = service.raw("extensions") {
            var items: [ConfigNode] = []
            switch ext.value {
            case .sequence(let list): items = list
            case .null: break
            default: sink.error("'extensions' must be a list of extension ids, got \(ext.kindDescription)", at: ext.location)
            }
            for item in items {
                guard case .scalar(let text, _) = item.value, case .success(let id) = ComponentID.parse(text) else {
                    sink.error("invalid extension id \(item.kindDescription)", at: item.location)
                    continue
                }
                guard let (storage, _) = declaredStorages[id] else {
                    sink.error("service.extensions lists '\(id)', which is not configured under 'extensions'", at: item.location)
                    continue
                }
                config.storages[id] = storage
            }
        }
        for (id, (_, location)) in declaredStorages where config.storages[id] == nil {
            sink.warning("'\(id)' is configured but not listed in service.extensions", at: location)
        }
        for receiver in config.receivers {
            let receiverID = receiver.id
            guard let (storage, location) = (receiver.config as? any StorageReferencing)?.storageReference else { continue }
            if config.storages[storage] == nil {
                let known = declaredStorages[storage] == nil ? "is not configured under 'extensions'" : "is not listed in service.extensions"
                sink.error("receiver '\(receiverID)': storage '\(storage)' \(known)", at: location ?? top.location)
            }
        }
        for exporter in config.exporters {
            let (exporterID, exporterConfig) = (exporter.id, exporter.config)
            guard let storage = exporterConfig.queue.storage else { continue }
            if config.storages[storage] == nil {
                let known = declaredStorages[storage] == nil ? "is not configured under 'extensions'" : "is not listed in service.extensions"
                sink.error("exporter '\(exporterID)': sending_queue.storage '\(storage)' \(known)",
                           at: exporterConfig.queue.storageLocation ?? top.location)
            }
        }
        if let telemetry = service.section("telemetry") {
            config.telemetry = TelemetrySettings(reading: telemetry)
        }
        guard let pipelines = service.section("pipelines") else {
            sink.error("missing 'service.pipelines'", at: service.location)
            service.finish()
            return config
        }
        service.finish()

        for (key, location) in pipelines.keys {
            let node = pipelines.raw(key)!
            let pipelineID: PipelineID
            switch PipelineID.parse(key) {
            case .failure(let e):
                sink.error(e.message, at: location)
                continue
            case .success(let id): pipelineID = id
            }
            let reader = ConfigReader(node: node, sink: sink, context: "pipeline '\(key)'", ownerLocation: location)
            let spec = PipelineSpec(
                id: pipelineID,
                receivers: references(reader, "receivers", kind: "receiver", declared: &receivers, signal: pipelineID.signal, pipeline: key),
                processors: references(reader, "processors", kind: "processor", declared: &processors, signal: pipelineID.signal, pipeline: key),
                exporters: references(reader, "exporters", kind: "exporter", declared: &exporters, signal: pipelineID.signal, pipeline: key))
            if spec.receivers.isEmpty && !reader.has("receivers") { sink.error("pipeline '\(key)' must have at least one receiver", at: location) }
            if spec.exporters.isEmpty && !reader.has("exporters") { sink.error("pipeline '\(key)' must have at least one exporter", at: location) }
            reader.finish()
            config.pipelines.append(spec)
        }
        pipelines.finish()
        var checked: Set<String> = []
        for spec in config.pipelines {
            for id in spec.processors where checked.insert("\(id) \(spec.id.signal)").inserted {
                guard let specific = config.processors.first(where: { $0.id == id })?.config as? any SignalSpecificConfig else { continue }
                for problem in specific.problems(for: spec.id.signal) {
                    sink.error("processor '\(id)' in a \(spec.id.signal.rawValue) pipeline: \(problem.message)", at: problem.location)
                }
            }
        }
        if config.pipelines.isEmpty { sink.error("service.pipelines is empty: nothing would run", at: pipelines.location) }

        for d in receivers + processors + exporters where !d.used {
            sink.warning("'\(d.id)' is configured but not used in any pipeline", at: d.location)
        }
        return config
    }

    /// Reads the `<kind>s` section: each component's config from its factory, recorded in `declared`.
    private func declare<Factory, Configured>(
        _ top: ConfigReader, kind: String, factories: [String: Factory], into declared: inout [Declared],
        fingerprints: inout [ComponentID: String], make: (Factory, ComponentID, ConfigReader) -> (Set<Signal>, Configured)
    ) -> [Configured] {
        guard let section = top.section(kind + "s") else { return [] }
        var configs: [Configured] = []
        for (id, location, reader) in components(section, kind: kind) {
            guard let factory = factories[id.type] else {
                sink.error("unknown \(kind) type '\(id.type)' (known: \(factories.keys.sorted().joined(separator: ", ")))", at: location)
                continue
            }
            let (signals, config) = make(factory, id, reader)
            reader.finish()
            configs.append(config)
            declared.append(Declared(id: id, location: location, signals: signals))
            fingerprints[id] = reader.node.canonicalText
        }
        section.finish()
        return configs
    }

    /// The components declared under a section: id, where, and a reader over their settings.
    private func components(_ section: ConfigReader, kind: String) -> [(ComponentID, SourceLocation, ConfigReader)] {
        section.keys.compactMap { key, location in
            let node = section.raw(key)!
            switch ComponentID.parse(key) {
            case .failure(let e):
                sink.error(e.message, at: location)
                return nil
            case .success(let id):
                return (id, location, ConfigReader(node: node, sink: sink, context: "\(kind) '\(key)'", ownerLocation: location))
            }
        }
    }

    private func references(
        _ reader: ConfigReader, _ key: String, kind: String, declared: inout [Declared], signal: Signal, pipeline: String
    ) -> [ComponentID] {
        guard let node = reader.raw(key) else { return [] }
        guard case .sequence(let items) = node.value else {
            if !node.isNull { sink.error("'\(key)' must be a list of \(kind) ids, got \(node.kindDescription)", at: node.location) }
            if node.isNull { sink.error("pipeline '\(pipeline)' must have at least one \(kind)", at: node.location) }
            return []
        }
        if items.isEmpty && kind != "processor" {
            sink.error("pipeline '\(pipeline)' must have at least one \(kind)", at: node.location)
        }
        var ids: [ComponentID] = []
        for item in items {
            guard case .scalar(let text, _) = item.value else {
                sink.error("\(kind) references must be ids, got \(item.kindDescription)", at: item.location)
                continue
            }
            guard case .success(let id) = ComponentID.parse(text) else {
                sink.error("invalid \(kind) id '\(text)'", at: item.location)
                continue
            }
            guard let index = declared.firstIndex(where: { $0.id == id }) else {
                sink.error("pipeline '\(pipeline)' references \(kind) '\(id)', which is not configured under '\(kind)s'", at: item.location)
                continue
            }
            if ids.contains(id) {
                sink.error("\(kind) '\(id)' is listed twice in pipeline '\(pipeline)'", at: item.location)
                continue
            }
            declared[index].used = true
            if !declared[index].signals.contains(signal) {
                let supported = declared[index].signals.sorted().map(\.rawValue).joined(separator: ", ")
                sink.error("\(kind) '\(id)' does not support \(signal.rawValue) (it supports: \(supported))", at: item.location)
                continue
            }
            ids.append(id)
        }
        return ids
    }
}
