import OTelModel

/// How to parse a timestamp: the `timestamp` block of parsers and the fields of `time_parser`.
/// (stanza `docs/types/timestamp.md`)
public struct TimestampConfig: Sendable, Equatable {
    public enum LayoutType: String, Sendable, Hashable, CaseIterable {
        case strptime
        case gotime
        case epoch
    }

    /// The field holding the timestamp (required).
    public var parseFrom: String
    public var layoutType: LayoutType
    public var layout: String
    /// The zone of timestamps whose text has no offset: an IANA name, `UTC` or `Local`. Without
    /// one, a layout ending in `Z` means UTC and any other the agent's local zone, as in the
    /// collector.
    public var location: String?

    public init(parseFrom: String, layoutType: LayoutType = .strptime, layout: String, location: String? = nil) {
        self.parseFrom = parseFrom
        self.layoutType = layoutType
        self.layout = layout
        self.location = location
    }

    func build(for operatorType: String, now: @escaping @Sendable () -> Int64 = TimestampStep.systemNow) throws(OperatorConfigError) -> TimestampStep {
        func fail(_ reason: String) -> OperatorConfigError { OperatorConfigError(operatorType: operatorType, reason: reason) }
        let field: FieldPath
        do { field = try FieldPath(parsing: parseFrom) } catch { throw fail("timestamp parse_from: \(error)") }
        guard !layout.isEmpty else { throw fail("missing required `layout`") }
        let kind: TimestampStep.Kind
        do {
            switch layoutType {
            case .epoch:
                guard let e = EpochLayout(rawValue: layout) else {
                    throw fail("invalid epoch layout \"\(layout)\": use s, ms, us, ns, s.ms, s.us or s.ns")
                }
                kind = .epoch(e)
            case .strptime, .gotime:
                let compiled = layoutType == .strptime ? try TimeLayout(strptime: layout) : try TimeLayout(gotime: layout)
                let zone: TimeZoneRule
                if let location {
                    guard let z = TimeZoneRule.named(location) else { throw fail("unknown location \"\(location)\"") }
                    zone = z
                } else {
                    zone = compiled.endsWithZ ? .utc : TimeZoneRule.named("Local") ?? .utc
                }
                kind = .layout(compiled, zone)
            }
        } catch let error as TimeLayoutError {
            throw fail(error.description)
        } catch let error as OperatorConfigError {
            throw error
        } catch {
            throw fail("\(error)")
        }
        return TimestampStep(parseFrom: field, kind: kind, now: now)
    }
}
