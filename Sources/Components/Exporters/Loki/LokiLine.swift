import OTelModel

/// Writes a record as a Loki line: `json` (an object with the body, severity, trace and span ids,
/// attributes, resource and scope), `logfmt` (`msg=... level=... trace_id=... key=value`), or `raw`
/// (the body alone). Trace and span ids use the names the OpenTelemetry specification gives them in
/// non-OTLP formats (`trace_id`, `span_id`), so one derived field in Grafana finds them in every format.
struct LokiLine {
    private var out: [UInt8] = []

    static func json(_ record: LogRecord, resource: [KeyValue], scope: InstrumentationScope?) -> String {
        var w = LokiLine()
        w.byte(0x7B)
        var first = true
        func key(_ k: String) {
            if !first { w.byte(0x2C) }
            first = false
            w.quoted(k)
            w.byte(0x3A)
        }
        key("body")
        w.value(record.body)
        if !record.severityText.isEmpty {
            key("severity")
            w.quoted(record.severityText.string)
        } else if record.severityNumber != .unspecified {
            key("severity")
            w.quoted(LokiTranslator.level(record.severityNumber))
        }
        if !record.traceID.isZero {
            key("trace_id")
            w.quoted(record.traceID.hex)
        }
        if !record.spanID.isZero {
            key("span_id")
            w.quoted(record.spanID.hex)
        }
        let attributes = record.attributes.filter { !isHint($0.key) }
        if !attributes.isEmpty {
            key("attributes")
            w.object(attributes)
        }
        let resourceAttributes = resource.filter { !isHint($0.key) }
        if !resourceAttributes.isEmpty {
            key("resources")
            w.object(resourceAttributes)
        }
        if let scope, !scope.name.isEmpty {
            key("instrumentation_scope")
            var fields = [KeyValue(key: "name", value: .string(scope.name))]
            if !scope.version.isEmpty { fields.append(KeyValue(key: "version", value: .string(scope.version))) }
            w.object(fields)
        }
        w.byte(0x7D)
        return w.string
    }

    static func logfmt(_ record: LogRecord) -> String {
        var w = LokiLine()
        w.pair("msg", text(record.body))
        if !record.severityText.isEmpty {
            w.pair("level", record.severityText.string)
        } else if record.severityNumber != .unspecified {
            w.pair("level", LokiTranslator.level(record.severityNumber))
        }
        if !record.traceID.isZero { w.pair("trace_id", record.traceID.hex) }
        if !record.spanID.isZero { w.pair("span_id", record.spanID.hex) }
        for kv in record.attributes where !isHint(kv.key) {
            w.pair(kv.key.string, text(kv.value))
        }
        return w.string
    }

    static func raw(_ record: LogRecord, traceIDInLine: Bool) -> String {
        var line = text(record.body)
        if traceIDInLine, !record.traceID.isZero { line += " trace_id=" + record.traceID.hex }
        return line
    }

    /// Whether an attribute is one of the exporter's hints (`loki.*`), which stay out of lines.
    static func isHint(_ key: ByteString) -> Bool {
        key.withUnsafeBytes { b in
            b.count >= 5 && b[0] == UInt8(ascii: "l") && b[1] == UInt8(ascii: "o") && b[2] == UInt8(ascii: "k")
                && b[3] == UInt8(ascii: "i") && b[4] == UInt8(ascii: ".")
        }
    }

    /// A value as text: strings as they are, anything else as JSON.
    static func text(_ v: AnyValue) -> String {
        if case .string(let s) = v { return s.string }
        if case .unset = v { return "" }
        var w = LokiLine()
        w.value(v)
        return w.string
    }

    // MARK: Writing

    private var string: String { String(decoding: out, as: UTF8.self) }

    private mutating func byte(_ b: UInt8) { out.append(b) }
    private mutating func raw(_ s: String) { out.append(contentsOf: s.utf8) }

    private mutating func pair(_ key: String, _ value: String) {
        if !out.isEmpty { byte(0x20) }
        for b in key.utf8 where b > 0x20 && b != UInt8(ascii: "=") && b != UInt8(ascii: "\"") { byte(b) }
        byte(UInt8(ascii: "="))
        let plain = !value.isEmpty && value.utf8.allSatisfy { $0 > 0x20 && $0 != UInt8(ascii: "=") && $0 != UInt8(ascii: "\"") && $0 != 0x7F }
        if plain { raw(value) } else { quoted(value) }
    }

    /// Attributes as a JSON object, as the Collector writes a map (keys sorted, the last of
    /// duplicates winning).
    private mutating func object(_ fields: [KeyValue]) {
        AnyValue.kvlist(fields).writeCollectorJSON(into: &out)
    }

    /// A value as the Collector's JSON encoder writes it (``AnyValue/writeCollectorJSON(into:)``); strings
    /// directly.
    private mutating func value(_ v: AnyValue) {
        if case .string(let s) = v {
            quoted(s)
        } else {
            v.writeCollectorJSON(into: &out)
        }
    }

    /// A JSON string (see ``JSONStringEncoding``).
    private mutating func quoted(_ s: String) {
        var s = s
        s.withUTF8 { JSONStringEncoding.append($0, to: &out) }
    }

    private mutating func quoted(_ s: ByteString) {
        s.withUnsafeBytes { JSONStringEncoding.append($0.bindMemory(to: UInt8.self), to: &out) }
    }
}
