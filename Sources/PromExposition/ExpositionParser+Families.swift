/// Family bookkeeping: which family a sample or metadata line belongs to.
extension ExpositionParser {
    /// Returns the family of the sample named `bytes[nameStart..<nameEnd]` and the name's suffix.
    ///
    /// The hot path compares bytes against the current family's name; everything else goes
    /// through ``switchFamily(nameStart:nameEnd:)``.
    @inline(__always)
    mutating func resolveFamily(nameStart: Int, nameEnd: Int) throws(ExpositionError) -> (Int, SampleSuffix) {
        let nameCount = nameEnd - nameStart
        if current >= 0, nameCount >= currentNameCount,
            bytesEqual(bytes + nameStart, bytes + currentNameStart, count: currentNameCount)
        {
            let suffix: SampleSuffix? =
                nameCount == currentNameCount
                ? SampleSuffix.none
                : SampleSuffix.classify(bytes, from: nameStart + currentNameCount, to: nameEnd)
            if let suffix, currentAllowedSuffixes & suffix.bit != 0 {
                if !currentHasSamples {
                    try beginSamples()
                }
                return (current, suffix)
            }
        }
        return try switchFamily(nameStart: nameStart, nameEnd: nameEnd)
    }

    /// A sample that does not fit the current family: rejoin, start a new family, or fail.
    @inline(never)
    mutating func switchFamily(nameStart: Int, nameEnd: Int) throws(ExpositionError) -> (Int, SampleSuffix) {
        let name = interner.intern(bytes + nameStart, count: nameEnd - nameStart)
        if let existing = familyIndexByName[name] {
            let family = families[existing]
            if !openMetrics, family.type.allowedSuffixes(openMetrics: false) & SampleSuffix.none.bit != 0 {
                try makeCurrent(existing)
                return (existing, .none)
            }
            if existing == current || family.type.allowedSuffixes(openMetrics: openMetrics) & SampleSuffix.none.bit == 0
            {
                throw fail(
                    "sample name \(name.debugDescription) does not fit \(family.type.rawValue) family "
                        + "\(family.name.debugDescription); expected "
                        + family.type.expectedSampleNames(for: family.name, openMetrics: openMetrics)
                )
            }
            throw fail(interleavingMessage(sample: name, family: existing))
        }
        if let (owner, suffix) = owningFamily(ofSampleNamed: name) {
            if openMetrics {
                throw fail(interleavingMessage(sample: name, family: owner))
            }
            try makeCurrent(owner)
            return (owner, suffix)
        }
        startFamily(named: name, nameStart: nameStart, nameCount: nameEnd - nameStart)
        try beginSamples()
        return (current, .none)
    }

    private func interleavingMessage(sample name: String, family index: Int) -> String {
        "sample \(name.debugDescription) belongs to family \(families[index].name.debugDescription), "
            + "which ended earlier (a family's samples must be contiguous)"
    }

    /// The earlier family whose type accepts `name` as its name plus a suffix, if any.
    func owningFamily(ofSampleNamed name: String) -> (Int, SampleSuffix)? {
        for suffix in SampleSuffix.named {
            let suffixText = suffix.string
            guard name.utf8.count > suffixText.utf8.count, name.hasSuffix(suffixText) else { continue }
            let base = String(name.utf8.dropLast(suffixText.utf8.count))!
            if let index = familyIndexByName[base],
                families[index].type.allowedSuffixes(openMetrics: openMetrics) & suffix.bit != 0
            {
                return (index, suffix)
            }
        }
        return nil
    }

    /// Appends a family of type unknown and makes it current.
    mutating func startFamily(named name: String, nameStart: Int, nameCount: Int) {
        families.append(Family(name: name, type: .unknown))
        records.append(FamilyRecord(nameStart: nameStart, nameCount: nameCount))
        let index = families.count - 1
        familyIndexByName[name] = index
        current = index
        currentNameStart = nameStart
        currentNameCount = nameCount
        currentAllowedSuffixes = MetricType.unknown.allowedSuffixes(openMetrics: openMetrics)
        currentHasSamples = false
    }

    /// Makes an earlier family current again (Prometheus text only).
    private mutating func makeCurrent(_ index: Int) throws(ExpositionError) {
        current = index
        currentNameStart = records[index].nameStart
        currentNameCount = records[index].nameCount
        currentAllowedSuffixes = families[index].type.allowedSuffixes(openMetrics: openMetrics)
        currentHasSamples = records[index].hasSamples
        if !currentHasSamples {
            try beginSamples()
        }
    }

    /// Sets the type of the current family.
    mutating func setCurrentType(_ type: MetricType) {
        families[current].type = type
        currentAllowedSuffixes = type.allowedSuffixes(openMetrics: openMetrics)
    }

    /// Marks the current family as having samples; in OpenMetrics also checks for name clashes.
    @inline(never)
    mutating func beginSamples() throws(ExpositionError) {
        records[current].hasSamples = true
        currentHasSamples = true
        guard openMetrics else { return }
        let family = families[current]
        for suffix in SampleSuffix.named {
            let suffixText = suffix.string
            if family.name.utf8.count > suffixText.utf8.count, family.name.hasSuffix(suffixText) {
                let base = String(family.name.utf8.dropLast(suffixText.utf8.count))!
                if let other = familyIndexByName[base], other != current,
                    families[other].type.allowedSuffixes(openMetrics: true) & suffix.bit != 0
                {
                    throw fail(
                        "family \(family.name.debugDescription) clashes with the \(suffixText) samples of "
                            + "\(families[other].type.rawValue) family \(base.debugDescription)"
                    )
                }
            }
            if family.type.allowedSuffixes(openMetrics: true) & suffix.bit != 0,
                let other = familyIndexByName[family.name + suffixText], other != current
            {
                throw fail(
                    "\(family.type.rawValue) family \(family.name.debugDescription) has samples named "
                        + "\((family.name + suffixText).debugDescription), which clash with the family of that name"
                )
            }
        }
    }

    /// Returns the family a metadata line for `bytes[nameStart..<nameEnd]` applies to, creating it
    /// if needed, after checking that metadata of this kind is still allowed there.
    mutating func familyForMetadata(
        _ kind: MetadataKinds,
        nameStart: Int,
        nameEnd: Int
    ) throws(ExpositionError) -> Int {
        let nameCount = nameEnd - nameStart
        if current >= 0, nameCount == currentNameCount,
            bytesEqual(bytes + nameStart, bytes + currentNameStart, count: nameCount)
        {
            if records[current].metadata.contains(kind) {
                throw fail("duplicate \(kind.keyword) line for family \(families[current].name.debugDescription)")
            }
            if currentHasSamples {
                throw fail(
                    "\(kind.keyword) line for family \(families[current].name.debugDescription) after its samples "
                        + "(metadata must precede the samples)"
                )
            }
        } else {
            let name = interner.intern(bytes + nameStart, count: nameCount)
            if let existing = familyIndexByName[name] {
                if records[existing].metadata.contains(kind) {
                    throw fail("duplicate \(kind.keyword) line for family \(name.debugDescription)")
                }
                throw fail(
                    "\(kind.keyword) line for family \(name.debugDescription), which ended earlier "
                        + "(a family's metadata and samples must be contiguous, metadata first)"
                )
            }
            startFamily(named: name, nameStart: nameStart, nameCount: nameCount)
        }
        records[current].metadata.insert(kind)
        return current
    }
}
