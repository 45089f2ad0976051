import Configuration
import Factories
import OTelModel
import PipelineCore
import TailSampling

/// A pipeline's door into its ``TailSamplingHub``.
struct TailSamplingProcessor<D: SignalData>: Processor, StateTakeover {
    typealias Data = D
    let hub: TailSamplingHub
    /// The generation of the graph this pipeline belongs to.
    let graph: UInt64

    func start() async throws { await hub.start(D.signal) }
    func takeOver() async { hub.takeOver(graph: graph) }
    func shutdown() async { await hub.stop(D.signal, graph: graph) }

    func consume(_ data: D) async throws {
        if let traces = data as? TracesData {
            try await hub.consume(traces)
        } else if let logs = data as? LogsData {
            try await hub.consume(logs)
        } else {
            throw ConsumerError.permanent("tail_sampling works on traces and logs")
        }
    }
}
