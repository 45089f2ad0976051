import PipelineCore
import Queueing

/// Hands each payload to every consumer of a pipeline or receiver.
///
/// Exporters are isolated from each other: a full queue never holds up its siblings. When some queues
/// are full and others have room, the others take the data and each full queue drops it, counted in
/// the loss ledger as `queue_full`. When every queue is full, or a full queue has
/// `block_on_overflow: true`, nothing is taken and the sender is refused (429 / `UNAVAILABLE`), so a
/// retry is never delivered twice to exporters that had room.
public struct FanOut<D: SignalData>: Consumer {
    public typealias Data = D
    let queues: [ExporterQueue<D>]
    let persistent: [PersistentQueue<D>]
    let others: [any Consumer<D>]

    public init(queues: [ExporterQueue<D>], persistent: [PersistentQueue<D>] = [], others: [any Consumer<D>] = []) {
        self.queues = queues
        self.persistent = persistent
        self.others = others
    }

    public func consume(_ data: D) async throws {
        var firstError: (any Error)?
        if !queues.isEmpty || !persistent.isEmpty {
            try await admit(data)
            // Exporters without a queue send in this task; the caller hears of their failure.
            for q in queues where !q.isQueued {
                do { try await q.sendNow(data) } catch { if firstError == nil { firstError = error } }
            }
        }
        // Pipelines sharing a receiver: every pipeline gets the data; the first error is reported.
        for c in others {
            do { try await c.consume(data) } catch { if firstError == nil { firstError = error } }
        }
        if let firstError { throw firstError }
    }

    /// Puts `data` into every queue that has room, or refuses it as a whole (see the type's comment).
    private func admit(_ data: D) async throws {
        var reserved: [ExporterQueue<D>] = []
        var full: [ExporterQueue<D>] = []
        for q in queues where q.isQueued {
            if q.reserve(data) { reserved.append(q) } else { full.append(q) }
        }
        func refuse(_ reason: String) -> ConsumerError {
            for r in reserved { r.cancelReservation(data) }
            return ConsumerError.refused(reason)
        }
        if let blocking = full.first(where: { $0.blocksOnOverflow }) {
            for q in full { q.countRefused(data) }
            throw refuse("sending queue of exporter \(blocking.id) is full")
        }
        // Disk writes come before anything is enqueued in memory, so a refusal leaves no trace in memory.
        var persisted = 0
        var persistentFull: [PersistentQueue<D>] = []
        for p in persistent {
            do {
                try await p.persist(data)
                persisted += 1
            } catch {
                if p.blocksOnOverflow { throw refuse("\(error)") }
                persistentFull.append(p)
            }
        }
        let unqueued = queues.count { !$0.isQueued }
        if reserved.isEmpty && persisted == 0 && unqueued == 0 {
            for q in full { q.countRefused(data) }
            throw refuse("every sending queue of this pipeline is full")
        }
        for q in reserved { q.enqueue(data) }
        for q in full { q.drop(data, reason: "queue_full") }
        for p in persistentFull { p.drop(data, reason: "queue_full") }
    }
}
