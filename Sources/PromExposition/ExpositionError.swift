/// Why an exposition was rejected. Any error rejects the whole exposition.
///
/// The scrape that produced the bytes should be marked failed (`up` = 0); retrying the same bytes
/// cannot succeed.
public struct ExpositionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The 1-based line number where the problem was found (one past the last line for a missing `# EOF`).
    public var line: Int
    /// A human-readable description of the problem.
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String {
        "line \(line): \(message)"
    }
}
