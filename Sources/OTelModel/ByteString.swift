import Foundation

/// Immutable bytes shared by every ``ByteString`` that views into them.
///
/// A decoded request keeps one storage alive; strings, ids and byte values of the model point into it
/// instead of copying. The memory is written once in `init` and never mutated afterwards, which is what
/// makes sharing it across tasks safe.
public final class ByteStorage: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let count: Int

    /// Copies `bytes` into a new storage.
    public init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        let n = bytes.count
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1), alignment: 16)
        let done: Bool? = bytes.withContiguousStorageIfAvailable { src in
            if let a = src.baseAddress, n > 0 { p.copyMemory(from: a, byteCount: n) }
            return true
        }
        var i = 0
        if done == nil { for b in bytes {
            p.storeBytes(of: b, toByteOffset: i, as: UInt8.self)
            i += 1
        } }
        base = UnsafeRawPointer(p)
        count = n
    }

    /// Copies the bytes of a raw buffer into a new storage.
    public init(copying raw: UnsafeRawBufferPointer) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(raw.count, 1), alignment: 16)
        if let src = raw.baseAddress, raw.count > 0 { p.copyMemory(from: src, byteCount: raw.count) }
        base = UnsafeRawPointer(p)
        count = raw.count
    }

    /// Takes ownership of memory allocated with `UnsafeMutableRawPointer.allocate`.
    public init(adopting pointer: UnsafeMutableRawPointer, count: Int) {
        base = UnsafeRawPointer(pointer)
        self.count = count
    }

    deinit { UnsafeMutableRawPointer(mutating: base).deallocate() }

    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}

/// A slice of bytes: an OTLP `string` or `bytes` value.
///
/// Decoding makes these as views into the request's ``ByteStorage``: no copy, no allocation.
/// Compare and hash by content. `String(bytes)` or ``string`` gives a Swift string (invalid UTF-8 is
/// replaced by U+FFFD).
public struct ByteString: Sendable, Hashable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    @usableFromInline let storage: ByteStorage?
    @usableFromInline let offset: UInt32
    public let count: Int

    public static let empty = ByteString()

    @inlinable public init() {
        storage = nil
        offset = 0
        count = 0
    }

    /// A view of `count` bytes at `offset` in `storage`. The range must lie within the storage.
    @inlinable public init(storage: ByteStorage, offset: Int, count: Int) {
        if count == 0 {
            self.storage = nil
            self.offset = 0
        } else {
            self.storage = storage
            self.offset = UInt32(truncatingIfNeeded: offset)
        }
        self.count = count
    }

    public init(_ string: String) {
        var s = string
        let n = s.utf8.count
        if n == 0 {
            self.init()
            return
        }
        let storage = s.withUTF8 { ByteStorage(copying: UnsafeRawBufferPointer($0)) }
        self.init(storage: storage, offset: 0, count: n)
    }

    public init<C: Collection>(bytes: C) where C.Element == UInt8 {
        if bytes.isEmpty {
            self.init()
        } else {
            let storage = ByteStorage(copying: bytes)
            self.init(storage: storage, offset: 0, count: storage.count)
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    @inlinable public var isEmpty: Bool { count == 0 }

    /// The storage this string views and where in it, for code that makes more views into the
    /// same bytes; nil for an empty string.
    @inlinable public var backing: (storage: ByteStorage, offset: Int)? {
        guard let storage else { return nil }
        return (storage, Int(offset))
    }

    /// Calls `body` with the bytes. The pointer is valid only inside `body`.
    @inlinable public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let storage else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try withExtendedLifetime(storage) {
            try body(UnsafeRawBufferPointer(start: storage.base + Int(offset), count: count))
        }
    }

    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
    public var description: String { string }
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.count == 0 { return true }
        if lhs.storage === rhs.storage && lhs.offset == rhs.offset { return true }
        return lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in memcmp(l.baseAddress!, r.baseAddress!, l.count) == 0 } }
    }

    public static func < (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.withUnsafeBytes { l in
            rhs.withUnsafeBytes { r in
                let n = min(l.count, r.count)
                if n > 0 {
                    let c = memcmp(l.baseAddress!, r.baseAddress!, n)
                    if c != 0 { return c < 0 }
                }
                return l.count < r.count
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// True when the bytes equal the UTF-8 of `s`.
    public func equals(_ s: StaticString) -> Bool {
        guard s.utf8CodeUnitCount == count else { return false }
        if count == 0 { return true }
        return withUnsafeBytes { memcmp($0.baseAddress!, s.utf8Start, count) == 0 }
    }
}

extension String {
    public init(_ bytes: ByteString) { self = bytes.string }
}
