/// The text format of a scraped exposition.
///
/// See section A.1 of the Prometheus reference: the response media type decides the parser.
public enum ExpositionFormat: Sendable, Hashable {
    /// Prometheus text format 0.0.4 (`text/plain; version=0.0.4`), the fallback for every other type.
    case prometheusText
    /// OpenMetrics 1.0 text (`application/openmetrics-text`), which must end with `# EOF`.
    case openMetrics

    /// Chooses by the response `Content-Type`.
    ///
    /// `application/openmetrics-text` (any parameters, any letter case) selects ``openMetrics``;
    /// anything else, or a missing header, selects ``prometheusText``.
    public init(contentType: String?) {
        guard let contentType else {
            self = .prometheusText
            return
        }
        var mediaType = Substring(contentType)
        if let semicolon = mediaType.firstIndex(of: ";") {
            mediaType = mediaType[..<semicolon]
        }
        while let first = mediaType.first, first == " " || first == "\t" {
            mediaType = mediaType.dropFirst()
        }
        while let last = mediaType.last, last == " " || last == "\t" {
            mediaType = mediaType.dropLast()
        }
        self = mediaType.lowercased() == "application/openmetrics-text" ? .openMetrics : .prometheusText
    }
}
