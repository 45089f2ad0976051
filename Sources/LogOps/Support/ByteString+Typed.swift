#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import OTelModel

extension ByteString {
    /// `withUnsafeBytes` for closures with typed throws.
    @inline(__always)
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result = withUnsafeBytes { raw in Result { () throws(E) in try body(raw) } }
        return try result.get()
    }

    /// The bytes with ASCII letters lowercased.
    var asciiLowercased: ByteString {
        withUnsafeBytes { raw in
            guard raw.contains(where: { $0 &- UInt8(ascii: "A") < 26 }) else { return self }
            return ByteString(bytes: raw.map { $0 &- UInt8(ascii: "A") < 26 ? $0 | 0x20 : $0 })
        }
    }
}

/// A failed step of an operator (an embedded `timestamp`, `severity` or `trace` block, or the
/// operator's own work), before it is tagged with the operator's type and `on_error`.
struct StepError: Error, Sendable {
    var code: OperatorError.Code
    var message: String

    init(_ code: OperatorError.Code, _ message: String) {
        self.code = code
        self.message = message
    }

    func tagged(_ operatorType: String, _ onError: OnError) -> OperatorError {
        OperatorError(code, operatorType: operatorType, message: message, onError: onError)
    }
}

extension AnyValue {
    /// A short name of the value's type, for error messages.
    var typeName: String {
        switch self {
        case .unset, .empty: "empty"
        case .string: "string"
        case .bool: "bool"
        case .int: "int"
        case .double: "double"
        case .array: "array"
        case .kvlist: "map"
        case .bytes: "bytes"
        }
    }
}

extension Array where Element == KeyValue {
    /// The index of the first member named `key`. Compares lengths before bytes and reads the
    /// members in place, which keeps reference counting out of the loop.
    @inline(__always)
    func index(ofKey key: ByteString) -> Int? {
        let n = key.count
        return withUnsafeBufferPointer { buf in
            for i in 0..<buf.count where buf[i].key.count == n && buf[i].key.sameBytes(as: key) { return i }
            return nil
        }
    }
}

extension ByteString {
    /// Byte equality without calling the model's `==` (an opaque call that costs a retain and a
    /// release of each side).
    @inline(__always)
    func sameBytes(as other: ByteString) -> Bool {
        let n = count
        guard n == other.count else { return false }
        if n == 0 { return true }
        return withUnsafeBytes { a in other.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, n) == 0 } }
    }
}
