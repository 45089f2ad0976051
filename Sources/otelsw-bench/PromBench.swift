import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Snappy
import Synchronization
import Transport

/// The scrape benchmark's two ends.
enum PromBench {
    /// A Prometheus target serving `series` series in the text format 0.0.4: counters and gauges with
    /// four labels, and histograms (each 12 series: 10 buckets, sum, count); counters advance on every
    /// scrape.
    static func target(port: Int, series: Int) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let scrapes = Mutex(0)
        let server = HTTPServer(host: "127.0.0.1", port: port, group: group, maxBodySize: 1 << 20, logger: Logger(label: "target")) { _ in
            let n = scrapes.withLock { $0 += 1; return $0 }
            return HTTPServerResponse(status: .ok, headers: ["content-type": "text/plain; version=0.0.4; charset=utf-8"],
                                      body: ByteBuffer(string: exposition(series: series, scrape: n)))
        }
        try await server.start()
        print("target listening on 127.0.0.1:\(server.localAddress?.port ?? port) with \(series) series")
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    static func exposition(series: Int, scrape: Int) -> String {
        var out = ""
        out.reserveCapacity(series * 110)
        let histograms = series / 4 / 12
        let counters = (series - histograms * 12) / 2
        let gauges = series - histograms * 12 - counters
        out += "# HELP bench_requests_total Requests served.\n# TYPE bench_requests_total counter\n"
        for i in 0..<counters {
            out += "bench_requests_total{service=\"svc-\(i % 20)\",route=\"/api/v1/item/\(i)\",method=\"\(i % 2 == 0 ? "GET" : "POST")\",code=\"200\"} \(i * 10 + scrape)\n"
        }
        out += "# HELP bench_queue_depth Items waiting.\n# TYPE bench_queue_depth gauge\n"
        for i in 0..<gauges {
            out += "bench_queue_depth{service=\"svc-\(i % 20)\",queue=\"q-\(i)\",zone=\"z\(i % 3)\",tier=\"t\(i % 5)\"} \(Double(i % 97) + 0.5)\n"
        }
        out += "# HELP bench_latency_seconds Latency.\n# TYPE bench_latency_seconds histogram\n"
        let bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]
        for i in 0..<histograms {
            let labels = "service=\"svc-\(i % 20)\",route=\"/api/v1/op/\(i)\""
            for (k, le) in bounds.enumerated() {
                out += "bench_latency_seconds_bucket{\(labels),le=\"\(le)\"} \((k + 1) * (scrape + i))\n"
            }
            out += "bench_latency_seconds_sum{\(labels)} \(Double(scrape + i) * 0.37)\n"
            out += "bench_latency_seconds_count{\(labels)} \(10 * (scrape + i))\n"
        }
        return out
    }

    /// A Remote-Write receiver that decompresses each request and counts its samples, answering 204.
    static func sink(port: Int) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let stats = Mutex((requests: 0, samples: 0, bad: 0))
        let server = HTTPServer(host: "127.0.0.1", port: port, group: group, maxBodySize: 256 << 20, logger: Logger(label: "rw-sink")) { request in
            let body = Array(request.body.readableBytesView)
            guard let raw = try? Snappy.decompress(body, maxLength: 512 << 20), let n = samples(in: raw) else {
                stats.withLock { $0.bad += 1 }
                return HTTPServerResponse(status: .badRequest)
            }
            stats.withLock {
                $0.requests += 1
                $0.samples += n
            }
            return HTTPServerResponse(status: .noContent)
        }
        try await server.start()
        print("remote-write sink listening on 127.0.0.1:\(server.localAddress?.port ?? port)")
        let metrics = HTTPServer(host: "127.0.0.1", port: port + 1, group: group, maxBodySize: 1024, logger: Logger(label: "rw-sink-stats")) { _ in
            let s = stats.withLock { $0 }
            return HTTPServerResponse(status: .ok, body: ByteBuffer(string: "requests \(s.requests)\nsamples \(s.samples)\nbad \(s.bad)\n"))
        }
        try await metrics.start()
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    /// Samples in a `WriteRequest`: field 2 of each field-1 `TimeSeries`; nil when it does not parse.
    static func samples(in bytes: [UInt8]) -> Int? {
        var count = 0
        var i = 0
        func varint(_ i: inout Int, _ end: Int) -> UInt64? {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while i < end {
                let b = bytes[i]
                i += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }
        while i < bytes.count {
            guard let tag = varint(&i, bytes.count), tag & 7 == 2, let len = varint(&i, bytes.count), i + Int(len) <= bytes.count else { return nil }
            let end = i + Int(len)
            if tag >> 3 == 1 {
                var j = i
                while j < end {
                    guard let t = varint(&j, end) else { return nil }
                    switch t & 7 {
                    case 0: guard varint(&j, end) != nil else { return nil }
                    case 1: j += 8
                    case 5: j += 4
                    case 2:
                        guard let l = varint(&j, end) else { return nil }
                        j += Int(l)
                    default: return nil
                    }
                    if t >> 3 == 2 { count += 1 }
                }
            }
            i = end
        }
        return count
    }
}
