import OTelTestSupport
import Testing
import Snappy

/// The error decoding `bytes` throws, or nil when it decodes.
func decodeError(_ bytes: [UInt8], maxLength: Int = 1 << 20) -> SnappyError? {
    do throws(SnappyError) {
        _ = try Snappy.decompress(bytes, maxLength: maxLength)
        return nil
    } catch {
        return error
    }
}

@Suite struct HostileInputTests {
    @Test func everyTruncationThrows() throws {
        let data = TestData.remoteWrite(3000) + TestData.text(1000) + TestData.random(500)
        let compressed = Snappy.compress(data)
        for cut in 0..<compressed.count {
            #expect(decodeError(Array(compressed.prefix(cut))) != nil, "prefix of \(cut) bytes decoded")
        }
        // Also for a stream that uses every element form.
        var g = SplitMix64(seed: 21)
        let stream = StreamBuilder.random(&g, elements: 80).stream
        for cut in 0..<stream.count {
            #expect(decodeError(Array(stream.prefix(cut))) != nil, "prefix of \(cut) bytes decoded")
        }
    }

    @Test func randomSingleByteCorruptions() throws {
        var g = SplitMix64(seed: 77)
        let sources = [Snappy.compress(TestData.remoteWrite(6000)), Snappy.compress(TestData.text(4000)),
                       StreamBuilder.random(&g, elements: 60).stream]
        for i in 0..<2000 {
            var bytes = sources[i % sources.count]
            let at = g.below(bytes.count)
            bytes[at] ^= UInt8(1 + g.below(255))
            let limit = 1 << 20
            let stated = try? bytes.withUnsafeBytes { raw throws(SnappyError) in try Snappy.uncompressedLength(raw) }
            do throws(SnappyError) {
                let out = try Snappy.decompress(bytes, maxLength: limit)
                #expect(out.count == stated)
                #expect(ReferenceDecoder.decode(bytes, maxLength: limit) == out)
            } catch {
                #expect(ReferenceDecoder.decode(bytes, maxLength: limit) == nil, "\(error)")
            }
        }
    }

    @Test func randomGarbage() {
        var g = SplitMix64(seed: 8)
        for _ in 0..<5000 {
            var bytes: [UInt8] = []
            TestData.appendVarint(&bytes, UInt64(g.below(200)))
            for _ in 0..<g.below(64) { bytes.append(g.byte()) }
            let out = try? Snappy.decompress(bytes, maxLength: 1 << 10)
            #expect(out == ReferenceDecoder.decode(bytes, maxLength: 1 << 10))
        }
    }

