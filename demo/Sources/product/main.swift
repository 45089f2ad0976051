import DemoKit
import Foundation
import Hummingbird
import Synchronization

// The product service: GET /products/{id} (ids 1...50) and POST /products/{id}/reserve
// {"quantity": n}. Stock is restocked when it runs out. Business metric: units reserved.
let service = try DemoService(name: "product", defaultPort: 8082)
let router = service.makeRouter()
let reserved = service.counter("product_units_reserved_total", help: "Units reserved for orders.")
let stock = Mutex<[Int: Int]>(Dictionary(uniqueKeysWithValues: (1...50).map { ($0, 100) }))

func price(_ id: Int) -> Double { Double(5 + id * 3) }

router.get("/products/{id}") { _, context -> Response in
    let id = try context.parameters.require("id", as: Int.self)
    guard let left = stock.withLock({ $0[id] }) else { throw HTTPError(.notFound, message: "no product \(id)") }
    return json(["id": id, "price": price(id), "stock": left])
}

router.post("/products/{id}/reserve") { request, context -> Response in
    let id = try context.parameters.require("id", as: Int.self)
    let quantity = (try await jsonBody(request)["quantity"] as? Int) ?? 1
    guard quantity > 0 else { throw HTTPError(.badRequest, message: "quantity must be positive") }
    let left: Int? = stock.withLock { stock in
        guard var n = stock[id] else { return nil }
        if n < quantity { n += 100 }
        n -= quantity
        stock[id] = n
        return n
    }
    guard let left else { throw HTTPError(.notFound, message: "no product \(id)") }
    reserved.increment(by: quantity)
    service.logger.info("stock reserved", metadata: ["product_id": "\(id)", "quantity": "\(quantity)", "left": "\(left)"])
    return json(["id": id, "price": price(id), "reserved": quantity, "stock": left])
}

try await service.run(router)
