import OTelModel
import PipelineCore

/// A list of ``AttributeAction``s applied in order to one set of attributes.
///
/// Attributes nobody changes stay as they arrived (still encoded, when they came in protobuf):
/// lookups read them in place and the list is only copied out at the first change.
struct AttributeActions: Sendable {
    let actions: [AttributeAction]
    /// Whether any action reads the request context.
    let readsContext: Bool

    init(_ actions: [AttributeAction]) {
        self.actions = actions
        readsContext = actions.contains { if case .context = $0.source { true } else { false } }
    }

    /// The value each `from_context` action takes from `context`, by action index; resolved once per payload.
    func resolve(_ context: RequestContext?) -> [AnyValue?] {
        guard readsContext else { return [] }
        return actions.map { action in
            guard case .context(let key) = action.source, let context else { return nil }
            let values: [String]
            switch key {
            case .clientAddress: values = context.clientAddress.map { [$0] } ?? []
            case .metadata(let name): values = context.metadata[name] ?? []
            }
            // Several values are joined with ';', as the Collector does.
            return values.isEmpty ? nil : .string(ByteString(values.joined(separator: ";")))
        }
    }

    /// Applies every action to `attributes`; returns whether anything changed.
    func apply(to attributes: inout Attributes, context: [AnyValue?]) -> Bool {
        var edit = AttributeEdit(attributes)
        for (index, action) in actions.enumerated() {
            apply(action, to: &edit, contextValue: index < context.count ? context[index] : nil)
        }
        guard let list = edit.list else { return false }
        attributes = Attributes(list)
        return true
    }

    private func apply(_ action: AttributeAction, to edit: inout AttributeEdit, contextValue: AnyValue?) {
        switch action.kind {
        case .delete:
            if let key = action.key { edit.removeAll { $0 == key } }
            if let pattern = action.pattern { edit.removeAll { pattern.matches($0) } }
        case .insert, .update, .upsert:
            guard let key = action.key, let value = sourceValue(action, edit, contextValue) ?? action.defaultValue else { return }
            let existing = edit.index(of: key)
            switch (action.kind, existing) {
            case (.insert, nil), (.upsert, nil): edit.append(KeyValue(key: key, value: value))
            case (.update, let i?), (.upsert, let i?): edit.setValue(value, at: i)
            default: break
            }
        case .hash:
            if let key = action.key {
                edit.updateAll(where: { $0 == key }) { Self.hash($0) }
            }
            if let pattern = action.pattern {
                edit.updateAll(where: { pattern.matches($0) }) { Self.hash($0) }
            }
        case .extract:
            guard let key = action.key, let pattern = action.pattern, let i = edit.index(of: key),
                  case .string(let text) = edit.value(at: i),
                  let captures = pattern.namedCaptures(in: text.string) else { return }
            for (group, value) in zip(pattern.names, captures) {
                if let j = edit.index(of: group.name) {
                    edit.setValue(.string(value), at: j)
                } else {
                    edit.append(KeyValue(key: group.name, value: .string(value)))
                }
            }
        case .convert:
            guard let key = action.key, let conversion = action.conversion, let i = edit.index(of: key),
                  let converted = Self.convert(edit.value(at: i), to: conversion) else { return }
            edit.setValue(converted, at: i)
        }
    }

    private func sourceValue(_ action: AttributeAction, _ edit: AttributeEdit, _ contextValue: AnyValue?) -> AnyValue? {
        switch action.source {
        case .value(let v): v
        case .attribute(let from): edit.index(of: from).map { edit.value(at: $0) }
        case .context: contextValue
        case nil: nil
        }
    }

