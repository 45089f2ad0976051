import DemoKit
import Foundation
import Hummingbird

// The order service: POST /orders {"user_id": 7, "items": [{"product_id": 3, "quantity": 2}]} reads
// the user, reserves each product and charges the payment, each call a child span of the order's.
// Business metrics: orders created, and orders failed by the step that failed.
let service = try DemoService(name: "order", defaultPort: 8080)
let environment = ProcessInfo.processInfo.environment
let users = Downstream(name: "user", baseURL: environment["USER_URL"] ?? "http://127.0.0.1:8081")
let products = Downstream(name: "product", baseURL: environment["PRODUCT_URL"] ?? "http://127.0.0.1:8082")
let payments = Downstream(name: "payment", baseURL: environment["PAYMENT_URL"] ?? "http://127.0.0.1:8084")
let router = service.makeRouter()
let created = service.counter("orders_created_total", help: "Orders placed.")
let failed = ["user", "product", "payment"].reduce(into: [String: BusinessCounter]()) {
    $0[$1] = service.counter("orders_failed_total", [("step", $1)], help: "Orders that failed, by the step that failed.")
}

router.post("/orders") { request, _ -> Response in
    let body = try await jsonBody(request)
    guard let userID = body["user_id"] as? Int, let items = body["items"] as? [[String: Any]], !items.isEmpty else {
        throw HTTPError(.badRequest, message: "expected user_id and a non-empty items list")
    }
    let orderID = UUID().uuidString.lowercased()
    var step = "user"
    do {
        _ = try await users.call(.GET, "/users/\(userID)")
        step = "product"
        var amount = 0.0
        for item in items {
            guard let product = item["product_id"] as? Int else { throw HTTPError(.badRequest, message: "items need a product_id") }
            let quantity = item["quantity"] as? Int ?? 1
            let reservation = try await products.call(.POST, "/products/\(product)/reserve", json: ["quantity": quantity])
            amount += (reservation["price"] as? Double ?? 0) * Double(quantity)
        }
        step = "payment"
        _ = try await payments.call(.POST, "/charge", json: ["order_id": orderID, "amount": amount])
        created.increment()
        service.logger.info("order created", metadata: ["order_id": "\(orderID)", "user_id": "\(userID)", "amount": "\(amount)"])
        return json(["order_id": orderID, "amount": amount], status: .created)
    } catch let failure as Downstream.Failure {
        failed[step]?.increment()
        service.logger.error("order failed", metadata: ["order_id": "\(orderID)", "step": "\(step)", "error": "\(failure)"])
        // A declined payment is the client's problem (402); anything else is ours (502).
        let status: HTTPResponse.Status = failure.status == 402 ? .init(code: 402) : .badGateway
        return json(["order_id": orderID, "error": "\(step) failed", "detail": failure.description], status: status)
    }
}

try await service.run(router)
