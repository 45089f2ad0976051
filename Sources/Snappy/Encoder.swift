/// Greedy LZ77 encoder over 64 KiB blocks with a hash table of 4-byte sequences.
///
/// Each block is encoded independently: copies only refer back within the
/// same block, so offsets always fit the 2-byte form and table positions fit
/// in `UInt16`.
enum Encoder {
    static let blockSize = 1 << 16
    static let minTableBits = 8
    static let maxTableBits = 14
    /// Blocks shorter than this are emitted as one literal. Also the distance
    /// kept from the block end while searching, so 4-byte loads at the search
    /// position and the position before stay inside the block.
    static let inputMargin = 15

    /// Upper bound of the encoded size of `n` input bytes.
    ///
    /// A copy element costs at most 3 bytes and covers at least 4, so it saves
    /// at least one byte; a literal of up to 60 bytes has a 1-byte header,
    /// which the copy after it pays for. Longer literals (≥ 61 bytes) cost one
    /// or two bytes more than that, and each block's final literal up to 3
    /// bytes of header. Together with the 5-byte preamble this stays well
    /// under `32 + n + n / 6`.
    static func maxCompressedLength(_ n: Int) -> Int {
        32 + n + n / 6
    }

    static func encode(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let outBase = out.baseAddress else { return 0 }
        let dst = UnsafeMutableRawPointer(outBase)
        var op = writeVarint(UInt32(truncatingIfNeeded: input.count), to: dst)
        guard let src = input.baseAddress, input.count > 0 else { return op }

        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 1 << maxTableBits)
        defer { table.deallocate() }

