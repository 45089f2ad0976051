import OTelModel

/// Something that takes payloads of one signal: a processor, an exporter queue, a fan-out.
///
/// `consume` returns once the next stage has taken responsibility for the data (queued it, or
/// delivered it). It throws ``ConsumerError`` when the data was not taken.
public protocol Consumer<Data>: Sendable {
    associatedtype Data: SignalData
    func consume(_ data: Data) async throws
}

/// Why a stage did not take data, and what the sender should do about it.
public struct ConsumerError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Temporarily refused (a full queue, memory pressure): the sender should retry later.
        case refused
        /// Never going to be accepted (malformed, rejected by the backend): do not retry.
        case permanent
    }

    public var kind: Kind
    public var message: String
    /// A hint for the sender's retry delay.
    public var retryAfter: Duration?
    /// Why data that will never be taken is dropped, for the loss ledger (`permanent_error` when nil).
    public var dropReason: String?
    /// Why data was refused, for the receivers' refusal counters (`backpressure` when nil).
    public var refusalReason: String?

    public init(_ kind: Kind, _ message: String, retryAfter: Duration? = nil, dropReason: String? = nil, refusalReason: String? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
        self.dropReason = dropReason
        self.refusalReason = refusalReason
    }

    public static func refused(_ message: String, retryAfter: Duration? = .seconds(1), reason: String? = nil) -> ConsumerError {
        ConsumerError(.refused, message, retryAfter: retryAfter, refusalReason: reason)
    }

    public static func permanent(_ message: String, dropReason: String? = nil) -> ConsumerError {
        ConsumerError(.permanent, message, dropReason: dropReason)
    }

    public var isRetryable: Bool { kind == .refused }
    public var description: String { message }
}

/// A consumer that may have nowhere to send to right now (a receiver's door for a signal that no
/// pipeline takes from it): receivers answer as for a signal they do not serve.
public protocol ConnectionReporting {
    var isConnected: Bool { get }
}

/// A consumer made of a closure; handy for tests and glue.
public struct ClosureConsumer<Data: SignalData>: Consumer {
    let body: @Sendable (Data) async throws -> Void

    public init(_ body: @escaping @Sendable (Data) async throws -> Void) { self.body = body }

    public func consume(_ data: Data) async throws { try await body(data) }
}
