import Configuration

/// A YAML text parsed the way the loader parses a pipeline file (named `test.yaml`), with every
/// diagnostic that parsing and reading it report.
struct YAMLDocument {
    static let file = "test.yaml"

    let sink: DiagnosticSink
    /// The root node; nil when the text is not valid YAML.
    let node: ConfigNode?

    init(_ text: String, environment: [String: String] = [:]) {
        let sink = DiagnosticSink()
        self.sink = sink
        node = ConfigParser.parse(text, file: Self.file, environment: environment, sink: sink)
    }

    /// Whether the text was valid YAML.
    var parsed: Bool { node != nil }

    /// A reader of the root mapping, named `context` in messages; nil when the text is not valid YAML.
    func reader(context: String = ConfigReader.topLevel) -> ConfigReader? {
        node.map { ConfigReader(node: $0, sink: sink, context: context) }
    }

    /// Every diagnostic so far, in the order reported, as `line:column: message` (warnings as
    /// `line:column: warning: message`).
    var diagnostics: [String] {
        sink.diagnostics.map { String($0.description.dropFirst(Self.file.count + 1)) }
    }
}
