import Foundation

/// A JSON-lines log file like a service writes: time, level, message, trace and span ids, service,
/// route, duration; about 200 bytes a line.
enum LogFile {
    static func write(path: String, megabytes: Int) throws -> Int {
        guard let out = FileHandle(forWritingAtPath: path) ?? {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw CocoaError(.fileWriteUnknown) }
        defer { try? out.close() }
        try out.truncate(atOffset: 0)
        let levels = ["info", "info", "info", "debug", "warn", "error"]
        let routes = ["/api/orders", "/api/products/42", "/api/users/7", "/api/pay"]
        var buffer = ""
        var lines = 0
        var bytes = 0
        let target = megabytes << 20
        var rng = SystemRandomNumberGenerator()
        while bytes < target {
            let trace = String(format: "%016llx%016llx", rng.next() as UInt64, rng.next() as UInt64)
            let span = String(format: "%016llx", rng.next() as UInt64)
            let line = #"{"time":"2026-11-26T10:00:\#(String(format: "%02d", lines % 60)).\#(String(format: "%06d", lines % 1_000_000))Z","level":"\#(levels[lines % levels.count])","msg":"request served","trace_id":"\#(trace)","span_id":"\#(span)","service":"order","route":"\#(routes[lines % routes.count])","duration_ms":\#(lines % 977)}"# + "\n"
            buffer += line
            bytes += line.utf8.count
            lines += 1
            if buffer.utf8.count > 1 << 20 {
                out.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        out.write(Data(buffer.utf8))
        return lines
    }
}
