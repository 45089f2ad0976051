import Foundation
import OTelModel

/// Benchmark tools:
///   otelsw-bench codec [--payload FILE.pb] [--seconds S]   codec micro-benchmarks on one core
///   otelsw-bench payload --out FILE [--spans N]           write a realistic ExportTraceServiceRequest
///   otelsw-bench sink --port P [--delay-ms D]             an OTLP/HTTP backend that answers 200
///   otelsw-bench grpc-load --port P --payload F [--seconds S] [--concurrency C]   OTLP/gRPC load
///   otelsw-bench prom-target --port P [--series N]        a Prometheus target with N series
///   otelsw-bench rw-sink --port P                         a Remote-Write receiver counting samples (stats on P+1)
///   otelsw-bench log-file --out FILE --megabytes M        write JSON log lines (about 200 bytes each); prints the count
@main
struct Bench {
    static func main() async throws {
        var args = Array(CommandLine.arguments.dropFirst())
        let command = args.isEmpty ? "codec" : args.removeFirst()
        var payload: String?
        var seconds = 2.0
        var out = ""
        var spans = 1000
        var port = 0
        var delay = 0
        var concurrency = 8
        var perTrace = 1
        var freshTraceIDs = false
        while !args.isEmpty {
            let a = args.removeFirst()
            switch a {
            case "--payload": payload = args.isEmpty ? nil : args.removeFirst()
            case "--seconds": seconds = Double(args.isEmpty ? "" : args.removeFirst()) ?? seconds
            case "--out": out = args.isEmpty ? "" : args.removeFirst()
            case "--spans": spans = Int(args.isEmpty ? "" : args.removeFirst()) ?? spans
            case "--port": port = Int(args.isEmpty ? "" : args.removeFirst()) ?? port
            case "--concurrency": concurrency = Int(args.isEmpty ? "" : args.removeFirst()) ?? concurrency
            case "--delay-ms": delay = Int(args.isEmpty ? "" : args.removeFirst()) ?? delay
            case "--series": spans = Int(args.isEmpty ? "" : args.removeFirst()) ?? spans
            case "--megabytes": spans = Int(args.isEmpty ? "" : args.removeFirst()) ?? spans
            case "--spans-per-trace": perTrace = max(1, Int(args.isEmpty ? "" : args.removeFirst()) ?? perTrace)
            case "--fresh-trace-ids": freshTraceIDs = true
            default:
                FileHandle.standardError.write(Data("unknown argument \(a)\n".utf8))
                exit(2)
            }
        }
        switch command {
        case "codec": break
        case "prom-target":
            try await PromBench.target(port: port, series: spans == 1000 ? 10_000 : spans)
            return
        case "rw-sink":
            try await PromBench.sink(port: port)
            return
        case "log-file":
            print(try LogFile.write(path: out, megabytes: spans))
            return
        case "payload":
            try Data(SampleRequests.traces(spans: spans, perTrace: perTrace).protobufBytes()).write(to: URL(fileURLWithPath: out))
            return
        case "grpc-load":
            let body = Array(try Data(contentsOf: URL(fileURLWithPath: payload ?? "")))
            try await GRPCLoad.run(port: port, payload: body, seconds: seconds, concurrency: concurrency, freshTraceIDs: freshTraceIDs)
            return
        case "sink":
            try await Sink.run(port: port, delay: .milliseconds(delay))
            return
        default:
            FileHandle.standardError.write(Data("usage: otelsw-bench codec|payload|sink [options]\n".utf8))
            exit(2)
        }
        let request: [UInt8]
        if let payload {
            request = Array(try Data(contentsOf: URL(fileURLWithPath: payload)))
        } else {
            request = SampleRequests.traces(spans: spans).protobufBytes()
        }
        let storage = ByteStorage(copying: request)
        let decoded = try TracesData(protobuf: storage)
        let spanCount = decoded.spanCount
        let json = decoded.jsonBytes()
        let jsonStorage = ByteStorage(copying: json)
        let logs = SampleRequests.logs(records: 1000)
        let logsBytes = logs.protobufBytes()
        let logsStorage = ByteStorage(copying: logsBytes)

        print("codec benchmark, one core: \(spanCount)-span request, \(request.count) bytes protobuf, \(json.count) bytes JSON")
        let results = [
            CodecBenchmark.measure("traces protobuf decode", items: spanCount, seconds: seconds) { blackHole(try! TracesData(protobuf: storage)) },
            CodecBenchmark.measure("traces protobuf encode", items: spanCount, seconds: seconds) { blackHole(decoded.encodedProtobufBytes()) },
            CodecBenchmark.measure("traces JSON decode", items: spanCount, seconds: seconds) { blackHole(try! TracesData(json: jsonStorage)) },
            CodecBenchmark.measure("traces JSON encode", items: spanCount, seconds: seconds) { blackHole(decoded.jsonBytes()) },
            CodecBenchmark.measure("logs protobuf decode", items: 1000, seconds: seconds) { blackHole(try! LogsData(protobuf: logsStorage)) },
            CodecBenchmark.measure("logs protobuf encode", items: 1000, seconds: seconds) { blackHole(logs.encodedProtobufBytes()) },
        ]
        for r in results {
            print(String(format: "  %-26@ %12.0f items/s  %8.1f ns/item", r.label as NSString, r.itemsPerSecond, r.nanosPerItem))
        }
    }
}
