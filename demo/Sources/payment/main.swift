import DemoKit
import Foundation
import Hummingbird

// The payment service: POST /charge {"order_id": "...", "amount": 12.5}. Amounts over 5000 are
// declined (402). Business metric: payments by result, from which the success rate follows.
let service = try DemoService(name: "payment", defaultPort: 8084)
let router = service.makeRouter()
let succeeded = service.counter("payments_total", [("result", "success")], help: "Payments by result.")
let declined = service.counter("payments_total", [("result", "declined")], help: "Payments by result.")

router.post("/charge") { request, _ -> Response in
    let body = try await jsonBody(request)
    guard let amount = (body["amount"] as? Double) ?? (body["amount"] as? Int).map(Double.init), amount > 0 else {
        throw HTTPError(.badRequest, message: "amount must be a positive number")
    }
    let order = body["order_id"] as? String ?? "?"
    guard amount <= 5000 else {
        declined.increment()
        service.logger.warning("payment declined", metadata: ["order_id": "\(order)", "amount": "\(amount)"])
        return json(["status": "declined"], status: .init(code: 402))
    }
    succeeded.increment()
    service.logger.info("payment charged", metadata: ["order_id": "\(order)", "amount": "\(amount)"])
    return json(["status": "charged", "payment_id": UUID().uuidString.lowercased()])
}

try await service.run(router)
