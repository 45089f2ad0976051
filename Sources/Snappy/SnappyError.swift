/// Why a Snappy block could not be decoded.
public struct SnappyError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The input ended inside the length preamble (including empty input).
        case truncatedPreamble
        /// The preamble varint is longer than 5 bytes or exceeds 32 bits.
        case badVarint
        /// The stated uncompressed length is larger than the caller's limit.
        case lengthOverLimit(stated: Int, limit: Int)
        /// The input is too short to ever produce the stated length.
        case lengthImplausible(stated: Int, inputBytes: Int)
        /// The input ended inside an element's tag or its length/offset bytes.
        case truncatedElement
        /// A literal's data runs past the end of the input.
        case truncatedLiteral(length: Int, available: Int)
        /// A copy has offset 0.
        case zeroOffset
        /// A copy reaches back before the start of the output.
        case offsetBeyondOutput(offset: Int, produced: Int)
        /// An element would make the output longer than stated.
        case outputTooLong(stated: Int)
        /// The input ended before the stated length was produced.
        case outputTooShort(produced: Int, stated: Int)
    }

    /// What went wrong.
    public let kind: Kind
    /// Byte position in the compressed input where the problem was found.
    public let position: Int

    public init(_ kind: Kind, at position: Int) {
        self.kind = kind
        self.position = position
    }

    public var description: String {
        let what: String
        switch kind {
        case .truncatedPreamble:
            what = "input ends inside the length preamble"
        case .badVarint:
            what = "length preamble is not a valid 32-bit varint"
        case let .lengthOverLimit(stated, limit):
            what = "stated length \(stated) exceeds the limit of \(limit) bytes"
        case let .lengthImplausible(stated, inputBytes):
            what = "stated length \(stated) cannot be produced from \(inputBytes) input bytes"
        case .truncatedElement:
            what = "input ends inside an element header"
        case let .truncatedLiteral(length, available):
            what = "literal of \(length) bytes runs past the input end (\(available) bytes left)"
        case .zeroOffset:
            what = "copy with offset 0"
        case let .offsetBeyondOutput(offset, produced):
            what = "copy offset \(offset) reaches before the output start (\(produced) bytes produced)"
        case let .outputTooLong(stated):
            what = "element would make the output longer than the stated \(stated) bytes"
        case let .outputTooShort(produced, stated):
            what = "input ends after \(produced) of the stated \(stated) bytes"
        }
        return "snappy: \(what) (at input byte \(position))"
    }
}
