import Components
import Factories
import Foundation
import Logging
import NIOPosix
import OTelModel
import PipelineCore
import Synchronization
import Telemetry

/// Drives an OTLP/gRPC receiver with one request body from `concurrency` concurrent callers for a
/// fixed time, using otelsw's own gRPC exporter as the client, and prints a summary line. With
/// `freshTraceIDs` every request gets trace ids of its own (the first half of each id is XORed with
/// a request number), as a tail sampler needs to see new traces.
enum GRPCLoad {
    static func run(port: Int, payload: [UInt8], seconds: Double, concurrency: Int, freshTraceIDs: Bool = false) async throws {
        let data = try TracesData(protobuf: payload)
        let requestNumber = RequestNumber()
        var config = OTLPGRPCExporterConfig()
        config.endpoint = "127.0.0.1:\(port)"
        config.insecure = true
        config.compression = "none"
        config.timeout = .seconds(10)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = ComponentContext(id: ComponentID(type: "otlp", name: "load"), logger: Logger(label: "grpc-load"),
                                       telemetry: SelfTelemetry(version: "bench"), eventLoopGroup: group)
        let exporter = try OTLPGRPCExporterFactory().makeExporter(config: config, context: context, signal: TracesData.self)
        try await exporter.start()
        let counts = Tally()
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        await withTaskGroup(of: Void.self) { tasks in
            for _ in 0..<concurrency {
                tasks.addTask {
                    while ContinuousClock.now < deadline {
                        do {
                            if freshTraceIDs {
                                let n = requestNumber.next()
                                var fresh = data
                                for r in fresh.resourceSpans.indices {
                                    for sc in fresh.resourceSpans[r].scopeSpans.indices {
                                        for i in fresh.resourceSpans[r].scopeSpans[sc].spans.indices {
                                            fresh.resourceSpans[r].scopeSpans[sc].spans[i].traceID.high ^= n &* 0x9E37_79B9_7F4A_7C15
                                        }
                                    }
                                }
                                try await exporter.export(fresh)
                            } else {
                                try await exporter.export(data)
                            }
                            counts.value.withLock { $0.ok += 1 }
                        } catch let e as ConsumerError where e.isRetryable {
                            counts.value.withLock { $0.refused += 1 }
                        } catch {
                            counts.value.withLock { $0.failed += 1 }
                        }
                    }
                }
            }
        }
        await exporter.shutdown()
        let c = counts.value.withLock { $0 }
        print("requests=\(c.ok + c.refused + c.failed) ok=\(c.ok) refused=\(c.refused) failed=\(c.failed)")
    }
}

final class RequestNumber: Sendable {
    private let value = Mutex<UInt64>(0)
    func next() -> UInt64 { value.withLock { $0 += 1; return $0 } }
}

final class Tally: Sendable {
    let value = Mutex((ok: 0, refused: 0, failed: 0))
}
