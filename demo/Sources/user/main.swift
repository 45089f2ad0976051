import DemoKit
import Foundation
import Hummingbird
import Synchronization

// The user service: GET /users/{id} for ids 1...1000. Business metric: active users (distinct users
// looked up in the last five minutes).
let service = try DemoService(name: "user", defaultPort: 8081)
let router = service.makeRouter()
let activeUsers = service.gauge("active_users", help: "Distinct users looked up in the last 5 minutes.")
let lastSeen = Mutex<[Int: ContinuousClock.Instant]>([:])

router.get("/users/{id}") { _, context -> Response in
    let id = try context.parameters.require("id", as: Int.self)
    guard (1...1000).contains(id) else { throw HTTPError(.notFound, message: "no user \(id)") }
    let now = ContinuousClock.now
    let active = lastSeen.withLock { seen in
        seen[id] = now
        seen = seen.filter { $0.value.duration(to: now) < .seconds(300) }
        return seen.count
    }
    activeUsers.set(Double(active))
    service.logger.info("user looked up", metadata: ["user_id": "\(id)"])
    return json(["id": id, "name": "user-\(id)", "tier": id % 10 == 0 ? "gold" : "standard"])
}

try await service.run(router)