    /// The `hash` action's result: SHA-1 hex of a string's bytes, of a boolean as one byte (1 or 0), of
    /// an integer or a double as 8 little-endian bytes (the double's IEEE 754 bits); an empty string
    /// stays empty and other kinds become "". (Collector: `attraction/hasher.go`)
    static func hash(_ value: AnyValue) -> AnyValue {
        switch value {
        case .string(let s) where s.isEmpty:
            return .string(.empty)
        case .string(let s):
            return .string(s.withUnsafeBytes { SHA1.hex($0) })
        case .bool(let b):
            return .string(withUnsafeBytes(of: UInt8(b ? 1 : 0)) { SHA1.hex($0) })
        case .int(let i):
            return .string(withUnsafeBytes(of: UInt64(bitPattern: i).littleEndian) { SHA1.hex($0) })
        case .double(let d):
            return .string(withUnsafeBytes(of: d.bitPattern.littleEndian) { SHA1.hex($0) })
        default:
            return .string(.empty)
        }
    }

    /// The `convert` action's result, or nil when the value stays as it is: to `int` from a double
    /// (truncated), a boolean (1, 0) or a decimal string; to `double` from an integer, a boolean or a
    /// number string; to `string` from anything (as the Collector prints it). A string that does not
    /// parse, and kinds that do not convert, are left alone. (Collector: `attraction/type_converter.go`)
    static func convert(_ value: AnyValue, to conversion: AttributeAction.Conversion) -> AnyValue? {
        switch (conversion, value) {
        case (.string, .string): return nil
        case (.string, _): return .string(ByteString(value.collectorString))
        case (.int, .double(let d)):
            // Go's int64(d) has no defined result for NaN or out-of-range values; those stay doubles.
            guard d.isFinite, d > -9.223_372_036_854_775_808e18, d < 9.223_372_036_854_775_808e18 else { return nil }
            return .int(Int64(d))
        case (.int, .bool(let b)): return .int(b ? 1 : 0)
        case (.int, .string(let s)): return Int64(s.string).map { .int($0) }
        case (.double, .int(let i)): return .double(Double(i))
        case (.double, .bool(let b)): return .double(b ? 1 : 0)
        case (.double, .string(let s)): return parseGoFloat(s.string).map { .double($0) }
        default: return nil
        }
    }

    /// Go's `strconv.ParseFloat(s, 64)` for the texts it accepts without error: decimal and exponent
    /// notation, `inf`/`infinity`/`nan` in any case; out-of-range values are errors there.
    private static func parseGoFloat(_ text: String) -> Double? {
        guard !text.isEmpty, let d = Double(text) else { return nil }
        if d.isInfinite {
            let body = text.lowercased().drop { $0 == "+" || $0 == "-" }
            return body == "inf" || body == "infinity" ? d : nil
        }
        return d
    }
}

/// Attributes being edited: read in place until the first change, then an array.
struct AttributeEdit {
    let original: Attributes
    /// The edited attributes, once something changed.
    var list: [KeyValue]?

    init(_ attributes: Attributes) { original = attributes }

    func index(of key: ByteString) -> Int? {
        if let list { return list.firstIndex { $0.key == key } }
        for (i, kv) in original.enumerated() where kv.key == key { return i }
        return nil
    }

    func value(at index: Int) -> AnyValue {
        if let list { return list[index].value }
        for (i, kv) in original.enumerated() where i == index { return kv.value }
        return .unset
    }

    private mutating func materialize() {
        if list == nil { list = original.list }
    }

    mutating func append(_ kv: KeyValue) {
        materialize()
        list!.append(kv)
    }

    mutating func setValue(_ value: AnyValue, at index: Int) {
        materialize()
        list![index].value = value
    }

    /// Removes the attributes whose key `matches`; copies nothing when none does.
    mutating func removeAll(where matches: (ByteString) -> Bool) {
        if list == nil {
            guard original.contains(where: { matches($0.key) }) else { return }
            materialize()
        }
        list!.removeAll { matches($0.key) }
    }

    /// Replaces the value of every attribute whose key `matches` with `transform(value)`.
    mutating func updateAll(where matches: (ByteString) -> Bool, _ transform: (AnyValue) -> AnyValue) {
        if list == nil {
            guard original.contains(where: { matches($0.key) }) else { return }
            materialize()
        }
        for i in list!.indices where matches(list![i].key) {
            list![i].value = transform(list![i].value)
        }
    }
}
