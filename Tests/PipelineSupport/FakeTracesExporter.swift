import OTelModel
import PipelineCore
import Synchronization

/// An exporter that records what it gets, can be held until released, or always fails.
public final class FakeTracesExporter: Exporter, Sendable {
    public typealias Data = TracesData
    public enum Mode: Sendable { case accept, reject }
    public let mode: Mode
    public let received = Mutex<[Int]>([])
    public let gate = AsyncStream<Void>.makeStream()
    public let gated: Bool
    public let arrivals = AsyncStream<Int>.makeStream()

    public init(mode: Mode = .accept, gated: Bool = false) {
        self.mode = mode
        self.gated = gated
    }

    public func start() async throws {}
    public func shutdown() async { gate.continuation.finish() }

    public func export(_ data: TracesData) async throws {
        if gated {
            var it = gate.stream.makeAsyncIterator()
            _ = await it.next()
        }
        if mode == .reject { throw ConsumerError.permanent("rejected") }
        received.withLock { $0.append(data.itemCount) }
        arrivals.continuation.yield(data.itemCount)
    }

    public func release() { gate.continuation.yield() }
}
