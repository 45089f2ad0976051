import Testing
@testable import LogOps
import OTelModel

@Suite struct JSONObjectParserTests {
    let parser = JSONObjectParser()

    @Test func valueTypes() throws {
        let m = try parser.parse(#"{"s":"x","i":42,"n":-7,"d":1.5,"e":2e3,"t":true,"f":false,"z":null,"o":{"a":1},"a":[1,"two",[],{}]}"#)
        #expect(m.keys == ["s", "i", "n", "d", "e", "t", "f", "z", "o", "a"])
        #expect(m["s"] == s("x"))
        #expect(m["i"] == .int(42))
        #expect(m["n"] == .int(-7))
        #expect(m["d"] == .double(1.5))
        #expect(m["e"] == .double(2000))
        #expect(m["t"] == .bool(true))
        #expect(m["f"] == .bool(false))
        #expect(m["z"] == .empty)
        #expect(m["o"] == .kvlist([KeyValue(key: "a", value: .int(1))]))
        #expect(m["a"] == .array([.int(1), s("two"), .array([]), .kvlist([])]))
    }

    /// `text` in the middle of a larger storage, as a log line sits in a read buffer.
    func embedded(_ text: [UInt8]) -> (ByteString, ByteStorage) {
        let storage = ByteStorage(copying: Array("line before\n".utf8) + text + Array("\"\\ after".utf8))
        return (ByteString(storage: storage, offset: 12, count: text.count), storage)
    }

    @Test func viewsIntoTheInputStorageLeaveItUntouched() throws {
        let text = #"{"plain":"abc","esc":"a\"b\u00e9\n","bad":"x?y","big":1e400,"deep":{"k":["v"]}}"#
        let bytes = Array(text.utf8).map { $0 == UInt8(ascii: "?") ? 0xFF : $0 }
        let (line, storage) = embedded(bytes)
        let before = storage.buffer.map { $0 }
        let m = try parser.parse(line)
        #expect(storage.buffer.map { $0 } == before)
        #expect(m["plain"] == s("abc"))
        #expect(m["esc"] == s("a\"b\u{e9}\n"))
        #expect(m["bad"] == s("x\u{FFFD}y"))
        #expect(m["big"] == s("1e400"))
        #expect(m["deep"] == .kvlist([KeyValue(key: "k", value: .array([s("v")]))]))
        // Plain strings and keys point into the line's storage; rewritten ones have their own.
        #expect(m["plain"]?.stringValue?.backing?.storage === storage)
        #expect(m.first?.key.backing?.storage === storage)
        #expect(m["esc"]?.stringValue?.backing?.storage !== storage)
    }

    @Test(arguments: [
        #"{"a":"x\ty","b":[1,2,{"c":"\ud83d\ude00"}],"a":"again"}"#,
        #"{"lone":"\ud800","n":-0.5e-3,"t":true,"z":null}"#,
        #"{"k":"\#u{e9}t\#u{e9}","s":"\/\b\f\r"}"#,
        #"{"a":1,"#, #"{"a":"unterminated}"#, #"{"a":tru}"#, #"[1]"#, "", #"{"a":1} x"#,
        #"{"ctl":"a\#u{01}b"}"#,
    ])
    func aLineInsideABufferParsesLikeTheSameText(_ text: String) {
        let (line, _) = embedded(Array(text.utf8))
        let direct = Result { try parser.parse(text) }
        let viewed = Result { try parser.parse(line) }
        switch (direct, viewed) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)")
        default: Issue.record("\(direct) vs \(viewed)")
        }
    }

    @Test func emptyObjectAndWhitespace() throws {
        #expect(try parser.parse("{}").isEmpty)
        #expect(try parser.parse(" \t\r\n{ } \n").isEmpty)
        #expect(try parser.parse("\u{FEFF}{\"a\":1}")["a"] == .int(1))
    }

    @Test func numbers() throws {
        let m = try parser.parse(
            #"{"max":9223372036854775807,"min":-9223372036854775808,"over":9223372036854775808,"big":123456789012345678901234567890,"tiny":1e-400,"huge":1e400,"neghuge":-1e999,"zero":-0,"frac":0.000123,"exp":-1.25E-2,"long":3.141592653589793238462643383279}"#
        )
        #expect(m["max"] == .int(.max))
        #expect(m["min"] == .int(.min))
        #expect(m["over"] == .double(9223372036854775808))
        #expect(m["big"] == .double(1.2345678901234568e29))
        #expect(m["tiny"] == .double(0))
        #expect(m["huge"] == s("1e400"))
        #expect(m["neghuge"] == s("-1e999"))
        #expect(m["zero"] == .int(0))
        #expect(m["frac"] == .double(0.000123))
        #expect(m["exp"] == .double(-0.0125))
        #expect(m["long"] == .double(3.141592653589793))
    }

    @Test(arguments: ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "-01", "1.e5"])
    func invalidNumbers(_ n: String) {
        #expect(throws: JSONParseError.self) { try parser.parse("{\"a\":\(n)}") }
    }

    @Test func escapes() throws {
        let m = try parser.parse(#"{"e":"q\"b\\s\/n\nt\tr\rb\bf\f","u":"\u00e9\u4e2d\u0041","pair":"\ud83d\ude00","lone":"a\ud800b","low":"\udc00","k\u0065y":1}"#)
        #expect(m["e"] == s("q\"b\\s/n\nt\tr\rb\u{8}f\u{C}"))
        #expect(m["u"] == s("é中A"))
        #expect(m["pair"] == s("😀"))
        #expect(m["lone"] == s("a\u{FFFD}b"))
        #expect(m["low"] == s("\u{FFFD}"))
        #expect(m["key"] == .int(1))
    }

    @Test func nulInsideEscapeIsKept() throws {
        let m = try parser.parse(#"{"a":"x\u0000y"}"#)
        #expect(m["a"]?.stringValue?.bytes == [0x78, 0, 0x79])
    }

    @Test(arguments: [#"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":"\u12G4"}"#, "{\"a\":\"tab\there\"}", "{\"a\":\"nl\nhere\"}"])
    func invalidStrings(_ text: String) {
        #expect(throws: JSONParseError.self) { try parser.parse(text) }
    }

    @Test func invalidUTF8IsReplaced() throws {
        // "a" 0xFF "b", an overlong "/" (C0 AF), a truncated 3-byte sequence, a surrogate (ED A0 80), and valid "é".
        let bytes: [UInt8] = Array(#"{"k":"a"#.utf8) + [0xFF] + Array("b".utf8) + [0xC0, 0xAF] + [0xE4, 0xB8] + [0xED, 0xA0, 0x80]
            + [0xC3, 0xA9] + Array(#"\n"}"#.utf8)
        let m = try bytes.withUnsafeBytes { try parser.parse($0) }
        let expected = "a\u{FFFD}b\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}é\n"
        #expect(m["k"] == s(expected))
        // The key may hold invalid UTF-8 too.
        let keyBytes: [UInt8] = [0x7B, 0x22, 0x80, 0x22, 0x3A, 0x31, 0x7D]
        let k = try keyBytes.withUnsafeBytes { try parser.parse($0) }
        #expect(k.keys == ["\u{FFFD}"])
    }

    @Test func validMultibyteStaysAView() throws {
        let m = try parser.parse(#"{"k":"日本語 ✓ 𝄞"}"#)
        #expect(m["k"] == s("日本語 ✓ 𝄞"))
    }

    @Test func duplicateKeysKeepLastValueAtFirstPosition() throws {
        let m = try parser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(m.keys == ["a", "b"])
        #expect(m["a"] == .int(3))
        // Same length, first and last byte, yet different keys; then a real repeat among them.
        let alike = try parser.parse(#"{"xay":1,"xby":2,"xcy":3,"xby":4}"#)
        #expect(alike.keys == ["xay", "xby", "xcy"])
        #expect(alike["xby"] == .int(4))
        // Many keys take the dictionary path.
        var text = "{"
        for i in 0..<40 { text += "\"k\(i % 20)\":\(i)," }
        text += "\"end\":0}"
        let big = try parser.parse(text)
        #expect(big.count == 21)
        #expect(big["k0"] == .int(20))
        #expect(big["k19"] == .int(39))
    }

    @Test(arguments: ["", "   ", "[]", "[1]", "\"s\"", "1", "null", "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{a:1}", "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":[1,]}", "{\"a\":[1 2]}"])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try parser.parse(text) }
    }

    @Test func everyTruncationOfAValidLineFails() {
        let line = #"{"timestamp":"2024-05-01T12:34:56Z","level":"INFO","msg":"a \"quoted\" \u00e9 word","n":-12.5e3,"ok":true,"x":null,"nested":{"arr":[1,{"b":[]}]}}"#
        let bytes = Array(line.utf8)
        #expect((try? bytes.withUnsafeBytes { try parser.parse($0) }) != nil)
        for n in 0..<bytes.count {
            let prefix = Array(bytes[..<n])
            #expect(throws: JSONParseError.self) { try prefix.withUnsafeBytes { try parser.parse($0) } }
        }
    }

    @Test func nestingIsBounded() throws {
        let ok = String(repeating: "{\"a\":", count: 63) + "1" + String(repeating: "}", count: 63)
        #expect(throws: Never.self) { try parser.parse("{\"x\":" + ok + "}") }
        let deep = String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        #expect(throws: JSONParseError.self) { try parser.parse(deep) }
        let arrays = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: JSONParseError.self) { try parser.parse(arrays) }
        #expect(throws: JSONParseError.self) { try JSONObjectParser(maxDepth: 2).parse(#"{"a":{"b":{}}}"#) }
        #expect(try JSONObjectParser(maxDepth: 2).parse(#"{"a":{"b":1}}"#).count == 1)
    }

    @Test func hugeInputs() throws {
        let longString = String(repeating: "x", count: 1 << 20)
        #expect(try parser.parse("{\"a\":\"\(longString)\"}")["a"]?.stringValue?.count == 1 << 20)
        let longNumber = String(repeating: "9", count: 100_000)
        #expect(try parser.parse("{\"a\":\(longNumber)}")["a"] == s(longNumber))
        let longExponent = "1e" + String(repeating: "9", count: 1000)
        #expect(try parser.parse("{\"a\":\(longExponent)}")["a"] == s(longExponent))
        #expect(try parser.parse("{\"a\":1e-99999999999}")["a"] == .double(0))
        var many = "{\"a\":["
        for i in 0..<10_000 { many += "\(i)," }
        many += "0]}"
        if case .array(let a)? = try parser.parse(many)["a"] { #expect(a.count == 10_001) } else { Issue.record("not an array") }
    }

    @Test func randomGarbageNeverCrashes() {
        var rng = TestRandom(seed: 0x5EED)
        let alphabet = Array(#"{}[]":,\ntrufalsn0123456789-+.eEu\/ "#.utf8) + [0x00, 0x80, 0xC3, 0xFF, 0xED, 0xF4]
        var parsed = 0
        for round in 0..<20_000 {
            let n = rng.int(64)
            var bytes: [UInt8] = round % 2 == 0 ? [UInt8(ascii: "{")] : []
            for _ in 0..<n { bytes.append(round % 3 == 0 ? rng.byte() : alphabet[rng.int(alphabet.count)]) }
            if (try? bytes.withUnsafeBytes({ try parser.parse($0) })) != nil { parsed += 1 }
        }
        #expect(parsed < 20_000)
    }

    @Test func mutatedValidLinesNeverCrash() {
        var rng = TestRandom(seed: 42)
        let line = Array(#"{"a":"b\u00e9\n","c":[1,2.5,{"d":null}],"e":true}"#.utf8)
        for _ in 0..<20_000 {
            var bytes = line
            for _ in 0..<1 + rng.int(3) {
                let i = rng.int(bytes.count)
                switch rng.int(3) {
                case 0: bytes[i] = rng.byte()
                case 1: bytes.remove(at: i)
                default: bytes.insert(rng.byte(), at: i)
                }
            }
            _ = try? bytes.withUnsafeBytes { try parser.parse($0) }
        }
    }

    @Test func valuesShareOneStorage() throws {
        let m = try parser.parse(#"{"a":"x","b":"y\n"}"#)
        // Views into one storage compare by content like any other ByteString.
        #expect(m["a"] == s("x"))
        #expect(m["b"] == s("y\n"))
    }

    @Test func errorsCarryAnOffset() {
        do {
            _ = try parser.parse(#"{"a":1,"b":x}"#)
            Issue.record("no error")
        } catch {
            #expect(error.offset == 11)
            #expect(error.description.contains("byte 11"))
        }
    }
}
