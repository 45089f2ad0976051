import OTelModel

/// Encodes Loki push requests (loki.md §1.1 protobuf, §1.2 JSON).
///
/// The protobuf body is uncompressed; the sender snappy-compresses it (block format) and sends it
/// with `Content-Type: application/x-protobuf`.
public enum LokiPushEncoding {
    // Tags (field number << 3 | wire type) from `pkg/push/push.proto`.
    static let pushRequestStreams: UInt32 = 0x0A
    static let streamLabels: UInt32 = 0x0A
    static let streamEntries: UInt32 = 0x12
    static let entryTimestamp: UInt32 = 0x0A
    static let entryLine: UInt32 = 0x12
    static let entryStructuredMetadata: UInt32 = 0x1A
    static let labelPairName: UInt32 = 0x0A
    static let labelPairValue: UInt32 = 0x12
    static let timestampSeconds: UInt32 = 0x08
    static let timestampNanos: UInt32 = 0x10

    /// A serialized `logproto.PushRequest` holding `streams`, in order.
    ///
    /// `StreamAdapter.hash`, `EntryAdapter.parsed` and `PushRequest.format` are never written.
    public static func protobuf(_ streams: [LokiStream]) -> [UInt8] {
        var capacity = 0
        for stream in streams { capacity += estimatedSize(of: stream) }
        var writer = ProtoWriter(capacity: capacity)
        var selector: [UInt8] = []
        // Backwards: last stream first, and within each message its last field first.
        for stream in streams.reversed() {
            let mark = writer.written
            for entry in stream.entries.reversed() { write(entry, to: &writer) }
            selector.removeAll(keepingCapacity: true)
            LokiLabels.appendSelector(stream.labels, to: &selector)
            selector.withUnsafeBytes { writer.writeRaw($0) }
            writer.writeVarint(UInt64(selector.count))
            writer.writeTag(streamLabels)
            writer.closeMessage(tag: pushRequestStreams, mark: mark)
        }
        return writer.finish()
    }

    /// The bytes `stream` adds to ``protobuf(_:)``'s output, exactly (uncompressed, including its
    /// field tag and length prefix); sum it over streams to split requests under a size limit.
    public static func estimatedSize(of stream: LokiStream) -> Int {
        var body = stringFieldSize(LokiLabels.selectorLength(stream.labels))
        for entry in stream.entries { body += framedSize(entrySize(entry)) }
        return framedSize(body)
    }

    // MARK: Protobuf internals.

    private static func write(_ entry: LokiEntry, to writer: inout ProtoWriter) {
        let mark = writer.written
        for pair in entry.structuredMetadata.reversed() {
            let pairMark = writer.written
            writer.stringField(labelPairValue, pair.value)
            writer.stringField(labelPairName, pair.name)
            writer.closeMessage(tag: entryStructuredMetadata, mark: pairMark)
        }
        writer.stringField(entryLine, entry.line)
        // Always present, even for the epoch: Loki decodes a missing timestamp as year 1.
        let (seconds, nanos) = splitTimestamp(entry.timestampNanos)
        let timestampMark = writer.written
        writer.int32Field(timestampNanos, nanos)
        writer.varintField(timestampSeconds, UInt64(bitPattern: seconds))
        writer.closeMessage(tag: entryTimestamp, mark: timestampMark)
        writer.closeMessage(tag: streamEntries, mark: mark)
    }

    /// Seconds and nanoseconds (0…999 999 999) of `google.protobuf.Timestamp`, by floor division.
    static func splitTimestamp(_ nanos: Int64) -> (seconds: Int64, nanos: Int32) {
        var seconds = nanos / 1_000_000_000
        var remainder = nanos % 1_000_000_000
        if remainder < 0 {
            seconds -= 1
            remainder += 1_000_000_000
        }
        return (seconds, Int32(remainder))
    }

    private static func entrySize(_ entry: LokiEntry) -> Int {
        let (seconds, nanos) = splitTimestamp(entry.timestampNanos)
        var timestamp = 0
        if seconds != 0 { timestamp += 1 + ProtoWriter.varintSize(UInt64(bitPattern: seconds)) }
        if nanos != 0 { timestamp += 1 + ProtoWriter.varintSize(UInt64(bitPattern: Int64(nanos))) }
        var body = framedSize(timestamp) + stringFieldSize(entry.line.utf8.count)
        for pair in entry.structuredMetadata {
            body += framedSize(stringFieldSize(pair.name.utf8.count) + stringFieldSize(pair.value.utf8.count))
        }
        return body
    }

    /// Size of a one-byte tag, a length prefix and `length` bytes.
    @inline(__always)
    private static func framedSize(_ length: Int) -> Int {
        1 + ProtoWriter.varintSize(UInt64(length)) + length
    }

    /// Like `framedSize`, but empty strings are omitted.
    @inline(__always)
    private static func stringFieldSize(_ length: Int) -> Int {
        length == 0 ? 0 : framedSize(length)
    }
}
