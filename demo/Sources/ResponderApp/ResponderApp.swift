import Foundation
import Hummingbird
import Logging
import ResponderCore

/// The responder's HTTP side: `POST /alerts` takes Alertmanager webhooks, `GET /metrics` serves
/// its counters, `GET /healthz` answers ok.
public enum ResponderApp {
    public static func router(_ responder: Responder, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/alerts") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 4 << 20)
            let payload: WebhookPayload
            do {
                payload = try JSONDecoder().decode(WebhookPayload.self, from: Data(buffer: body))
            } catch {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "not an Alertmanager webhook: \(error)\n")))
            }
            let decisions = await responder.handle(payload)
            for d in decisions {
                logger.info("alert \(d.alertname) (\(d.status)): \(d.outcome.rawValue)", metadata: [
                    "rule": "\(d.rule ?? "-")", "action": "\(d.action ?? "-")", "detail": "\(d.detail ?? "")",
                ])
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\(decisions.count) alert(s) handled\n")))
        }
        router.get("/metrics") { _, _ -> Response in
            let text = await responder.metricsText()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/healthz") { _, _ in "ok\n" }
        return router
    }
}
