import Configuration
import Factories
import OTelModel
import PipelineCore

struct NopExporter<D: SignalData>: Exporter {
    typealias Data = D
    func start() async throws {}
    func shutdown() async {}
    func export(_ data: D) async throws {}
}
