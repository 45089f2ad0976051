import CZlib

/// gzip (RFC 1952) compression for request and response bodies, over zlib.
public enum Gzip {
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// The data is not valid gzip, or it ends before the gzip trailer.
        case malformed(String)
        /// Inflating would produce more than the allowed number of bytes (a "gzip bomb").
        case tooLarge(limit: Int)

        public var description: String {
            switch self {
            case .malformed(let why): "invalid gzip data: \(why)"
            case .tooLarge(let limit): "decompressed body exceeds the limit of \(limit) bytes"
            }
        }
    }

    /// Inflates `input`, stopping as soon as the output would pass `limit` bytes.
    /// Concatenated gzip members are accepted, as RFC 1952 allows.
    public static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(Gzip.Error) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16 = expect a gzip header.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed("zlib initialisation failed")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(4096, input.count * 4)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        guard let inBase = input.baseAddress, input.count > 0 else { throw .malformed("empty body") }
        stream.next_in = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(input.count)
        while true {
            let status: Int32 = chunk.withUnsafeMutableBufferPointer { buf in
                stream.next_out = buf.baseAddress
                stream.avail_out = UInt32(buf.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.avail_out)
            if output.count + produced > limit { throw .tooLarge(limit: limit) }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_STREAM_END:
                if stream.avail_in == 0 { return output }
                // Another gzip member follows.
                guard inflateReset(&stream) == Z_OK else { throw .malformed("cannot reset for next member") }
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                if stream.avail_in == 0 { throw .malformed("truncated stream") }
                continue
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .malformed(message)
            }
        }
    }

    public static func decompress(_ input: [UInt8], limit: Int) throws(Gzip.Error) -> [UInt8] {
        do {
            return try input.withUnsafeBytes { raw in try decompress(raw, limit: limit) }
        } catch let e as Gzip.Error {
            throw e
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// Compresses `input` as one gzip member at the given zlib level (1 fastest … 9 smallest).
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 5) -> [UInt8] {
        var stream = z_stream()
        let ok = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(ok == Z_OK, "zlib deflateInit2 failed: \(ok)")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(input.count)
        let produced: Int = output.withUnsafeMutableBufferPointer { buf in
            stream.next_out = buf.baseAddress
            stream.avail_out = UInt32(buf.count)
            let status = deflate(&stream, Z_FINISH)
            precondition(status == Z_STREAM_END, "zlib deflate did not finish: \(status)")
            return buf.count - Int(stream.avail_out)
        }
        output.removeSubrange(produced...)
        return output
    }

    public static func compress(_ input: [UInt8], level: Int32 = 5) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level) }
    }
}
