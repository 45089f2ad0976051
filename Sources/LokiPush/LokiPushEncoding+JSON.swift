import OTelModel

extension LokiPushEncoding {
    /// The JSON push body for `streams` (loki.md §1.2), UTF-8, for `Content-Type: application/json`.
    ///
    /// Each value is `["<ns>", "<line>"]`, with a third object of structured metadata only when the
    /// entry has some. Stream labels are written sorted by name.
    public static func json(_ streams: [LokiStream]) -> [UInt8] {
        var output: [UInt8] = []
        var capacity = 16
        for stream in streams {
            capacity += estimatedSize(of: stream) + 24 + 8 * stream.labels.count + 24 * stream.entries.count
        }
        output.reserveCapacity(capacity)
        output.append(contentsOf: #"{"streams":["#.utf8)
        for (i, stream) in streams.enumerated() {
            if i > 0 { output.append(ASCII.comma) }
            output.append(contentsOf: #"{"stream":"#.utf8)
            LokiLabels.withSorted(stream.labels) { appendObject($0, to: &output) }
            output.append(contentsOf: #","values":["#.utf8)
            for (j, entry) in stream.entries.enumerated() {
                if j > 0 { output.append(ASCII.comma) }
                output.append(ASCII.openBracket)
                output.append(ASCII.quote)
                ASCII.appendDecimal(entry.timestampNanos, to: &output)
                output.append(ASCII.quote)
                output.append(ASCII.comma)
                appendJSONString(entry.line, to: &output)
                if !entry.structuredMetadata.isEmpty {
                    output.append(ASCII.comma)
                    appendObject(entry.structuredMetadata, to: &output)
                }
                output.append(ASCII.closeBracket)
            }
            output.append(contentsOf: "]}".utf8)
        }
        output.append(contentsOf: "]}".utf8)
        return output
    }

    /// `{"name":"value",…}` in the given order.
    private static func appendObject(_ labels: [LokiLabel], to output: inout [UInt8]) {
        output.append(ASCII.openBrace)
        for (i, label) in labels.enumerated() {
            if i > 0 { output.append(ASCII.comma) }
            appendJSONString(label.name, to: &output)
            output.append(ASCII.colon)
            appendJSONString(label.value, to: &output)
        }
        output.append(ASCII.closeBrace)
    }

    @inline(__always)
    private static func appendJSONString(_ string: String, to output: inout [UInt8]) {
        withUTF8Bytes(string) { appendJSONString($0, to: &output) }
    }

    /// Appends `bytes` as a JSON string (see ``JSONStringEncoding``).
    static func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        JSONStringEncoding.append(bytes, to: &output)
    }
}
