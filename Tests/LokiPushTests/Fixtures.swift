import OTelTestSupport
import LokiPush

/// Streams that exercise the encoders' edge cases.
enum Fixtures {
    static let timestamps: [Int64] = [
        0, 1, 999_999_999, 1_000_000_000, 1_700_000_000_123_456_789,
        -1, -999_999_999, -1_000_000_000, -1_500_000_000,
        .max, .min, .max - 1, .min + 1,
    ]

    static let lines: [String] = [
        "",
        "GET /cart 200",
        "héllo wörld 世界 😀 \u{10FFFF}",
        "first line\nsecond line\r\n",
        "tab\there \"quoted\" back\\slash </script>",
        "\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}\u{80}\u{85}\u{9F}\u{2028}\u{2029}\u{FEFF}\u{FFFD}",
        String(repeating: "long line ", count: 2000),
    ]

    static let metadata: [[LokiLabel]] = [
        [],
        [LokiLabel(name: "trace_id", value: "0af7651916cd43dd8448eb211c80319c"),
         LokiLabel(name: "span_id", value: "b7ad6b7169203331")],
        [LokiLabel(name: "empty", value: "")],
        [LokiLabel(name: "detail", value: "ünïcødé \"q\" \\ \n\t\u{1}")],
    ]

    /// A few streams with every line, timestamp and metadata variant.
    static var edgeCases: [LokiStream] {
        var entries: [LokiEntry] = []
        for (i, ts) in timestamps.enumerated() {
            entries.append(LokiEntry(timestampNanos: ts, line: lines[i % lines.count],
                                     structuredMetadata: metadata[i % metadata.count]))
        }
        for (i, line) in lines.enumerated() {
            entries.append(LokiEntry(timestampNanos: 1_700_000_000_000_000_000 + Int64(i), line: line,
                                     structuredMetadata: metadata[(i + 1) % metadata.count]))
        }
        return [
            LokiStream(labels: [LokiLabel(name: "service_name", value: "checkout"),
                                LokiLabel(name: "env", value: "prod")],
                       entries: entries),
            LokiStream(labels: [
                LokiLabel(name: "q", value: #"say "hi" \o/"#),
                LokiLabel(name: "nl", value: "a\nb\tc\u{7}\u{0}"),
                LokiLabel(name: "u", value: "é世😀\u{85}\u{A0}"),
                LokiLabel(name: "empty", value: ""),
            ], entries: [LokiEntry(timestampNanos: 42, line: "tricky labels")]),
            LokiStream(labels: [LokiLabel(name: "job", value: "no entries")], entries: []),
        ]
    }

    /// `count` streams of three entries each.
    static func manyStreams(_ count: Int) -> [LokiStream] {
        (0..<count).map { i in
            LokiStream(
                labels: [LokiLabel(name: "job", value: "job-\(i)"), LokiLabel(name: "host", value: "h\(i % 7)")],
                entries: (0..<3).map { j in
                    LokiEntry(timestampNanos: 1_700_000_000_000_000_000 + Int64(i * 3 + j),
                              line: "stream \(i) entry \(j)",
                              structuredMetadata: j == 1 ? [LokiLabel(name: "n", value: "\(i)")] : [])
                })
        }
    }

    /// What the peer should record for `streams`.
    static func expected(_ streams: [LokiStream]) -> [RecordedStream] {
        streams.map { stream in
            RecordedStream(
                labels: Dictionary(stream.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                entries: stream.entries.map { entry in
                    RecordedEntry(ts: String(entry.timestampNanos), line: entry.line,
                                  metadata: Dictionary(entry.structuredMetadata.map { ($0.name, $0.value) },
                                                       uniquingKeysWith: { $1 }))
                })
        }
    }
}
