import Configuration
import Factories
import Foundation
import LogOps
import Logging
import OTelModel
import PipelineCore
import Prometheus
import Synchronization
import Telemetry

public struct FileLogReceiverFactory: ReceiverFactory {
    public init() {}
    public var type: String { "filelog" }
    public var signals: Set<Signal> { [.logs] }
    public var stability: StabilityLevel { .beta }
    public func makeConfig(_ reader: ConfigReader) -> FileLogConfig { FileLogConfig(reading: reader) }

    public func makeReceiver(config: FileLogConfig, context: ComponentContext, consumers: ReceiverConsumers) throws -> any Component {
        guard let logs = consumers.logs else { throw ConsumerError.permanent("filelog feeds logs pipelines only") }
        let c = config
        var store: CheckpointStore?
        if let id = c.storage {
            guard let storage = context.storages[id] else { throw ConsumerError.permanent("storage \(id) is not an enabled file_storage extension") }
            store = CheckpointStore(directory: storage.directory, receiver: context.id.description)
        }
        let operators: OperatorSequence
        do {
            operators = try OperatorSequence(building: c.operators)
        } catch {
            throw ConsumerError.permanent("\(error)")
        }
        return FileLogReceiver(config: c, context: context, next: logs, store: store, operators: operators)
    }
}
