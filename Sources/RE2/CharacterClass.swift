/// A bracketed or escaped character class, before case folding (the engine folds).
package struct CharacterClass: Sendable {
    package var negated = false
    /// Code point ranges, possibly overlapping.
    package var ranges: [ClosedRange<UInt32>] = []
    /// `\p{…}` / `\P{…}` groups and negated POSIX-style groups that are easier to keep symbolic.
    package var groups: [UnicodeGroup] = []

    /// Whether the class lists nothing (before negation).
    package var isEmpty: Bool { ranges.isEmpty && groups.isEmpty }
}

/// A Unicode group as Go names it in `\p{…}`.
package struct UnicodeGroup: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// `\p{Any}`: every code point.
        case any
        /// A general category (`L`, `Lu`, …); Go's `C` lacks `Cn`.
        case category(String)
        /// A script (`Greek`, `Latin`, …).
        case script(String)
    }

    package var kind: Kind
    package var negated: Bool
}

/// Sorted, merged code point ranges and their complement within 0...0x10FFFF.
package enum CodePointRanges {
    package static let maxCodePoint: UInt32 = 0x10FFFF

    package static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    package static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in normalized(ranges) {
            if range.lowerBound > next {
                result.append(next...(range.lowerBound - 1))
            }
            if range.upperBound >= maxCodePoint { return result }
            next = range.upperBound + 1
        }
        result.append(next...maxCodePoint)
        return result
    }
}
