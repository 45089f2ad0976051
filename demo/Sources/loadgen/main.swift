import AsyncHTTPClient
import Foundation
import NIOCore

// Places orders at a steady rate: TARGET (default http://127.0.0.1:8080), RATE orders per second
// (default 5), DURATION seconds (default 0: until stopped). Prints what came back every 10 seconds.
let environment = ProcessInfo.processInfo.environment
let target = environment["TARGET"] ?? "http://127.0.0.1:8080"
let rate = max(0.1, Double(environment["RATE"] ?? "") ?? 5)
let duration = Double(environment["DURATION"] ?? "") ?? 0
let clock = ContinuousClock()
let start = clock.now
var answers: [UInt: Int] = [:]
var last = clock.now
var n = 0
while duration == 0 || start.duration(to: clock.now) < .seconds(duration) {
    n += 1
    let order: [String: Any] = [
        "user_id": Int.random(in: 1...1000),
        "items": (0..<Int.random(in: 1...3)).map { _ in ["product_id": Int.random(in: 1...50), "quantity": Int.random(in: 1...3)] },
    ]
    var request = HTTPClientRequest(url: target + "/orders")
    request.method = .POST
    request.headers.add(name: "content-type", value: "application/json")
    request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: order)))
    let status: UInt
    do {
        status = try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code
    } catch {
        status = 0
    }
    answers[status, default: 0] += 1
    if last.duration(to: clock.now) >= .seconds(10) {
        print("loadgen: \(n) orders; answers \(answers.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "error" : String($0.key)): \($0.value)" }.joined(separator: ", "))")
        last = clock.now
    }
    try await clock.sleep(until: start.advanced(by: .seconds(Double(n) / rate)))
}
