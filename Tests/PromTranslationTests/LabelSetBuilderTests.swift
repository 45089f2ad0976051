import Testing

@testable import PromTranslation

@Suite struct LabelSetBuilderTests {
    private func labels(_ pairs: [(String, String)]) -> [PromLabel] {
        pairs.map { PromLabel(name: $0.0, value: $0.1) }
    }

    @Test func sanitisesAndSorts() {
        var builder = LabelSetBuilder()
        builder.addAttribute("http.method", value: "GET")
        builder.addAttribute("server.port", value: "8080")
        builder.addAttribute("Zone", value: "eu")
        builder.setReserved("__name__", "http_requests_total")
        builder.setReserved("job", "shop/cart")
        builder.setReserved("instance", "cart-1")
        #expect(
            builder.build()
                == labels([
                    ("Zone", "eu"), ("__name__", "http_requests_total"), ("http_method", "GET"),
                    ("instance", "cart-1"), ("job", "shop/cart"), ("server_port", "8080"),
                ]))
    }

    @Test(arguments: [
        // a.b and a_b collide: values in lexicographic order of the original keys, whatever the insertion order
        ([("a_b", "2"), ("a.b", "1")], [("a_b", "1;2")]),
        ([("a.b", "1"), ("a_b", "2")], [("a_b", "1;2")]),
        // "-" < "." < "_" byte-wise
        ([("a_b", "3"), ("a-b", "1"), ("a.b", "2")], [("a_b", "1;2;3")]),
        // collisions of digit-led and underscore-led keys after prefixing
        ([("_x", "1"), ("__x", "2"), (".x", "3")], [("key_x", "3;2;1")]),
        // byte order, not Swift's canonical order: "aé" (C3 A9) before "aÅ" via the Ångström sign (E2 84 AB)
        ([("a\u{212B}", "2"), ("aé", "1")], [("a_", "1;2")]),
        // canonically equivalent keys stay distinct
        ([("ké", "1"), ("ke\u{301}", "2")], [("k_", "1"), ("ke_", "2")]),
        // a key repeated byte for byte keeps its first value
        ([("a", "1"), ("a", "2"), ("a.", "x")], [("a", "1"), ("a_", "x")]),
        // empty values: dropped alone, kept inside a join as given
        ([("empty", ""), ("a.b", ""), ("a_b", "x")], [("a_b", ";x")]),
        // empty key
        ([("", "v"), ("k", "v")], [("k", "v")]),
    ] as [([(String, String)], [(String, String)])])
    func collisions(_ attributes: [(String, String)], _ expected: [(String, String)]) {
        var builder = LabelSetBuilder()
        for (key, value) in attributes {
            builder.addAttribute(key, value: value)
        }
        #expect(builder.build() == labels(expected))
    }

    @Test func reservedLabelsWin() {
        var builder = LabelSetBuilder()
        builder.addAttribute("job", value: "from-attribute")
        builder.addAttribute("le", value: "attr")
        builder.addAttribute("quantile", value: "attr")
        builder.addAttribute("otel.scope.name", value: "attr")
        builder.addAttribute("instance", value: "attr")
        builder.setReserved("job", "first")
        builder.setReserved("job", "svc")
        builder.setReserved("le", "+Inf")
        builder.setReserved("otel_scope_name", "io.opentelemetry.http")
        #expect(
            builder.build()
                == labels([
                    ("instance", "attr"), ("job", "svc"), ("le", "+Inf"),
                    ("otel_scope_name", "io.opentelemetry.http"), ("quantile", "attr"),
                ]))
    }

    @Test func emptyReservedValueRemovesTheLabel() {
        var builder = LabelSetBuilder()
        builder.addAttribute("instance", value: "attr")
        builder.setReserved("instance", "")
        builder.setReserved("job", "svc")
        #expect(builder.build() == labels([("job", "svc")]))
    }

    @Test func reuseAfterRemoveAll() {
        var builder = LabelSetBuilder(minimumCapacity: 4)
        builder.addAttribute("a", value: "1")
        builder.setReserved("job", "x")
        _ = builder.build()
        builder.removeAll()
        builder.addAttribute("b", value: "2")
        #expect(builder.build() == labels([("b", "2")]))
    }

    @Test func emptyBuilder() {
        var builder = LabelSetBuilder()
        #expect(builder.build().isEmpty)
    }

    @Test func namesThroughACache() {
        let cache = NameCache()
        var builder = LabelSetBuilder()
        builder.addAttribute("http.route", value: "/a", names: cache)
        builder.addAttribute("http_route", value: "/b", names: cache)
        #expect(builder.build() == labels([("http_route", "/a;/b")]))
    }
}

@Suite struct LargeLabelSetTests {
    /// Enough attributes to take the library-sort path, with collisions spread through them.
    @Test func largeSetsSortAndJoinLikeSmallOnes() {
        var keys: [String] = []
        for index in 0..<60 {
            keys.append("attr.\(index % 40)")
            if index % 7 == 0 { keys.append("attr_\(index % 40)") }
        }
        var large = LabelSetBuilder()
        for (position, key) in keys.enumerated().reversed() {
            large.addAttribute(key, value: "\(position)")
        }
        let labels = large.build()
        #expect(labels.count == 40)
        #expect(labels.map(\.name) == labels.map(\.name).sorted { compareUTF8($0, $1) < 0 })
        // "attr.0" sits at positions 0 and 46, "attr_0" at 1. They collide; "." sorts before "_"; of the two
        // byte-identical "attr.0" keys the first added (46, as the loop runs backwards) keeps its value.
        #expect(labels.first { $0.name == "attr_0" }?.value == "46;1")
    }
}
