import OTelModel

extension FieldPath {
    /// The value at this path, or nil when some key on the way is missing or is not a map.
    ///
    /// A root gives the whole body, or the attributes or resource attributes as a `.kvlist`. An
    /// unset body is missing.
    /// (Inlined so that a caller holding the entry `inout` copies only the part read, not the
    /// whole record.)
    @inline(__always)
    public func get(record: LogRecord, resource: Attributes) -> AnyValue? {
        switch root {
        case .body: Self.get(keys, inBody: record.body)
        case .attributes: Self.get(keys, in: record.attributes)
        case .resource: Self.get(keys, in: resource)
        }
    }

    private static func get(_ keys: [ByteString], inBody body: AnyValue) -> AnyValue? {
        if keys.isEmpty {
            if case .unset = body { return nil }
            return body
        }
        guard case .kvlist(let members) = body else { return nil }
        return lookup(members, keys[...])
    }

    private static func get(_ keys: [ByteString], in attributes: Attributes) -> AnyValue? {
        if keys.isEmpty { return .kvlist(attributes.list) }
        return lookup(attributes.list, keys[...])
    }

    static func lookup(_ members: [KeyValue], _ keys: ArraySlice<ByteString>) -> AnyValue? {
        guard let first = keys.first, let index = members.index(ofKey: first) else { return nil }
        // One key, the usual case, reads the member in place: no copy of the list or the keys.
        if keys.count == 1 { return members[index].value }
        guard case .kvlist(let inner) = members[index].value else { return nil }
        return lookup(inner, keys.dropFirst())
    }

    /// Sets the value at this path, creating maps on the way; a key on the way that holds
    /// something else than a map is replaced by one, and so is a body that is not a map.
    ///
    /// A map set where a map already is merges into it (new keys win), like the collector: that is
    /// how a parser's `parse_to: attributes` adds to the attributes. Throws for a non-map value at
    /// the `attributes` or `resource` root.
    public func set(_ value: AnyValue, record: inout LogRecord, resource: inout Attributes) throws(FieldPathError) {
        switch root {
        case .body:
            if keys.isEmpty {
                if case .kvlist(let new) = value, case .kvlist(var members) = record.body {
                    record.body = .unset
                    Self.merge(new, into: &members)
                    record.body = .kvlist(members)
                } else {
                    record.body = value
                }
                return
            }
            var members: [KeyValue] = []
            if case .kvlist(let existing) = record.body { members = existing }
            record.body = .unset
            Self.set(value, at: keys[...], in: &members)
            record.body = .kvlist(members)
        case .attributes:
            try set(value, in: &record.attributes)
        case .resource:
            try set(value, in: &resource)
        }
    }

    private func set(_ value: AnyValue, in attributes: inout Attributes) throws(FieldPathError) {
        var members = attributes.list
        attributes = Attributes()  // so that `members` is the only reference and changes in place
        defer { attributes = Attributes(members) }
        if keys.isEmpty {
            guard case .kvlist(let new) = value else {
                throw FieldPathError(path: description, reason: "only a map can be set at the \(root.rawValue) root")
            }
            Self.merge(new, into: &members)
        } else {
            Self.set(value, at: keys[...], in: &members)
        }
    }

    static func set(_ value: AnyValue, at keys: ArraySlice<ByteString>, in members: inout [KeyValue]) {
        let key = keys[keys.startIndex]
        let rest = keys.dropFirst()
        let index = members.index(ofKey: key)
        if rest.isEmpty {
            guard let index else {
                members.append(KeyValue(key: key, value: value))
                return
            }
            if case .kvlist(let new) = value, case .kvlist(var old) = members[index].value {
                members[index].value = .unset
                merge(new, into: &old)
                members[index].value = .kvlist(old)
            } else {
                members[index].value = value
            }
            return
        }
        var inner: [KeyValue] = []
        if let index {
            if case .kvlist(let existing) = members[index].value { inner = existing }
            members[index].value = .unset
            set(value, at: rest, in: &inner)
            members[index].value = .kvlist(inner)
        } else {
            set(value, at: rest, in: &inner)
            members.append(KeyValue(key: key, value: .kvlist(inner)))
        }
    }

    /// Adds `new` to `members`; a key present in both takes the new value in its old position.
    static func merge(_ new: [KeyValue], into members: inout [KeyValue]) {
        if members.isEmpty {
            members = new
            return
        }
        members.reserveCapacity(members.count + new.count)
        if members.count &* new.count <= 256 {
            for kv in new {
                if let i = members.index(ofKey: kv.key) {
                    members[i].value = kv.value
                } else {
                    members.append(kv)
                }
            }
            return
        }
        var index: [ByteString: Int] = [:]
        index.reserveCapacity(members.count)
        for (i, kv) in members.enumerated() where index[kv.key] == nil { index[kv.key] = i }
        for kv in new {
            if let i = index[kv.key] {
                members[i].value = kv.value
            } else {
                index[kv.key] = members.count
                members.append(kv)
            }
        }
    }

    /// Removes the value at this path and returns it (nil when there was none). A root clears the
    /// body, all attributes or all resource attributes.
    @discardableResult
    public func delete(record: inout LogRecord, resource: inout Attributes) -> AnyValue? {
        switch root {
        case .body:
            if keys.isEmpty {
                let old = record.body
                record.body = .unset
                if case .unset = old { return nil }
                return old
            }
            guard case .kvlist(var members) = record.body else { return nil }
            record.body = .unset
            defer { record.body = .kvlist(members) }
            return Self.delete(keys[...], in: &members)
        case .attributes:
            return delete(in: &record.attributes)
        case .resource:
            return delete(in: &resource)
        }
    }

    private func delete(in attributes: inout Attributes) -> AnyValue? {
        if keys.isEmpty {
            let old = attributes.list
            attributes = Attributes()
            return .kvlist(old)
        }
        var members = attributes.list
        attributes = Attributes()
        defer { attributes = Attributes(members) }
        return Self.delete(keys[...], in: &members)
    }

    static func delete(_ keys: ArraySlice<ByteString>, in members: inout [KeyValue]) -> AnyValue? {
        let key = keys[keys.startIndex]
        guard let index = members.index(ofKey: key) else { return nil }
        let rest = keys.dropFirst()
        if rest.isEmpty { return members.remove(at: index).value }
        guard case .kvlist(var inner) = members[index].value else { return nil }
        members[index].value = .unset
        defer { members[index].value = .kvlist(inner) }
        return delete(rest, in: &inner)
    }
}
