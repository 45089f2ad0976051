import CChecksum
import CZlib

/// The on-disk layout of the write-ahead log.
///
/// A segment file `<20-digit sequence>.wal` starts with the 8-byte magic `OTSWAL02`, followed by
/// records: a 4-byte little-endian payload length, the 4-byte little-endian CRC-32C (Castagnoli) of
/// the payload, then the payload. Segments starting with `OTSWAL01` have the same layout with CRC-32
/// (IEEE, as zlib computes it) and are still read. The cursor file holds the position of the first
/// record not yet delivered: segment (8 bytes LE), offset (8 bytes LE), CRC-32 (IEEE) of those 16 bytes.
enum WALFormat {
    /// How a segment's records are checksummed, told by its magic.
    enum Checksum: Sendable {
        case crc32, crc32c

        func of(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
            guard let base = bytes.baseAddress, bytes.count > 0 else { return seed }
            switch self {
            case .crc32: return UInt32(CZlib.crc32(UInt(seed), base.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count)))
            case .crc32c: return otelsw_crc32c(seed, base, bytes.count)
            }
        }

        func of(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
            bytes.withUnsafeBytes { of($0, seed: seed) }
        }
    }

    /// The magic of segments written now.
    static let magic: [UInt8] = Array("OTSWAL02".utf8)

    static func checksum(forMagic bytes: [UInt8]) -> Checksum? {
        switch bytes {
        case magic: .crc32c
        case Array("OTSWAL01".utf8): .crc32
        default: nil
        }
    }

    static let headerSize = 8
    /// Larger lengths are taken as corruption rather than trusted.
    static let maxRecordSize = 256 << 20

    static func segmentName(_ sequence: UInt64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".wal"
    }

    static func sequence(ofSegment name: String) -> UInt64? {
        guard name.hasSuffix(".wal"), name.count == 24 else { return nil }
        return UInt64(name.prefix(20))
    }

    static func littleEndian(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    static func littleEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    static func readUInt32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    static func readUInt64(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        UInt64(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }
}