        var start = 0
        while start < input.count {
            let length = min(blockSize, input.count - start)
            op = encodeBlock(src + start, length, dst, op, table)
            start += length
        }
        assert(op <= out.count)
        return op
    }

    @inline(__always)
    static func writeVarint(_ value: UInt32, to dst: UnsafeMutableRawPointer) -> Int {
        var v = value
        var i = 0
        while v >= 0x80 {
            dst.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: i, as: UInt8.self)
            v >>= 7
            i += 1
        }
        dst.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: i, as: UInt8.self)
        return i + 1
    }

    @inline(__always)
    static func load32(_ p: UnsafeRawPointer, _ i: Int) -> UInt32 {
        p.loadUnaligned(fromByteOffset: i, as: UInt32.self)
    }

    @inline(__always)
    static func load64(_ p: UnsafeRawPointer, _ i: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    @inline(__always)
    static func hash(_ v: UInt32, _ shift: UInt32) -> Int {
        Int(truncatingIfNeeded: (v &* 0x9E37_79B1) >> shift)
    }

    /// Encodes one block of `n` (1...65536) bytes at `b`, appending at `dst + op`.
    /// Returns the new output position.
    static func encodeBlock(
        _ b: UnsafeRawPointer, _ n: Int,
        _ dst: UnsafeMutableRawPointer, _ opStart: Int,
        _ table: UnsafeMutablePointer<UInt16>
    ) -> Int {
        var op = opStart
        if n <= inputMargin {
            return emitLiteral(dst, op, b, 0, n, n)
        }

        var tableBits = minTableBits
        while tableBits < maxTableBits && (1 << tableBits) < n { tableBits += 1 }
        table.update(repeating: 0, count: 1 << tableBits)
        let shift = UInt32(32 - tableBits)

        // Positions ≤ limit leave at least `inputMargin` bytes to the block end.
        let limit = n - inputMargin
        var nextEmit = 0
        var ip = 1

        outer: while true {
            // Search for a 4-byte match. Every 32 misses the stride grows by one,
            // so incompressible data is skipped quickly.
            var skip = 32
            var candidate: Int
            while true {
                let current = load32(b, ip)
                let h = hash(current, shift)
                candidate = Int(table[h])
                table[h] = UInt16(truncatingIfNeeded: ip)
                if load32(b, candidate) == current { break }
                ip &+= skip &>> 5
                skip &+= 1
                if ip > limit { break outer }
            }

            if ip > nextEmit {
                op = emitLiteral(dst, op, b, nextEmit, ip - nextEmit, n)
            }

            // Emit the match, then try to chain another match right after it.
            while true {
                let base = ip
                var m = ip &+ 4
                var c = candidate &+ 4
                extend: do {
                    while m &+ 8 <= n {
                        let x = load64(b, m) ^ load64(b, c)
                        if x != 0 {
                            m &+= x.trailingZeroBitCount &>> 3
                            break extend
                        }
                        m &+= 8
                        c &+= 8
                    }
                    while m < n && b.load(fromByteOffset: m, as: UInt8.self) == b.load(fromByteOffset: c, as: UInt8.self) {
                        m &+= 1
                        c &+= 1
                    }
                }
                ip = m
                op = emitCopy(dst, op, offset: base &- candidate, length: m &- base)
                nextEmit = ip
                if ip >= limit { break outer }

                let prev = ip &- 1
                table[hash(load32(b, prev), shift)] = UInt16(truncatingIfNeeded: prev)
                let current = load32(b, ip)
                let h = hash(current, shift)
                candidate = Int(table[h])
                table[h] = UInt16(truncatingIfNeeded: ip)
                if load32(b, candidate) != current {
                    ip &+= 1
                    break
                }
            }
        }

        if nextEmit < n {
            op = emitLiteral(dst, op, b, nextEmit, n - nextEmit, n)
        }
        return op
    }

    /// Appends a literal of `length` bytes taken from `src[from...]`; `srcEnd`
    /// is the readable end of `src`, used to allow a wide copy for short literals.
    @inline(__always)
    static func emitLiteral(
        _ dst: UnsafeMutableRawPointer, _ opStart: Int,
        _ src: UnsafeRawPointer, _ from: Int, _ length: Int, _ srcEnd: Int
    ) -> Int {
        var op = opStart
        let n = length &- 1
        if n < 60 {
            dst.storeBytes(of: UInt8(truncatingIfNeeded: n &<< 2), toByteOffset: op, as: UInt8.self)
            op &+= 1
            // Short literal with 16 readable input bytes: two 8-byte moves.
            // The up to 16 - length extra bytes written stay inside the output
            // buffer: at least that many input bytes remain, and the output so
            // far exceeds the input consumed by far less than the slack
            // `maxCompressedLength` keeps beyond the input size.
            if length <= 16 && srcEnd &- from >= 16 {
                let lo = src.loadUnaligned(fromByteOffset: from, as: UInt64.self)
                let hi = src.loadUnaligned(fromByteOffset: from &+ 8, as: UInt64.self)
                dst.storeBytes(of: lo, toByteOffset: op, as: UInt64.self)
                dst.storeBytes(of: hi, toByteOffset: op &+ 8, as: UInt64.self)
                return op &+ length
            }
        } else {
            var extra = 1
            if n >= 1 << 8 { extra = 2 }
            if n >= 1 << 16 { extra = 3 }
            if n >= 1 << 24 { extra = 4 }
            dst.storeBytes(of: UInt8(truncatingIfNeeded: (59 &+ extra) &<< 2), toByteOffset: op, as: UInt8.self)
            op &+= 1
            var v = n
            for _ in 0..<extra {
                dst.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: op, as: UInt8.self)
                v &>>= 8
                op &+= 1
            }
        }
        (dst + op).copyMemory(from: src + from, byteCount: length)
        return op &+ length
    }

    /// Appends copies covering `length` (≥ 4) bytes at `offset` (1...65535).
    @inline(__always)
    static func emitCopy(_ dst: UnsafeMutableRawPointer, _ opStart: Int, offset: Int, length: Int) -> Int {
        var op = opStart
        var len = length
        // Pieces of 64; keep the remainder at 4 or more so it can use any form.
        while len >= 68 {
            op = emitCopy2(dst, op, offset, 64)
            len &-= 64
        }
        if len > 64 {
            op = emitCopy2(dst, op, offset, 60)
            len &-= 60
        }
        if len < 12 && offset < 2048 {
            let tag = 1 | ((len &- 4) &<< 2) | ((offset &>> 8) &<< 5)
            dst.storeBytes(of: UInt8(truncatingIfNeeded: tag), toByteOffset: op, as: UInt8.self)
            dst.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: op &+ 1, as: UInt8.self)
            return op &+ 2
        }
        return emitCopy2(dst, op, offset, len)
    }

    @inline(__always)
    static func emitCopy2(_ dst: UnsafeMutableRawPointer, _ op: Int, _ offset: Int, _ length: Int) -> Int {
        dst.storeBytes(of: UInt8(truncatingIfNeeded: 2 | ((length &- 1) &<< 2)), toByteOffset: op, as: UInt8.self)
        dst.storeBytes(of: UInt16(truncatingIfNeeded: offset).littleEndian, toByteOffset: op &+ 1, as: UInt16.self)
        return op &+ 3
    }
}
