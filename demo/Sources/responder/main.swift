import Foundation
import Hummingbird
import Logging
import ResponderApp
import ResponderCore

// responder --config rules.yml [--dry-run] [--listen HOST:PORT] [--audit-log FILE]
// Receives Alertmanager webhooks and runs the remediation its rules give, within cooldowns and a
// maximum number of actions per window; every decision goes to the audit log (JSON lines).
var arguments = CommandLine.arguments.dropFirst()
var configPath: String?
var dryRun = false
var listen: String?
var auditLog: String?
while let a = arguments.popFirst() {
    switch a {
    case "--config": configPath = arguments.popFirst()
    case "--dry-run": dryRun = true
    case "--listen": listen = arguments.popFirst()
    case "--audit-log": auditLog = arguments.popFirst()
    default:
        FileHandle.standardError.write(Data("usage: responder --config FILE [--dry-run] [--listen HOST:PORT] [--audit-log FILE]\n".utf8))
        exit(2)
    }
}
guard let configPath, let text = try? String(contentsOfFile: configPath, encoding: .utf8) else {
    FileHandle.standardError.write(Data("responder: --config FILE is required and must be readable\n".utf8))
    exit(2)
}
var config: ResponderConfig
do {
    config = try ResponderConfig.parse(text)
} catch {
    FileHandle.standardError.write(Data("\(configPath): \(error)\n".utf8))
    exit(2)
}
if dryRun { config.dryRun = true }
if let listen { config.listen = listen }
if let auditLog { config.auditLog = auditLog }
let logger = Logger(label: "responder")
let responder = try Responder(config: config, runner: SystemActionRunner())
let parts = config.listen.split(separator: ":")
let host = parts.dropLast().joined(separator: ":")
let port = Int(parts.last ?? "") ?? 9095
let app = Application(router: ResponderApp.router(responder, logger: logger),
                      configuration: .init(address: .hostname(host.isEmpty ? "0.0.0.0" : host, port: port)),
                      logger: logger)
logger.info("responder listening", metadata: ["address": "\(config.listen)", "rules": "\(config.rules.count)", "dry_run": "\(config.dryRun)"])
try await app.runService()
