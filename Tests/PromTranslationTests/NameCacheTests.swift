import Testing

@testable import PromTranslation

@Suite struct NameCacheTests {
    @Test func agreesWithTheUncachedRules() {
        let cache = NameCache()
        for _ in 0..<2 {
            for testCase in metricNameCases {
                #expect(
                    cache.metricName(testCase.name, unit: testCase.unit, kind: testCase.kind) == testCase.expected,
                    "\(testCase.testDescription)")
            }
        }
    }

    @Test func appliesItsSettings() {
        let plain = NameCache(addSuffixes: false)
        #expect(plain.metricName("http.server.duration", unit: "s", kind: .histogram) == "http_server_duration")
        let namespaced = NameCache(namespace: "otelsw")
        #expect(namespaced.metricName("requests", unit: "", kind: .counter) == "otelsw_requests_total")
        #expect(namespaced.metricName("requests_total", unit: "", kind: .counter) == "otelsw_requests_total")
        #expect(namespaced.metricName("requests_total", unit: "", kind: .counter) == "otelsw_requests_total")
    }

    @Test func keysCompareByBytes() {
        let cache = NameCache()
        #expect(cache.metricName("é.x", unit: "", kind: .gauge) == "x")
        #expect(cache.metricName("e\u{301}.x", unit: "", kind: .gauge) == "e_x")
        #expect(cache.metricName("é.x", unit: "", kind: .gauge) == "x")
        #expect(cache.labelName("é") == "key_")
        #expect(cache.labelName("e\u{301}") == "e_")
    }

    @Test func keysIncludeUnitAndKind() {
        let cache = NameCache()
        #expect(cache.metricName("a.b", unit: "s", kind: .gauge) == "a_b_seconds")
        #expect(cache.metricName("a.b", unit: "ms", kind: .gauge) == "a_b_milliseconds")
        #expect(cache.metricName("a.b", unit: "s", kind: .counter) == "a_b_seconds_total")
        #expect(cache.metricName("a.b", unit: "1", kind: .gauge) == "a_b_ratio")
        #expect(cache.metricName("a.b", unit: "1", kind: .histogram) == "a_b")
    }

    @Test func staysBounded() {
        let cache = NameCache(capacity: 8)
        for index in 0..<1000 {
            #expect(cache.metricName("m.\(index)", unit: "s", kind: .gauge) == "m_\(index)_seconds")
            #expect(cache.labelName("l.\(index)") == "l_\(index)")
            #expect(cache.count <= 16)
        }
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test func namesNeedingNoChangeAreNotStored() {
        let cache = NameCache()
        _ = cache.metricName("http_server_duration_seconds", unit: "s", kind: .histogram)
        _ = cache.labelName("http_method")
        #expect(cache.count == 0)
        _ = cache.metricName("http.server.duration", unit: "s", kind: .histogram)
        _ = cache.labelName("http.method")
        #expect(cache.count == 2)
    }

    @Test func recentlyUsedEntriesSurviveEviction() {
        var generations = GenerationalCache<String, Int>(capacity: 4)
        generations.insert(1, for: "a")
        generations.insert(2, for: "b")
        generations.insert(3, for: "c")  // "a", "b" become the previous generation
        #expect(generations.value(for: "a") == 1)  // promoted into the current generation with "c"
        generations.insert(4, for: "d")  // "c", "a" become previous; "b" is dropped
        #expect(generations.value(for: "b") == nil)
        #expect(generations.value(for: "a") == 1)
        #expect(generations.value(for: "c") == 3)
        #expect(generations.count <= 4)
    }
}