    @Test func lengthOverLimitThrowsBeforeDecoding() {
        // States 4 GiB - 1; the body would be invalid anyway, but the limit check comes first.
        let error = decodeError([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x41], maxLength: 1 << 20)
        #expect(error?.kind == .lengthOverLimit(stated: 0xFFFF_FFFF, limit: 1 << 20))
        #expect(decodeError([0x0B, 0x28] + Array("hello world".utf8), maxLength: 10)?.kind
            == .lengthOverLimit(stated: 11, limit: 10))
        #expect(decodeError([0x0B, 0x28] + Array("hello world".utf8), maxLength: 11) == nil)
        #expect(decodeError([0x01, 0x00, 0x41], maxLength: -1)?.kind == .lengthOverLimit(stated: 1, limit: -1))
    }

    @Test func implausibleLengthThrowsBeforeAllocating() {
        // 1 GB stated, a 3-byte body: no stream that short can produce it.
        let error = decodeError([0x80, 0x94, 0xEB, 0xDC, 0x03, 0x00, 0x41, 0x05], maxLength: .max)
        #expect(error?.kind == .lengthImplausible(stated: 1_000_000_000, inputBytes: 8))
    }

    @Test func badPreambles() {
        #expect(decodeError([])?.kind == .truncatedPreamble)
        #expect(decodeError([0x80])?.kind == .truncatedPreamble)
        #expect(decodeError([0xFF, 0xFF, 0xFF, 0xFF])?.kind == .truncatedPreamble)
        #expect(decodeError([0x80, 0x80, 0x80, 0x80, 0x80, 0x00])?.kind == .badVarint)
        #expect(decodeError([0xFF, 0xFF, 0xFF, 0xFF, 0x1F], maxLength: .max)?.kind == .badVarint)
        #expect(throws: SnappyError.self) {
            try [UInt8]().withUnsafeBytes { raw throws(SnappyError) in try Snappy.uncompressedLength(raw) }
        }
    }

    @Test func zeroOffsetThrows() {
        // Literal "a", then a 1-byte-offset copy of 4 with offset 0.
        #expect(decodeError([0x05, 0x00, 0x61, 0x01, 0x00])?.kind == .zeroOffset)
        // 2- and 4-byte offset forms.
        #expect(decodeError([0x02, 0x00, 0x61, 0x02, 0x00, 0x00])?.kind == .zeroOffset)
        #expect(decodeError([0x02, 0x00, 0x61, 0x03, 0x00, 0x00, 0x00, 0x00])?.kind == .zeroOffset)
    }

    @Test func offsetBeyondOutputThrows() {
        // Copy before any output.
        #expect(decodeError([0x04, 0x01, 0x01])?.kind == .offsetBeyondOutput(offset: 1, produced: 0))
        // One byte produced, offset 2.
        #expect(decodeError([0x05, 0x00, 0x61, 0x01, 0x02])?.kind == .offsetBeyondOutput(offset: 2, produced: 1))
        // Largest 4-byte offset.
        #expect(decodeError([0x02, 0x00, 0x61, 0x03, 0xFF, 0xFF, 0xFF, 0xFF])?.kind
            == .offsetBeyondOutput(offset: 0xFFFF_FFFF, produced: 1))
        // Exactly at the output start is fine.
        #expect(decodeError([0x05, 0x00, 0x61, 0x01, 0x01]) == nil)
    }

    @Test func literalPastInputEndThrows() {
        // Literal of 10 with 3 bytes present.
        #expect(decodeError([0x0A, 0x24, 0x61, 0x62, 0x63])?.kind == .truncatedLiteral(length: 10, available: 3))
        // 4-byte length field stating 4 GiB.
        #expect(decodeError([0x0A, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x61])?.kind
            == .truncatedLiteral(length: 1 << 32, available: 1))
        // Length bytes themselves missing.
        #expect(decodeError([0x0A, 0xF8, 0x05])?.kind == .truncatedElement)
    }

    @Test func outputLengthMismatchThrows() {
        // Stated 2, literal of 3.
        #expect(decodeError([0x02, 0x08, 0x61, 0x62, 0x63])?.kind == .outputTooLong(stated: 2))
        // Stated 5, literal of 3.
        #expect(decodeError([0x05, 0x08, 0x61, 0x62, 0x63])?.kind == .outputTooShort(produced: 3, stated: 5))
        // Copy running past the stated length.
        #expect(decodeError([0x04, 0x00, 0x61, 0x01, 0x01])?.kind == .outputTooLong(stated: 4))
        // Stated 0 with trailing elements.
        #expect(decodeError([0x00, 0x00, 0x61])?.kind == .outputTooLong(stated: 0))
        #expect(decodeError([0x00]) == nil)
    }

    @Test func truncatedCopyHeadersThrow() {
        #expect(decodeError([0x08, 0x00, 0x61, 0x01])?.kind == .truncatedElement)
        #expect(decodeError([0x08, 0x00, 0x61, 0x02, 0x01])?.kind == .truncatedElement)
        #expect(decodeError([0x08, 0x00, 0x61, 0x03, 0x01, 0x00, 0x00])?.kind == .truncatedElement)
    }

    @Test func errorsDescribeThemselves() {
        let error = decodeError([0x05, 0x00, 0x61, 0x01, 0x00])
        #expect(error?.description == "snappy: copy with offset 0 (at input byte 3)")
        #expect(error?.position == 3)
    }
}
