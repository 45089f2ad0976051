/// Snappy block format (the raw format, without the framing/stream layer).
///
/// A compressed block is the uncompressed length as a little-endian base-128
/// varint, followed by a sequence of elements. The low two bits of each
/// element's tag byte select its kind:
///
/// - `00` literal: the upper six bits hold `length - 1` for lengths up to 60;
///   the values 60...63 mean that 1...4 little-endian bytes follow holding
///   `length - 1`. The literal bytes follow.
/// - `01` copy with a 1-byte offset: length 4...11 in bits 2-4, the high three
///   bits of an 11-bit offset in bits 5-7, the low eight bits in the next byte.
/// - `10` copy with a 2-byte offset: length 1...64 in the upper six bits, then
///   a little-endian 16-bit offset.
/// - `11` copy with a 4-byte offset: length 1...64 in the upper six bits, then
///   a little-endian 32-bit offset.
///
/// A copy repeats `length` bytes starting `offset` bytes back in the output;
/// the ranges may overlap, which replicates a short pattern.
public enum Snappy {
    /// The largest input the block format can describe: its preamble states
    /// the uncompressed length as a 32-bit value.
    static let maxInputLength = Int(UInt32.max)

    /// Compresses `input` into Snappy block format.
    ///
    /// - Precondition: `input.count < 4 GiB` (the preamble is a 32-bit length).
    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(input.count <= maxInputLength, "Snappy block format holds at most 4 GiB - 1 bytes")
        let bound = Encoder.maxCompressedLength(input.count)
        return [UInt8](unsafeUninitializedCapacity: bound) { out, count in
            count = Encoder.encode(input, into: out)
        }
    }

    /// Compresses `input` into Snappy block format.
    ///
    /// - Precondition: `input.count < 4 GiB` (the preamble is a 32-bit length).
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { compress($0) }
    }

    /// The uncompressed length stated in the preamble.
    public static func uncompressedLength(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> Int {
        try Decoder.readPreamble(input).length
    }

    /// Decompresses; refuses (throws) when the stated length exceeds `maxLength` before allocating anything.
    ///
    /// Every tag, length and offset is validated; the result is exactly the
    /// length stated in the preamble or an error is thrown.
    public static func decompress(_ input: UnsafeRawBufferPointer, maxLength: Int) throws(SnappyError) -> [UInt8] {
        try Decoder.decode(input, maxLength: maxLength)
    }

    /// Decompresses; refuses (throws) when the stated length exceeds `maxLength` before allocating anything.
    public static func decompress(_ input: [UInt8], maxLength: Int) throws(SnappyError) -> [UInt8] {
        // `withUnsafeBytes` rethrows untyped errors, so carry the result out as a value.
        let result: Result<[UInt8], SnappyError> = input.withUnsafeBytes { raw in
            do throws(SnappyError) {
                return .success(try Decoder.decode(raw, maxLength: maxLength))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
