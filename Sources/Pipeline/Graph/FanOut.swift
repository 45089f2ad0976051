/// Hands each payload to every consumer of a pipeline or receiver.
///
/// Exporter queues are reserved all-or-nothing first: either every queue takes the data or none does,
/// so a refused request retried by the client is never delivered twice to the exporters that had room.
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
        if queues.isEmpty {
            for p in persistent { try p.persist(data) }
        } else {
            var reserved: [ExporterQueue<D>] = []
            for q in queues where q.isQueued {
                if q.reserve(data) {
                    reserved.append(q)
                } else {
                    for r in reserved { r.cancelReservation(data) }
                    q.countRefused(data)
                    throw ConsumerError.refused("sending queue of exporter \(q.id) is full")
                }
            }
            // Persistent queues write before anything is enqueued in memory, so a full disk refuses the
            // whole request rather than half of it.
            do {
                for p in persistent { try p.persist(data) }
            } catch {
                for r in reserved { r.cancelReservation(data) }
                throw error
            }
            for q in reserved { q.enqueue(data) }
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
}
