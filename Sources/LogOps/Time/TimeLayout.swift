/// A compiled timestamp layout: a strptime format (`%Y-%m-%dT%H:%M:%S.%LZ`) or a Go reference-time
/// layout (`2006-01-02T15:04:05.999999999Z07:00`), turned into one list of fields and literals.
///
/// The strptime directives are those of the collector (its `ctimefmt` table), which are not all
/// C's: `%s` is nanoseconds, `%j` an offset `±HH:MM`, `%L`/`%f`/`%s` a fraction of any length.
/// Parsing follows Go's `time.Parse`: a run of spaces in the layout matches a run of spaces,
/// month and weekday names ignore case, a fraction may follow the seconds even when the layout has
/// none, and `.999…` fractions are optional. (stanza `docs/types/timestamp.md`)
public struct TimeLayout: Sendable, Equatable {
    /// How a two-digit number is written.
    enum Width: Sendable, Equatable {
        /// Exactly two digits (`01`).
        case two
        /// One or two digits (`1`).
        case oneOrTwo
        /// An optional leading space, then one or two digits (`_2`).
        case spacePadded
    }

    /// A layout element while compiling; literals are then moved into ``literalBytes`` so that
    /// ``Item`` holds no references and walking the items costs no reference counting.
    enum Token: Sendable, Equatable {
        case literal([UInt8])
        case field(Item)
    }

    enum Item: Sendable, Equatable {
        /// Bytes `start..<start+count` of ``literalBytes``.
        case literal(start: Int, count: Int)
        case year4
        case year2
        case month(Width)
        case monthName(full: Bool)
        case day(Width)
        /// Day of the year, three digits (`002`) or space padded (`__2`).
        case yearDay(spacePadded: Bool)
        case weekdayName(full: Bool)
        case hour24(Width)
        case hour12(Width)
        case minute(Width)
        case second(Width)
        case amPM
        /// Fractional seconds. `digits` nil: any number of digits, and when `separator` is set the
        /// whole fraction is optional (Go `.999`); otherwise exactly that many (Go `.000`).
        case fraction(separator: Bool, digits: Int?)
        /// A zone abbreviation such as `UTC`.
        case zoneName
        /// A UTC offset: `±hh`, `±hhmm`, `±hh:mm`, `±hhmmss`, `±hh:mm:ss`, or `Z`.
        case offset
    }

    let items: [Item]
    let literalBytes: [UInt8]
    /// The layout ends with a literal `Z`; without a `location`, times are then UTC (as in the
    /// collector).
    let endsWithZ: Bool
    /// The layout has a year; without one, the year is chosen near the current date.
    let hasYear: Bool
    public let source: String

    init(items tokens: [Token], source: String) {
        var merged: [Token] = []
        for token in tokens {
            if case .literal(let b) = token, case .literal(let a)? = merged.last {
                merged[merged.count - 1] = .literal(a + b)
            } else {
                merged.append(token)
            }
        }
        var bytes: [UInt8] = []
        items = merged.map { token in
            switch token {
            case .field(let item): return item
            case .literal(let l):
                defer { bytes += l }
                return .literal(start: bytes.count, count: l.count)
            }
        }
        literalBytes = bytes
        self.source = source
        endsWithZ = source.hasSuffix("Z")
        hasYear = items.contains { $0 == .year4 || $0 == .year2 }
    }

    // MARK: strptime

