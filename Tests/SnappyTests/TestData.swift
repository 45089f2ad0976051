/// Deterministic test inputs.

import OTelTestSupport

enum TestData {
    static func random(_ size: Int, seed: UInt64 = 1) -> [UInt8] {
        var g = SplitMix64(seed: seed)
        var out = [UInt8](repeating: 0, count: size)
        var i = 0
        while i < size {
            var word = g.next()
            for _ in 0..<8 where i < size {
                out[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
        return out
    }

    static func repeating(_ size: Int, pattern: [UInt8] = Array("otelsw!".utf8)) -> [UInt8] {
        (0..<size).map { pattern[$0 % pattern.count] }
    }

    static func text(_ size: Int, seed: UInt64 = 2) -> [UInt8] {
        var g = SplitMix64(seed: seed)
        let words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "telemetry", "agent",
                     "metric", "span", "trace", "exporter", "collector", "pipeline", "batch", "of", "and", "to",
                     "a", "is", "in", "with", "remote", "write", "request", "compression", "snappy", "block"]
        var out: [UInt8] = []
        out.reserveCapacity(size + 16)
        while out.count < size {
            out += words[g.below(words.count)].utf8
            switch g.below(12) {
            case 0: out += Array(".\n".utf8)
            case 1: out += Array(", ".utf8)
            default: out.append(0x20)
            }
        }
        return Array(out.prefix(size))
    }

    static func appendVarint(_ out: inout [UInt8], _ value: UInt64) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func appendField(_ out: inout [UInt8], _ field: Int, _ bytes: [UInt8]) {
        appendVarint(&out, UInt64(field << 3 | 2))
        appendVarint(&out, UInt64(bytes.count))
        out += bytes
    }

    /// A buffer shaped like a Prometheus remote-write `WriteRequest`: time series
    /// with repeated label names and values, and samples with varying values.
    static func remoteWrite(_ size: Int, seed: UInt64 = 3) -> [UInt8] {
        var g = SplitMix64(seed: seed)
        let metrics = ["http_requests_total", "http_request_duration_seconds_bucket", "process_cpu_seconds_total",
                       "go_memstats_alloc_bytes", "node_network_receive_bytes_total"]
        let codes = ["200", "204", "404", "500"]
        var out: [UInt8] = []
        var timestamp: UInt64 = 1_700_000_000_000
        while out.count < size {
            var series: [UInt8] = []
            for (name, value) in [("__name__", metrics[g.below(metrics.count)]), ("job", "otelsw-agent"),
                                  ("instance", "10.0.\(g.below(4)).\(g.below(32)):9100"),
                                  ("code", codes[g.below(codes.count)])] {
                var label: [UInt8] = []
                appendField(&label, 1, Array(name.utf8))
                appendField(&label, 2, Array(value.utf8))
                appendField(&series, 1, label)
            }
            var sample: [UInt8] = [0x09]
            let value = Double(g.below(1_000_000)) / 7
            withUnsafeBytes(of: value.bitPattern.littleEndian) { sample += $0 }
            sample.append(0x10)
            timestamp += UInt64(g.below(15_000))
            appendVarint(&sample, timestamp)
            appendField(&series, 2, sample)
            appendField(&out, 1, series)
        }
        return out
    }

    /// Segments of every kind above, of random sizes, concatenated.
    static func mixed(_ size: Int, seed: UInt64 = 4) -> [UInt8] {
        var g = SplitMix64(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(size)
        while out.count < size {
            let n = min(size - out.count, 1 + g.below(200_000))
            let s = g.next()
            switch g.below(5) {
            case 0: out += random(n, seed: s)
            case 1: out += repeating(n, pattern: random(1 + g.below(40), seed: s))
            case 2: out += text(n, seed: s)
            case 3: out += remoteWrite(n, seed: s).prefix(n)
            default: out += [UInt8](repeating: 0, count: n)
            }
        }
        return out
    }
}

/// A deliberately simple, fully bounds-checked decoder used as an oracle:
/// nil for any invalid input.
enum ReferenceDecoder {
    static func decode(_ input: [UInt8], maxLength: Int) -> [UInt8]? {
        var pos = 0
        var length = 0
        var shift = 0
        while true {
            guard pos < input.count, shift <= 28 else { return nil }
            let b = Int(input[pos])
            pos += 1
            length |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80 { break }
        }
        guard length <= Int(UInt32.max), length <= maxLength else { return nil }
        var out: [UInt8] = []
        func take(_ n: Int) -> Int? {
            guard input.count - pos >= n else { return nil }
            var v = 0
            for k in 0..<n { v |= Int(input[pos + k]) << (8 * k) }
            pos += n
            return v
        }
        while pos < input.count {
            let tag = Int(input[pos])
            pos += 1
            switch tag & 3 {
            case 0:
                var n = tag >> 2
                if n >= 60 {
                    guard let v = take(n - 59) else { return nil }
                    n = v
                }
                n += 1
                guard input.count - pos >= n, out.count + n <= length else { return nil }
                out += input[pos..<(pos + n)]
                pos += n
                continue
            case 1:
                guard let low = take(1) else { return nil }
                let n = 4 + ((tag >> 2) & 7)
                let offset = (tag >> 5) << 8 | low
                guard offset > 0, offset <= out.count, out.count + n <= length else { return nil }
                for _ in 0..<n { out.append(out[out.count - offset]) }
            default:
                guard let offset = take(tag & 3 == 2 ? 2 : 4) else { return nil }
                let n = (tag >> 2) + 1
                guard offset > 0, offset <= out.count, out.count + n <= length else { return nil }
                for _ in 0..<n { out.append(out[out.count - offset]) }
            }
        }
        return out.count == length ? out : nil
    }
}

/// Builds valid streams element by element, using every encoding form,
/// alongside the output they must decode to.
struct StreamBuilder {
    var body: [UInt8] = []
    var output: [UInt8] = []

    mutating func literal(_ bytes: [UInt8], lengthBytes: Int = 0) {
        let n = bytes.count - 1
        if lengthBytes == 0 && n < 60 {
            body.append(UInt8(n << 2))
        } else {
            let k = max(lengthBytes, n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4)
            body.append(UInt8((59 + k) << 2))
            for i in 0..<k { body.append(UInt8(truncatingIfNeeded: n >> (8 * i))) }
        }
        body += bytes
        output += bytes
    }

    /// `form` 1, 2 or 4: the offset width. The caller keeps the parameters in range.
    mutating func copy(offset: Int, length: Int, form: Int) {
        switch form {
        case 1:
            body.append(UInt8(1 | (length - 4) << 2 | (offset >> 8) << 5))
            body.append(UInt8(truncatingIfNeeded: offset))
        case 2:
            body.append(UInt8(2 | (length - 1) << 2))
            body += [UInt8(truncatingIfNeeded: offset), UInt8(truncatingIfNeeded: offset >> 8)]
        default:
            body.append(UInt8(3 | (length - 1) << 2))
            for i in 0..<4 { body.append(UInt8(truncatingIfNeeded: offset >> (8 * i))) }
        }
        for _ in 0..<length { output.append(output[output.count - offset]) }
    }

    var stream: [UInt8] {
        var out: [UInt8] = []
        TestData.appendVarint(&out, UInt64(output.count))
        return out + body
    }

    static func random(_ g: inout SplitMix64, elements: Int) -> StreamBuilder {
        var s = StreamBuilder()
        s.literal(TestData.random(1 + g.below(20), seed: g.next()))
        for _ in 0..<elements {
            let produced = s.output.count
            // Small offsets often, to exercise overlapping copies.
            func offset(max limit: Int) -> Int {
                let top = min(limit, produced)
                return g.below(3) == 0 ? 1 + g.below(min(top, 9)) : 1 + g.below(top)
            }
            switch g.below(8) {
            case 0:
                let n = [1, 5, 16, 17, 59, 60, 61, 62, 255, 256, 257, 300, 70_000][g.below(13)]
                s.literal(TestData.random(n, seed: g.next()), lengthBytes: g.below(4) == 0 ? 1 + g.below(4) : 0)
            case 1:
                s.literal(TestData.random(1 + g.below(24), seed: g.next()))
            case 2, 3:
                s.copy(offset: offset(max: 2047), length: 4 + g.below(8), form: 1)
            case 4, 5:
                s.copy(offset: offset(max: 65535), length: 1 + g.below(64), form: 2)
            default:
                s.copy(offset: offset(max: Int.max), length: 1 + g.below(64), form: 4)
            }
        }
        return s
    }
}
