/// Validating Snappy block decoder.
///
/// All positions are checked against the input and output ends before any
/// access; the arithmetic works on values bounded by those sizes, so nothing
/// overflows on hostile input.
enum Decoder {
    /// The most output one input byte can account for: a 3-byte copy with a
    /// 2-byte offset yields 64 bytes (64 / 3 < 22).
    static let maxExpansion = 22

    struct Preamble {
        var length: Int
        /// Number of preamble bytes.
        var size: Int
    }

    static func readPreamble(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> Preamble {
        var value: UInt64 = 0
        var i = 0
        while true {
            if i >= input.count { throw SnappyError(.truncatedPreamble, at: i) }
            if i == 5 { throw SnappyError(.badVarint, at: i) }
            let byte = input[i]
            value |= UInt64(byte & 0x7F) << UInt64(7 * i)
            i += 1
            if byte < 0x80 { break }
        }
        guard value <= UInt64(UInt32.max), let length = Int(exactly: value) else {
            throw SnappyError(.badVarint, at: 0)
        }
        return Preamble(length: length, size: i)
    }

    static func decode(_ input: UnsafeRawBufferPointer, maxLength: Int) throws(SnappyError) -> [UInt8] {
        let preamble = try readPreamble(input)
        let length = preamble.length
        if length > maxLength {
            throw SnappyError(.lengthOverLimit(stated: length, limit: maxLength), at: 0)
        }
        let body = input.count - preamble.size
        if length / maxExpansion > body {
            throw SnappyError(.lengthImplausible(stated: length, inputBytes: input.count), at: 0)
        }
        if length == 0 {
            if body != 0 { throw SnappyError(.outputTooLong(stated: 0), at: preamble.size) }
            return []
        }
        // length > 0 implies body > 0, so the input has a base address.
        guard let src = input.baseAddress else {
            throw SnappyError(.outputTooShort(produced: 0, stated: length), at: input.count)
        }

        var failure: SnappyError?
        let output = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            failure = decodeBody(src, input.count, preamble.size, UnsafeMutableRawPointer(base), length)
            initialized = failure == nil ? length : 0
        }
        if let failure { throw failure }
        return output
    }

    @inline(__always)
    static func copy8(_ dst: UnsafeMutableRawPointer, _ to: Int, _ from: Int) {
        dst.storeBytes(of: dst.loadUnaligned(fromByteOffset: from, as: UInt64.self), toByteOffset: to, as: UInt64.self)
    }

    /// Decodes the elements in `src[start..<srcEnd]` into exactly `dstEnd`
    /// bytes at `dst`. Returns the error, or nil on success.
    static func decodeBody(
        _ src: UnsafeRawPointer, _ srcEnd: Int, _ start: Int,
        _ dst: UnsafeMutableRawPointer, _ dstEnd: Int
    ) -> SnappyError? {
        var ip = start
        var op = 0

        while ip < srcEnd {
            let tagPosition = ip
            let tag = Int(src.load(fromByteOffset: ip, as: UInt8.self))
            ip &+= 1

            if tag & 3 == 0 {
                var length = (tag &>> 2) &+ 1
                if length > 60 {
                    let extra = length &- 60
                    if srcEnd &- ip < extra { return SnappyError(.truncatedElement, at: tagPosition) }
                    var n = 0
                    for k in 0..<extra {
                        n |= Int(src.load(fromByteOffset: ip &+ k, as: UInt8.self)) &<< (8 &* k)
                    }
                    ip &+= extra
                    length = n &+ 1
                }
                let available = srcEnd &- ip
                if length > available {
                    return SnappyError(.truncatedLiteral(length: length, available: available), at: tagPosition)
                }
                let room = dstEnd &- op
                if length > room { return SnappyError(.outputTooLong(stated: dstEnd), at: tagPosition) }
                if length <= 16 && available >= 16 && room >= 16 {
                    let lo = src.loadUnaligned(fromByteOffset: ip, as: UInt64.self)
                    let hi = src.loadUnaligned(fromByteOffset: ip &+ 8, as: UInt64.self)
                    dst.storeBytes(of: lo, toByteOffset: op, as: UInt64.self)
                    dst.storeBytes(of: hi, toByteOffset: op &+ 8, as: UInt64.self)
                } else {
                    (dst + op).copyMemory(from: src + ip, byteCount: length)
                }
                ip &+= length
                op &+= length
                continue
            }

            let length: Int
            let offset: Int
            switch tag & 3 {
            case 1:
                if ip >= srcEnd { return SnappyError(.truncatedElement, at: tagPosition) }
                length = 4 &+ ((tag &>> 2) & 7)
                offset = ((tag &>> 5) &<< 8) | Int(src.load(fromByteOffset: ip, as: UInt8.self))
                ip &+= 1
            case 2:
                if srcEnd &- ip < 2 { return SnappyError(.truncatedElement, at: tagPosition) }
                length = (tag &>> 2) &+ 1
                offset = Int(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: ip, as: UInt16.self)))
                ip &+= 2
            default:
                if srcEnd &- ip < 4 { return SnappyError(.truncatedElement, at: tagPosition) }
                length = (tag &>> 2) &+ 1
                offset = Int(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: ip, as: UInt32.self)))
                ip &+= 4
            }

            if offset == 0 { return SnappyError(.zeroOffset, at: tagPosition) }
            if offset > op { return SnappyError(.offsetBeyondOutput(offset: offset, produced: op), at: tagPosition) }
            let room = dstEnd &- op
            if length > room { return SnappyError(.outputTooLong(stated: dstEnd), at: tagPosition) }

            // Fast paths write whole 8-byte words and may run up to 7 bytes past
            // the copy's end (never past the output end); later elements
            // overwrite those bytes, and the final length check guarantees they do.
            if room >= length &+ 8 {
                if offset >= 8 {
                    // Every word read lies entirely below the word being written.
                    var k = 0
                    repeat {
                        copy8(dst, op &+ k, op &+ k &- offset)
                        k &+= 8
                    } while k < length
                } else {
                    // A pattern with period `offset` also has period `stride`,
                    // the smallest multiple of `offset` that is ≥ 8. Produce the
                    // first `stride - offset` bytes one by one, then copy words
                    // from `stride` bytes back, which are all already final.
                    let stride = offset &* ((8 &+ offset &- 1) / offset)
                    let head = min(stride &- offset, length)
                    var k = 0
                    while k < head {
                        dst.storeBytes(
                            of: dst.load(fromByteOffset: op &+ k &- offset, as: UInt8.self),
                            toByteOffset: op &+ k, as: UInt8.self)
                        k &+= 1
                    }
                    while k < length {
                        copy8(dst, op &+ k, op &+ k &- stride)
                        k &+= 8
                    }
                }
            } else if offset >= length {
                (dst + op).copyMemory(from: dst + (op &- offset), byteCount: length)
            } else {
                // Overlapping copy near the output end: byte by byte, so each
                // byte read has already been written.
                var k = 0
                while k < length {
                    dst.storeBytes(
                        of: dst.load(fromByteOffset: op &+ k &- offset, as: UInt8.self),
                        toByteOffset: op &+ k, as: UInt8.self)
                    k &+= 1
                }
            }
            op &+= length
        }

        if op != dstEnd { return SnappyError(.outputTooShort(produced: op, stated: dstEnd), at: ip) }
        return nil
    }
}
