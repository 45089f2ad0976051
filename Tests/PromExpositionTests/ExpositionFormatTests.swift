import PromExposition
import Testing

@Suite("Content type")
struct ExpositionFormatTests {
    @Test(arguments: [
        ("application/openmetrics-text; version=1.0.0; charset=utf-8", ExpositionFormat.openMetrics),
        ("application/openmetrics-text;version=0.0.1", .openMetrics),
        ("  Application/OpenMetrics-Text ", .openMetrics),
        ("text/plain; version=0.0.4; charset=utf-8", .prometheusText),
        ("text/plain", .prometheusText),
        ("application/json", .prometheusText),
        ("", .prometheusText),
    ])
    func choosesByMediaType(_ contentType: String, _ expected: ExpositionFormat) {
        #expect(ExpositionFormat(contentType: contentType) == expected)
    }

    @Test func missingHeaderMeansPrometheusText() {
        #expect(ExpositionFormat(contentType: nil) == .prometheusText)
    }
}
