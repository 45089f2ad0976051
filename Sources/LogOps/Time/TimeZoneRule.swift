import Foundation

/// The zone of timestamps whose text has no offset: a fixed offset, or a named IANA zone (with
/// its daylight-saving rules, from the system's time zone database).
enum TimeZoneRule: Sendable, Equatable {
    /// Seconds east of UTC.
    case fixed(Int)
    case zone(TimeZone)

    static let utc = TimeZoneRule.fixed(0)

    /// `UTC`, `Local` (the agent's zone) or an IANA name such as `America/New_York`; nil when the
    /// system does not know the name.
    static func named(_ name: String) -> TimeZoneRule? {
        switch name {
        case "UTC", "GMT", "Etc/UTC", "Etc/GMT", "Z", "Zulu", "Universal": return .utc
        case "Local", "local": return rule(for: TimeZone.current)
        default:
            guard let tz = TimeZone(identifier: name) ?? TimeZone(abbreviation: name) else { return nil }
            return rule(for: tz)
        }
    }

    private static func rule(for tz: TimeZone) -> TimeZoneRule {
        if ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Etc/Universal", "Universal", "Zulu"].contains(tz.identifier) { return .utc }
        return .zone(tz)
    }

    /// The UTC seconds of a wall-clock time in this zone. In a daylight-saving gap or overlap the
    /// result is one of the two candidate instants.
    func utcSeconds(local: Int64) -> Int64 {
        switch self {
        case .fixed(let offset):
            return local - Int64(offset)
        case .zone(let tz):
            let first = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local))))
            let second = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - first))))
            return local - second
        }
    }
}