    /// Compiles a strptime layout; throws for an unknown directive.
    public init(strptime layout: String) throws(TimeLayoutError) {
        let bytes = Array(layout.utf8)
        var items: [Token] = []
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            guard c == UInt8(ascii: "%") else {
                items.append(.literal([c]))
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { throw TimeLayoutError(layout: layout, reason: "layout ends with '%'") }
            let d = bytes[i + 1]
            i += 2
            switch d {
            case UInt8(ascii: "Y"): items.append(.field(.year4))
            case UInt8(ascii: "y"): items.append(.field(.year2))
            case UInt8(ascii: "m"): items.append(.field(.month(.two)))
            case UInt8(ascii: "o"): items.append(.field(.month(.spacePadded)))
            case UInt8(ascii: "q"): items.append(.field(.month(.oneOrTwo)))
            case UInt8(ascii: "b"), UInt8(ascii: "h"): items.append(.field(.monthName(full: false)))
            case UInt8(ascii: "B"): items.append(.field(.monthName(full: true)))
            case UInt8(ascii: "d"): items.append(.field(.day(.two)))
            case UInt8(ascii: "e"): items.append(.field(.day(.spacePadded)))
            case UInt8(ascii: "g"): items.append(.field(.day(.oneOrTwo)))
            case UInt8(ascii: "a"): items.append(.field(.weekdayName(full: false)))
            case UInt8(ascii: "A"): items.append(.field(.weekdayName(full: true)))
            case UInt8(ascii: "H"): items.append(.field(.hour24(.oneOrTwo)))
            case UInt8(ascii: "I"): items.append(.field(.hour12(.two)))
            case UInt8(ascii: "l"): items.append(.field(.hour12(.oneOrTwo)))
            case UInt8(ascii: "p"), UInt8(ascii: "P"): items.append(.field(.amPM))
            case UInt8(ascii: "M"): items.append(.field(.minute(.two)))
            case UInt8(ascii: "S"): items.append(.field(.second(.two)))
            case UInt8(ascii: "L"), UInt8(ascii: "f"), UInt8(ascii: "s"):
                // A '.' or ',' just before belongs to the fraction, which makes it optional like Go's `.999`.
                if case .literal(let l)? = items.last, l == [UInt8(ascii: ".")] || l == [UInt8(ascii: ",")] {
                    items.removeLast()
                    items.append(.field(.fraction(separator: true, digits: nil)))
                } else {
                    items.append(.field(.fraction(separator: false, digits: nil)))
                }
            case UInt8(ascii: "Z"): items.append(.field(.zoneName))
            case UInt8(ascii: "z"), UInt8(ascii: "w"), UInt8(ascii: "i"), UInt8(ascii: "j"), UInt8(ascii: "k"):
                items.append(.field(.offset))
            case UInt8(ascii: "D"), UInt8(ascii: "x"):
                items += [.field(.month(.two)), .literal([UInt8(ascii: "/")]), .field(.day(.two)), .literal([UInt8(ascii: "/")]), .field(.year2)]
            case UInt8(ascii: "F"):
                items += [.field(.year4), .literal([UInt8(ascii: "-")]), .field(.month(.two)), .literal([UInt8(ascii: "-")]), .field(.day(.two))]
            case UInt8(ascii: "T"), UInt8(ascii: "X"):
                items += [.field(.hour24(.oneOrTwo)), .literal([UInt8(ascii: ":")]), .field(.minute(.two)), .literal([UInt8(ascii: ":")]), .field(.second(.two))]
            case UInt8(ascii: "r"):
                items += [.field(.hour12(.two)), .literal([UInt8(ascii: ":")]), .field(.minute(.two)), .literal([UInt8(ascii: ":")]), .field(.second(.two)), .literal([UInt8(ascii: " ")]), .field(.amPM)]
            case UInt8(ascii: "R"):
                items += [.field(.hour24(.oneOrTwo)), .literal([UInt8(ascii: ":")]), .field(.minute(.two))]
            case UInt8(ascii: "c"):
                items += [.field(.weekdayName(full: false)), .literal([UInt8(ascii: " ")]), .field(.monthName(full: false)), .literal([UInt8(ascii: " ")]), .field(.day(.two)), .literal([UInt8(ascii: " ")]), .field(.hour24(.oneOrTwo)), .literal([UInt8(ascii: ":")]), .field(.minute(.two)), .literal([UInt8(ascii: ":")]), .field(.second(.two)), .literal([UInt8(ascii: " ")]), .field(.year4)]
            case UInt8(ascii: "n"): items.append(.literal([0x0A]))
            case UInt8(ascii: "t"): items.append(.literal([0x09]))
            case UInt8(ascii: "%"): items.append(.literal([UInt8(ascii: "%")]))
            default:
                throw TimeLayoutError(layout: layout, reason: "unsupported directive %\(Character(Unicode.Scalar(d)))")
            }
        }
        self.init(items: items, source: layout)
    }

    // MARK: Go reference time

