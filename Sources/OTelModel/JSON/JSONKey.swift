/// An object key of the JSON being decoded: a view of its (unescaped) bytes, valid only inside the
/// `readObject` callback that received it, and only until that callback reads the member's value
/// (an escaped key's bytes are replaced by the next escaped key).
///
/// Keys match `case "lowerCamelCase":` patterns; the snake_case spelling of the same proto field
/// (`time_unix_nano` for `"timeUnixNano"`) matches too, without allocating.
struct JSONKey {
    let base: UnsafePointer<UInt8>
    let count: Int

    /// True when the key is `camel`, or `camel` with every capital `X` written as `_x`.
    @inline(__always) static func ~= (camel: StaticString, key: JSONKey) -> Bool {
        let n = camel.utf8CodeUnitCount
        if key.count == n { return key.equals(camel.utf8Start, n) }
        return key.count > n && key.base[0] == camel.utf8Start[0] && key.matchesSnakeCase(camel.utf8Start, n)
    }

    private func equals(_ lit: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i < n {
            if base[i] != lit[i] { return false }
            i &+= 1
        }
        return true
    }

    private func matchesSnakeCase(_ lit: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0, j = 0
        while j < n {
            guard i < count else { return false }
            let b = base[i], c = lit[j]
            if b == c {
                i &+= 1
            } else if b == UInt8(ascii: "_"), c >= UInt8(ascii: "A"), c <= UInt8(ascii: "Z"),
                      i &+ 1 < count, base[i &+ 1] == c | 0x20 {
                i &+= 2
            } else {
                return false
            }
            j &+= 1
        }
        return i == count
    }
}
