/// Remembers, per label position, the last label name and value bytes seen and their strings.
///
/// Consecutive samples usually repeat the label names and most values of the previous sample at
/// the same positions (all buckets of one histogram series, for example), so a byte comparison
/// against the previous occurrence replaces hashing and validation. Positions refer to ranges of
/// the input, which stays unchanged for the whole parse.
struct TokenCache: ~Copyable {
    static let positions = 16

    struct Entry {
        var start = 0
        /// -1 while the entry is empty.
        var count = -1
        var string = ""
    }

    private let entries: UnsafeMutablePointer<Entry>

    init() {
        entries = .allocate(capacity: Self.positions * 2)
        entries.initialize(repeating: Entry(), count: Self.positions * 2)
    }

    deinit {
        entries.deinitialize(count: Self.positions * 2)
        entries.deallocate()
    }

    /// The cached label name at `position`.
    @inline(__always)
    func name(at position: Int) -> UnsafeMutablePointer<Entry> {
        entries + position * 2
    }

    /// The cached label value at `position`.
    @inline(__always)
    func value(at position: Int) -> UnsafeMutablePointer<Entry> {
        entries + position * 2 + 1
    }
}
