import Logging
import PipelineCore
import Prometheus

/// How a stage that holds data (batch, tail sampling) hands it to the next stage: taken; refused
/// for now (the stage keeps it and offers it again before anything newer); or rejected for good,
/// which is counted in `dropped` and logged.
enum HandOn {
    enum Outcome {
        case taken, refused, rejected
    }

    static func send<D: SignalData>(_ data: D, to next: any Consumer<D>, dropped: Counter, logger: Logger) async -> Outcome {
        do {
            try await next.consume(data)
            return .taken
        } catch let error as ConsumerError where error.isRetryable {
            logger.debug("next stage refused; holding", metadata: ["items": "\(data.itemCount)", "error": "\(error)"])
            return .refused
        } catch {
            dropped.increment(by: Int64(data.itemCount))
            logger.error("next stage rejected data permanently; dropped", metadata: ["items": "\(data.itemCount)", "error": "\(error)"])
            return .rejected
        }
    }
}
