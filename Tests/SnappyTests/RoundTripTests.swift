import OTelTestSupport
import Testing
@testable import Snappy

/// Compresses, checks the stream with both decoders, and returns it.
@discardableResult
func roundTrip(_ data: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
    let compressed = Snappy.compress(data)
    #expect(compressed.count <= Encoder.maxCompressedLength(data.count), sourceLocation: sourceLocation)
    let length = try compressed.withUnsafeBytes { raw throws(SnappyError) in try Snappy.uncompressedLength(raw) }
    #expect(length == data.count, sourceLocation: sourceLocation)
    let restored = try Snappy.decompress(compressed, maxLength: data.count)
    #expect(restored == data, sourceLocation: sourceLocation)
    #expect(ReferenceDecoder.decode(compressed, maxLength: data.count) == data, sourceLocation: sourceLocation)
    return compressed
}

@Suite struct RoundTripTests {
    @Test func empty() throws {
        let compressed = try roundTrip([])
        #expect(compressed == [0])
    }

    @Test func oneByte() throws {
        let compressed = try roundTrip([0x41])
        #expect(compressed == [1, 0, 0x41])
    }

    @Test(arguments: [2, 3, 4, 15, 16, 17, 59, 60, 61, 62, 64, 255, 256, 257, 4096,
                      65535, 65536, 65537, 131_072, 131_075, 200_001])
    func sizes(_ size: Int) throws {
        try roundTrip(TestData.random(size, seed: UInt64(size)))
        try roundTrip(TestData.repeating(size))
        try roundTrip(TestData.text(size))
        try roundTrip([UInt8](repeating: 0, count: size))
        try roundTrip(TestData.mixed(size, seed: UInt64(size)))
    }

    @Test func incompressibleMiB() throws {
        let data = TestData.random(1 << 20, seed: 99)
        let compressed = try roundTrip(data)
        #expect(compressed.count <= data.count + data.count / 6 + 32)
    }

    @Test func repeatingPatternMiB() throws {
        let data = TestData.repeating(1 << 20, pattern: Array("abc123-xyz".utf8))
        let compressed = try roundTrip(data)
        #expect(compressed.count * 10 < data.count, "compressed to \(compressed.count) bytes")
    }

    @Test func textLike() throws {
        let data = TestData.text(300_000)
        let compressed = try roundTrip(data)
        #expect(compressed.count * 2 < data.count, "compressed to \(compressed.count) bytes")
    }

    @Test func remoteWriteLike() throws {
        let data = TestData.remoteWrite(500_000)
        let compressed = try roundTrip(data)
        #expect(compressed.count * 3 < data.count, "compressed to \(compressed.count) bytes")
    }

    @Test func mixedBuffer() throws {
        try roundTrip(TestData.mixed(2_000_000, seed: 11))
    }

    @Test func longMatchesAreSplit() throws {
        // A 1-byte run covers every copy-length split (64s, 60 + remainder, short tails).
        for n in [20, 67, 68, 69, 79, 128, 131, 132, 133, 1000] {
            try roundTrip(Array("xy".utf8) + [UInt8](repeating: 7, count: n) + Array("tail-bytes-here!".utf8))
        }
    }

    @Test func encoderStaysInsideItsOutputBound() {
        // Encode into exactly `maxCompressedLength` bytes followed by guard
        // bytes, then check the guard bytes are untouched.
        var g = SplitMix64(seed: 12)
        var inputs: [[UInt8]] = [[], [1], TestData.random(70_000), TestData.text(100_003)]
        for _ in 0..<200 {
            let n = g.below(3) == 0 ? g.below(40) : g.below(140_000)
            // Short random runs mixed with repeats keep literals short and frequent.
            var data: [UInt8] = []
            while data.count < n {
                if g.below(2) == 0 || data.count < 8 {
                    data += TestData.random(1 + g.below(6), seed: g.next())
                } else {
                    let start = g.below(data.count - 4)
                    data += data[start..<(start + 4 + g.below(min(20, data.count - start - 4) + 1))]
                }
            }
            inputs.append(Array(data.prefix(n)))
        }
        let guardBytes = 64
        for input in inputs {
            let bound = Encoder.maxCompressedLength(input.count)
            let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bound + guardBytes)
            defer { storage.deallocate() }
            storage.initialize(repeating: 0xA5)
            let written = input.withUnsafeBytes { raw in
                Encoder.encode(raw, into: UnsafeMutableBufferPointer(rebasing: storage[0..<bound]))
            }
            #expect(written <= bound)
            #expect(storage[bound...].allSatisfy { $0 == 0xA5 }, "wrote past the bound for \(input.count) bytes")
            #expect(ReferenceDecoder.decode(Array(storage[0..<written]), maxLength: input.count) == input)
        }
    }

    @Test func rawBufferOverload() throws {
        let data = TestData.text(10_000)
        let compressed = data.withUnsafeBytes { Snappy.compress($0) }
        #expect(compressed == Snappy.compress(data))
        let restored = try compressed.withUnsafeBytes { raw throws(SnappyError) in
            try Snappy.decompress(raw, maxLength: 10_000)
        }
        #expect(restored == data)
    }

    @Test func decodesEveryElementForm() throws {
        var g = SplitMix64(seed: 5)
        for _ in 0..<300 {
            let s = StreamBuilder.random(&g, elements: 1 + g.below(60))
            let stream = s.stream
            #expect(ReferenceDecoder.decode(stream, maxLength: .max) == s.output)
            #expect(try Snappy.decompress(stream, maxLength: s.output.count) == s.output)
        }
    }

    @Test func overlappingCopiesReplicatePatterns() throws {
        // Every small offset against lengths around the word size, with and
        // without room after the copy (the fast and the careful path).
        for offset in 1...17 {
            for length in 1...64 {
                for trailing in [0, 3, 40] {
                    var s = StreamBuilder()
                    s.literal(Array(TestData.text(offset + 5).suffix(offset)))
                    s.copy(offset: offset, length: length, form: 2)
                    if trailing > 0 { s.literal(TestData.random(trailing, seed: UInt64(length))) }
                    #expect(try Snappy.decompress(s.stream, maxLength: 1 << 16) == s.output)
                }
            }
        }
    }
}
