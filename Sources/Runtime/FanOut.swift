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
    /// By how they take data (``QueueAdmission``): reserved, written, sent in the caller's task.
    let reserving: [any SendingQueue<D>]
    let writing: [any SendingQueue<D>]
    let direct: [any SendingQueue<D>]
    let others: [any Consumer<D>]

    public init(queues: [any SendingQueue<D>], others: [any Consumer<D>] = []) {
        reserving = queues.filter { $0.admission == .reserve }
        writing = queues.filter { $0.admission == .write }
        direct = queues.filter { $0.admission == .direct }
        self.others = others
    }

    public func consume(_ data: D) async throws {
        var firstError: (any Error)?
        if !reserving.isEmpty || !writing.isEmpty || !direct.isEmpty {
            try await admit(data)
            // Exporters without a queue send in this task; the caller hears of their failure.
            for q in direct {
                do { try await q.send(data) } catch { if firstError == nil { firstError = error } }
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
        var reserved: [any SendingQueue<D>] = []
        var full: [any SendingQueue<D>] = []
        for q in reserving {
            if await q.offer(data) == nil { reserved.append(q) } else { full.append(q) }
        }
        func refuse(_ reason: String) -> ConsumerError {
            for r in reserved { r.withdraw(data) }
            return ConsumerError.refused(reason)
        }
        if let blocking = full.first(where: { $0.blocksOnOverflow }) {
            for q in full { q.countRefused(data) }
            throw refuse("sending queue of exporter \(blocking.id) is full")
        }
        // Disk writes come before anything is enqueued in memory, so a refusal leaves no trace in memory.
        var written = 0
        var writingFull: [any SendingQueue<D>] = []
        for q in writing {
            if let error = await q.offer(data) {
                if q.blocksOnOverflow { throw refuse(error.message) }
                writingFull.append(q)
            } else {
                written += 1
            }
        }
        if reserved.isEmpty && written == 0 && direct.isEmpty {
            for q in full { q.countRefused(data) }
            throw refuse("every sending queue of this pipeline is full")
        }
        for q in reserved { q.commit(data) }
        for q in full + writingFull { q.drop(data, reason: "queue_full") }
    }
}