    /// Compiles a Go layout written with the reference time `Mon Jan 2 15:04:05 MST 2006`.
    public init(gotime layout: String) throws(TimeLayoutError) {
        let b = Array(layout.utf8)
        var items: [Token] = []
        var i = 0
        func at(_ s: String) -> Bool {
            let u = Array(s.utf8)
            return i + u.count <= b.count && Array(b[i..<i + u.count]) == u
        }
        while i < b.count {
            var matched: (Token, Int)?
            switch b[i] {
            case UInt8(ascii: "J"):
                if at("January") { matched = (.field(.monthName(full: true)), 7) } else if at("Jan") { matched = (.field(.monthName(full: false)), 3) }
            case UInt8(ascii: "M"):
                if at("Monday") {
                    matched = (.field(.weekdayName(full: true)), 6)
                } else if at("Mon") {
                    matched = (.field(.weekdayName(full: false)), 3)
                } else if at("MST") {
                    matched = (.field(.zoneName), 3)
                }
            case UInt8(ascii: "0"):
                if at("002") {
                    matched = (.field(.yearDay(spacePadded: false)), 3)
                } else if i + 1 < b.count {
                    switch b[i + 1] {
                    case UInt8(ascii: "1"): matched = (.field(.month(.two)), 2)
                    case UInt8(ascii: "2"): matched = (.field(.day(.two)), 2)
                    case UInt8(ascii: "3"): matched = (.field(.hour12(.two)), 2)
                    case UInt8(ascii: "4"): matched = (.field(.minute(.two)), 2)
                    case UInt8(ascii: "5"): matched = (.field(.second(.two)), 2)
                    case UInt8(ascii: "6"): matched = (.field(.year2), 2)
                    default: break
                    }
                }
            case UInt8(ascii: "1"):
                matched = at("15") ? (.field(.hour24(.oneOrTwo)), 2) : (.field(.month(.oneOrTwo)), 1)
            case UInt8(ascii: "2"):
                matched = at("2006") ? (.field(.year4), 4) : (.field(.day(.oneOrTwo)), 1)
            case UInt8(ascii: "_"):
                if at("_2006") {
                    matched = (.literal([UInt8(ascii: "_")]), 1)
                } else if at("__2") {
                    matched = (.field(.yearDay(spacePadded: true)), 3)
                } else if at("_2") {
                    matched = (.field(.day(.spacePadded)), 2)
                }
            case UInt8(ascii: "3"): matched = (.field(.hour12(.oneOrTwo)), 1)
            case UInt8(ascii: "4"): matched = (.field(.minute(.oneOrTwo)), 1)
            case UInt8(ascii: "5"): matched = (.field(.second(.oneOrTwo)), 1)
            case UInt8(ascii: "P"): if at("PM") { matched = (.field(.amPM), 2) }
            case UInt8(ascii: "p"): if at("pm") { matched = (.field(.amPM), 2) }
            case UInt8(ascii: "-"), UInt8(ascii: "Z"):
                for form in ["070000", "07:00:00", "0700", "07:00", "07"] {
                    let u = Array(form.utf8)
                    if i + 1 + u.count <= b.count && Array(b[i + 1..<i + 1 + u.count]) == u {
                        matched = (.field(.offset), 1 + u.count)
                        break
                    }
                }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                if i + 1 < b.count, b[i + 1] == UInt8(ascii: "0") || b[i + 1] == UInt8(ascii: "9") {
                    let digit = b[i + 1]
                    var j = i + 1
                    while j < b.count && b[j] == digit { j += 1 }
                    if j == b.count || !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[j]) {
                        matched = (.field(.fraction(separator: true, digits: digit == UInt8(ascii: "0") ? j - i - 1 : nil)), j - i)
                    }
                }
            default:
                break
            }
            if let (item, length) = matched {
                items.append(item)
                i += length
            } else {
                items.append(.literal([b[i]]))
                i += 1
            }
        }
        self.init(items: items, source: layout)
    }
}

/// A timestamp layout that cannot be compiled.
public struct TimeLayoutError: Error, Sendable, Equatable, CustomStringConvertible {
    public var layout: String
    public var reason: String

    public var description: String { "layout \"\(layout)\": \(reason)" }
}
