import Foundation
import NIOHTTP1

/// The `Retry-After` response header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
enum HTTPRetryAfter {
    static func parse(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        guard let value = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(value) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return .seconds(max(0, Int(date.timeIntervalSince(now).rounded(.up)))) }
        return nil
    }
}
