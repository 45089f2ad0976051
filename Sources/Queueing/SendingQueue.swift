import PipelineCore

/// How a sending queue takes data from a fan-out.
public enum QueueAdmission: Sendable {
    /// Room is reserved first and filled (or given back) once every queue of the pipeline has
    /// answered: a memory queue.
    case reserve
    /// The data is written when offered and cannot be taken back: a persistent queue. Offered after
    /// every `reserve` queue, so that a refusal there leaves nothing behind.
    case write
    /// No queue: the data is sent in the caller's task (`sending_queue.enabled: false`).
    case direct
}

/// The sending queue in front of one exporter for one signal, in memory (``ExporterQueue``) or on
/// disk (``PersistentQueue``): what a fan-out hands data to, and what a reload takes over.
public protocol SendingQueue<Data>: Component, HealthReporting {
    associatedtype Data: SignalData
    var id: ComponentID { get }
    var admission: QueueAdmission { get }
    /// When full: refuse the whole request (true), or drop this exporter's copy (false).
    var blocksOnOverflow: Bool { get }
    /// Takes `data` (`reserve`: keeps room; `write`: writes it); the error when it cannot now.
    /// A `write` queue counts its own refusals.
    func offer(_ data: Data) async -> ConsumerError?
    /// Fills the room `offer` kept (`reserve` queues).
    func commit(_ data: Data)
    /// Gives back the room `offer` kept (`reserve` queues).
    func withdraw(_ data: Data)
    /// Sends with retries in the caller's task (`direct` queues).
    func send(_ data: Data) async throws
    /// Gives up on this exporter's copy of `data` (its siblings took theirs); counted in the ledger.
    func drop(_ data: Data, reason: String)
    /// Counts `data` as refused because this queue was full (`reserve` queues).
    func countRefused(_ data: Data)
}

extension ExporterQueue: SendingQueue {
    public var admission: QueueAdmission { isQueued ? .reserve : .direct }

    public func offer(_ data: D) async -> ConsumerError? {
        reserve(data) ? nil : .refused("sending queue of exporter \(id) is full")
    }

    public func commit(_ data: D) { enqueue(data) }
    public func withdraw(_ data: D) { cancelReservation(data) }
}

extension PersistentQueue: SendingQueue {
    public var admission: QueueAdmission { .write }

    public func offer(_ data: D) async -> ConsumerError? {
        do {
            try await persist(data)
            return nil
        } catch let error as ConsumerError {
            return error
        } catch {
            return .refused("\(error)")
        }
    }

    public func commit(_ data: D) {}
    public func withdraw(_ data: D) {}
    public func send(_ data: D) async throws { try await persist(data) }
    /// `persist` counted it already.
    public func countRefused(_ data: D) {}
}
