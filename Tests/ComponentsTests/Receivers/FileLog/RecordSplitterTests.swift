@testable import Components
import OTelModel
import Testing

/// Cutting file bytes into records: lines across reads, a last line without newline, long lines,
/// multiline records, and the offset a checkpoint may name at every step.
@Suite struct RecordSplitterTests {
    struct Fed {
        var splitter: RecordSplitter
        var offset: Int64 = 0
        var records: [RecordSplitter.Record] = []

        init(_ settings: RecordSplitter.Settings = .init()) { splitter = RecordSplitter(settings: settings, offset: 0) }

        mutating func feed(_ text: String) {
            let bytes = Array(text.utf8)
            let storage = ByteStorage(copying: bytes)
            splitter.feed(storage, count: bytes.count, at: offset, into: &records)
            offset += Int64(bytes.count)
        }

        mutating func flush() { splitter.flush(at: offset, into: &records) }

        var lines: [String] { records.map(\.bytes.string) }
    }

    @Test func linesAcrossReadsAndTheLastLineWaitsForItsNewline() {
        var f = Fed()
        f.feed("one\ntw")
        #expect(f.lines == ["one"])
        #expect(f.splitter.consumed == 4, "the checkpoint stays before the incomplete line")
        #expect(f.splitter.isHolding)
        f.feed("o\r\n\n  three  \nfo")
        #expect(f.lines == ["one", "two", "three"], "trailing \\r and spaces trimmed, the blank line skipped")
        #expect(f.records.map(\.end) == [4, 9, 20])
        #expect(f.splitter.consumed == 20)
        f.flush()
        #expect(f.lines == ["one", "two", "three", "fo"], "a force flush emits the partial line")
        #expect(f.splitter.consumed == 22 && !f.splitter.isHolding)
    }

    @Test func longLinesAreCutAndTheFileGoesOn() {
        var f = Fed(.init(maxLogSize: 8))
        f.feed("0123456789abc\nshort\n0123")
        f.feed("456789xyz")
        f.feed("more\nend\n")
        #expect(f.lines == ["01234567", "short", "01234567", "end"])
        #expect(f.records.map(\.truncated) == [true, false, true, false])
        #expect(f.splitter.consumed == f.offset)
    }

    @Test func multilineRecordsStartAtTheirPattern() throws {
        let start = try LinePattern(#"^\d{4}-"#)
        var f = Fed(.init(multiline: .lineStart(start)))
        f.feed("2026-01-01 boom\n  at a()\n  at b()\n2026-01-01 next\n")
        #expect(f.lines == ["2026-01-01 boom\n  at a()\n  at b()"])
        #expect(f.splitter.consumed == 34, "the checkpoint stays at the start of the record still open")
        f.feed("  at c()\n")
        f.flush()
        #expect(f.lines.last == "2026-01-01 next\n  at c()")
        #expect(f.splitter.consumed == f.offset)
    }

    @Test func multilineRecordsEndAtTheirPattern() throws {
        let end = try LinePattern(#";$"#)
        var f = Fed(.init(multiline: .lineEnd(end)))
        f.feed("select *\nfrom t;\nupdate")
        #expect(f.lines == ["select *\nfrom t;"], "the end line belongs to its record")
        #expect(f.splitter.consumed == 17)
    }

    @Test func invalidUTF8IsReplacedAndCounted() {
        let bytes: [UInt8] = Array("ok ".utf8) + [0xFF, 0xC3] + Array(" end".utf8)
        let (body, replaced) = FileEncoding.utf8.body(ByteString(bytes: bytes))
        #expect(replaced)
        #expect(body == .string(ByteString("ok \u{FFFD}\u{FFFD} end")))
        let (plain, none) = FileEncoding.utf8.body(ByteString("grüße 🌍"))
        #expect(!none && plain == .string(ByteString("grüße 🌍")))
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            #expect(!bad.withUnsafeBytes { UTF8Check.isValid($0) }, "\(bad)")
        }
    }
}
