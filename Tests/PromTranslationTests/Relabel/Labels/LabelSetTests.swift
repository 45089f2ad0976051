@testable import PromTranslation
import Testing

@Suite struct LabelSetTests {
    @Test func sortedByBytesWithoutEmptyValues() {
        let set = LabelSet([("b", "2"), ("a", "1"), ("empty", ""), ("_", "u"), ("B", "3"), ("a", "last")])
        #expect(set.pairs.map(\.name) == ["B", "_", "a", "b"])
        #expect(set["a"] == "last")
        #expect(set["empty"] == nil)
        #expect(set.count == 4)
    }

    @Test func subscriptSetsAndRemoves() {
        var set: LabelSet = ["a": "1"]
        set["b"] = "2"
        set["a"] = ""
        set["c"] = "3"
        set["c"] = nil
        #expect(set == ["b": "2"])
    }

    @Test func equalityIsByteWise() {
        let composed: LabelSet = ["a": "\u{E9}"]
        let decomposed: LabelSet = ["a": "e\u{301}"]
        #expect(composed != decomposed)
        #expect(LabelSet([("\u{E9}", "1"), ("e\u{301}", "2")]).count == 2)
    }

    @Test func nonASCIINamesSortByBytes() {
        let set = LabelSet([("\u{E9}", "1"), ("z", "2"), ("e\u{301}", "3")])
        #expect(set.pairs.map(\.value) == ["3", "2", "1"])
    }
}
