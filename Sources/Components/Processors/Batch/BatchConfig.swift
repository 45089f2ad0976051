import Configuration
import Factories
import PipelineCore

/// `batch` processor settings (collector names and defaults).
public struct BatchConfig: ComponentConfig, Equatable {
    /// Send as soon as this many items are pending; 0 sends on the timeout only.
    public var sendBatchSize = 8192
    /// Upper bound of a batch; 0 means no bound. Must be ≥ `sendBatchSize`.
    public var sendBatchMaxSize = 0
    public var timeout: Duration = .milliseconds(200)

    public init() {}

    init(reading r: ConfigReader) {
        sendBatchSize = r.int("send_batch_size", default: sendBatchSize, min: 0)
        sendBatchMaxSize = r.int("send_batch_max_size", default: sendBatchMaxSize, min: 0)
        timeout = r.duration("timeout", default: timeout)
        if sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize {
            r.error("'send_batch_max_size' (\(sendBatchMaxSize)) must be 0 or at least 'send_batch_size' (\(sendBatchSize))", key: "send_batch_max_size")
        }
        if timeout <= .zero { r.error("'timeout' must be positive", key: "timeout") }
        _ = r.raw("metadata_keys").map { node in
            if case .sequence(let items) = node.value, !items.isEmpty { r.error("'metadata_keys' is not supported yet", key: "metadata_keys") }
        }
        r.noEffect("metadata_cardinality_limit", "it limits metadata_keys, which is not supported yet")
    }
}

