import Foundation
import OTelTestSupport
import Testing
import Yams

/// The demo stack's docker-compose.yml holds together without Docker: every file it mounts and
/// builds from exists, its ports and names agree with each other and with the configuration files
/// the containers read, and the agent gets every variable its pipeline file reads. The checks live
/// in `ComposeChecker`, which returns its findings, so a test can show it catches broken files.
@Suite
struct ComposeTests {
    static let root = PythonPeer.repositoryRoot

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func yaml(_ path: String) throws -> [String: Any] {
        try #require(try Yams.load(yaml: text(path)) as? [String: Any], "\(path) is not a YAML mapping")
    }

    /// What the checker needs to know besides the compose file: the variables the agent's pipeline
    /// reads, the host:port references in the configuration files the containers mount, and the
    /// responder's listening port from its rules.
    static func context() throws -> ComposeChecker.Context {
        var context = ComposeChecker.Context(root: root)
        context.agentVariables = ComposeChecker.pipelineVariables(try text("pipelines/default.yaml"))
        for path in ["deploy/prometheus/prometheus.yml", "deploy/alertmanager/alertmanager.yml",
                     "deploy/responder/rules.yml", "deploy/grafana/provisioning/datasources/datasources.yml"] {
            context.references += ComposeChecker.references(in: try yaml(path), origin: path)
        }
        let listen = try #require(ComposeChecker.scalar(try yaml("deploy/responder/rules.yml")["listen"]), "the responder's rules set `listen`")
        let port = try #require(ComposeChecker.endpoint(listen)?.port, "listen: \(listen)")
        context.listening["responder"] = [port]
        return context
    }

    @Test func composeFileHoldsTogether() throws {
        let compose = try Self.text("docker-compose.yml")
        let context = try Self.context()
        #expect(!context.agentVariables.isEmpty, "no ${env:NAME} found in pipelines/default.yaml")
        #expect(!context.references.isEmpty, "no host:port references found in the configuration files")
        let problems = ComposeChecker.problems(compose: compose, context)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")

        let services = try #require(ComposeChecker.services(compose))
        let expected: Set<String> = ["otelsw", "order", "user", "product", "payment", "loadgen", "responder",
                                     "prometheus", "alertmanager", "loki", "jaeger", "grafana"]
        #expect(expected.isSubset(of: Set(services.keys)), "missing: \(expected.subtracting(services.keys).sorted())")
        let otelsw = try #require(services["otelsw"])
        #expect(ComposeChecker.scalar(otelsw["restart"]) == "unless-stopped")

        let ignored = try Self.text(".dockerignore").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for entry in [".build", "demo/.build", ".venv", ".git"] {
            #expect(ignored.contains(entry), ".dockerignore does not exclude \(entry)")
        }
    }

    /// Each container finds its configuration where its command line or its config says, and that
    /// path is the repository's file (or the volume it shares with the containers it works with).
    @Test func configurationFilesReachTheirContainers() throws {
        let services = try #require(ComposeChecker.services(try Self.text("docker-compose.yml")))
        func service(_ name: String) throws -> [String: Any] { try #require(services[name], "no service \(name)") }
        func hostPath(_ name: String, _ path: String) throws -> String? {
            guard let (mount, rest) = ComposeChecker.resolve(path, in: try service(name)), mount.bind else { return nil }
            return ComposeChecker.normalized(mount.source) + (rest.isEmpty ? "" : "/" + rest)
        }
        func volume(_ name: String, _ path: String) throws -> (name: String, readOnly: Bool)? {
            guard let (mount, _) = ComposeChecker.resolve(path, in: try service(name)), !mount.bind else { return nil }
            return (mount.source, mount.readOnly)
        }

        // The agent runs the repository's pipeline through a mount of the whole directory (so that
        // an editor's rename over the file reaches the container), read-only.
        let agent = try service("otelsw")
        let pipeline = try #require(ComposeChecker.flag(ComposeChecker.command(agent), ["--pipeline", "--config"]), "otelsw has no --pipeline")
        let (pipelineMount, rest) = try #require(ComposeChecker.resolve(pipeline, in: agent), "\(pipeline) is not mounted")
        #expect(pipelineMount.bind && ComposeChecker.normalized(pipelineMount.source) == "pipelines" && rest == "default.yaml")
        #expect(pipelineMount.readOnly)

        // The services write their logs to the volume the agent tails; the agent's checkpoints and
        // queues are on a volume of their own.
        let env = ComposeChecker.environment(agent)
        let logDir = try #require(env["DEMO_LOG_DIR"], "otelsw has no DEMO_LOG_DIR")
        let logs = try #require(try volume("otelsw", logDir), "DEMO_LOG_DIR is not on a volume")
        #expect(logs.readOnly)
        for name in ["order", "user", "product", "payment"] {
            let theirEnv = ComposeChecker.environment(try service(name))
            let dir = try #require(theirEnv["LOG_DIR"], "\(name) has no LOG_DIR")
            let theirs = try volume(name, dir)
            #expect(theirs?.name == logs.name && theirs?.readOnly == false, "\(name) writes its log to \(dir), not to the volume otelsw reads")
            #expect(theirEnv["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otelsw:4318")
        }
        let storageDir = try #require(env["OTELSW_STORAGE_DIR"], "otelsw has no OTELSW_STORAGE_DIR")
        let storage = try #require(try volume("otelsw", storageDir), "OTELSW_STORAGE_DIR is not on a volume")
        #expect(!storage.readOnly && storage.name != logs.name)
        let order = ComposeChecker.environment(try service("order"))
        #expect(order["USER_URL"] != nil && order["PRODUCT_URL"] != nil && order["PAYMENT_URL"] != nil)
        let loadgen = ComposeChecker.environment(try service("loadgen"))
        #expect(loadgen["TARGET"] == "http://order:8080")

        // Prometheus: its config, the rule files it names, and the remote-write receiver otelsw needs.
        let prometheus = try service("prometheus")
        let prometheusArgs = ComposeChecker.command(prometheus)
        #expect(prometheusArgs.contains("--web.enable-remote-write-receiver"))
        let prometheusConfig = try #require(ComposeChecker.flag(prometheusArgs, ["--config.file"]))
        let prometheusFile = try hostPath("prometheus", prometheusConfig)
        #expect(prometheusFile == "deploy/prometheus/prometheus.yml")
        let ruleFiles = ComposeChecker.list(try Self.yaml("deploy/prometheus/prometheus.yml")["rule_files"]).compactMap { ComposeChecker.scalar($0) }
        #expect(!ruleFiles.isEmpty)
        for pattern in ruleFiles {
            let host = try #require(try hostPath("prometheus", pattern), "\(pattern) is not mounted into prometheus")
            #expect(ComposeChecker.exists(host, in: Self.root), "\(pattern) matches nothing (\(host))")
            #expect(host.hasPrefix("deploy/prometheus/rules/"), "\(pattern) comes from \(host)")
        }

        let alertmanagerConfig = try #require(ComposeChecker.flag(ComposeChecker.command(try service("alertmanager")), ["--config.file"]))
        let alertmanagerFile = try hostPath("alertmanager", alertmanagerConfig)
        #expect(alertmanagerFile == "deploy/alertmanager/alertmanager.yml")

        // Loki: its config, with the schema that takes structured metadata.
        let lokiConfig = try #require(ComposeChecker.flag(ComposeChecker.command(try service("loki")), ["-config.file", "--config.file"]))
        let lokiFile = try hostPath("loki", lokiConfig)
        #expect(lokiFile == "deploy/loki/loki.yml")
        let loki = try Self.yaml("deploy/loki/loki.yml")
        let schemas = ComposeChecker.list(ComposeChecker.map(loki["schema_config"])?["configs"]).compactMap { ComposeChecker.map($0) }
        #expect(schemas.contains { ComposeChecker.scalar($0["schema"]) == "v13" && ComposeChecker.scalar($0["store"]) == "tsdb" })
        let structuredMetadata = ComposeChecker.map(loki["limits_config"])?["allow_structured_metadata"] as? Bool
        #expect(structuredMetadata == true)
        let lokiPort = ComposeChecker.scalar(ComposeChecker.map(loki["server"])?["http_listen_port"])
        #expect(lokiPort == "3100")

        // The responder: its rules, and its audit log on a volume.
        let responder = try service("responder")
        let rulesPath = try #require(ComposeChecker.flag(ComposeChecker.command(responder), ["--config"]), "responder has no --config")
        let rulesFile = try hostPath("responder", rulesPath)
        #expect(rulesFile == "deploy/responder/rules.yml")
        let audit = try #require(ComposeChecker.scalar(try Self.yaml("deploy/responder/rules.yml")["audit_log"]))
        let auditVolume = try volume("responder", audit)
        #expect(auditVolume?.readOnly == false, "the audit log \(audit) is not on a writable volume")

        // Grafana: provisioning, and the dashboards where the dashboard provider looks for them.
        let provisioning = try hostPath("grafana", "/etc/grafana/provisioning")
        #expect(provisioning == "deploy/grafana/provisioning")
        let providers = ComposeChecker.list(try Self.yaml("deploy/grafana/provisioning/dashboards/dashboards.yml")["providers"])
            .compactMap { ComposeChecker.map($0) }
        #expect(!providers.isEmpty)
        for provider in providers {
            let path = try #require(ComposeChecker.scalar(ComposeChecker.map(provider["options"])?["path"]), "a dashboard provider without options.path")
            let dashboards = try hostPath("grafana", path)
            #expect(dashboards == "deploy/grafana/dashboards", "grafana reads dashboards from \(path), which is \(dashboards ?? "not mounted")")
        }
    }

    /// The checker reports each mistake planted in a small compose file.
    @Test func checkerReportsABrokenComposeFile() throws {
        let broken = """
        services:
          otelsw:
            image: otelsw:dev
            environment:
              JAEGER_OTLP_ENDPOINT: "jaeger:4319"
              OTELSW_OTLP_HTTP_ENDPOINT: "0.0.0.0:4318"
              LOKI_PUSH_URL: "http://lokii:3100/loki/api/v1/push"
              OTELSW_METRICS_ADDRESS: "127.0.0.1:8888"
            volumes:
              - ./pipelines/missing.yaml:/etc/otelsw/pipeline.yaml:ro
              - undeclared-data:/var/lib/otelsw
            ports:
              - "127.0.0.1:9090:4318"
            depends_on: [prometheus, tempo]
          prometheus:
            image: prom/prometheus
            environment:
              RETENTION: "${RETENTION_DAYS}"
            ports:
              - "9090:9090"
          jaeger:
            image: jaegertracing/all-in-one:1.76.0
            ports:
              - "127.0.0.1:16687:16687"
          builder:
            build:
              context: .
              dockerfile: deploy/docker/missing.Dockerfile
          nothing:
            command: ["true"]
        volumes:
          declared: {}
        """
        var context = ComposeChecker.Context(root: Self.root)
        context.agentVariables = ["JAEGER_OTLP_ENDPOINT", "LOKI_PUSH_URL", "OTELSW_METRICS_ADDRESS", "OTELSW_OTLP_HTTP_ENDPOINT", "DEMO_LOG_DIR"]
        context.references = [ComposeChecker.Reference(origin: "prometheus.yml", value: "otelsw:9999")]
        let problems = ComposeChecker.problems(compose: broken, context)
        let expected: [(kind: String, detail: String)] = [
            ("mount", "pipelines/missing.yaml"),        // a bind mount of a file that is not there
            ("volume", "undeclared-data"),             // a named volume not declared at the top level
            ("port", "9090"),                          // one host port published twice
            ("variable", "RETENTION_DAYS"),            // a variable without a default or a .env
            ("depends_on", "tempo"),                   // a dependency on no service
            ("image", "prom/prometheus"),              // an image without a pinned tag
            ("build", "missing.Dockerfile"),           // a build whose Dockerfile is missing
            ("service", "nothing"),                    // neither image nor build
            ("agent", "DEMO_LOG_DIR"),                 // a pipeline variable the agent is not given
            ("host", "lokii"),                         // a hostname that is no service
            ("host", "jaeger:4319"),                   // a service, but not a port it listens on
            ("host", "otelsw:9999"),                   // a config reference to a port the agent does not open
            ("loopback", "127.0.0.1:8888"),            // a loopback address other containers cannot reach
            ("port", "16687"),                         // a published container port nothing listens on
        ]
        for (kind, detail) in expected {
            #expect(problems.contains { $0.hasPrefix(kind + ":") && $0.contains(detail) },
                    "no \(kind) problem about \(detail) in:\n\(problems.joined(separator: "\n"))")
        }
        // And nothing about what is right in it: pinned images, the agent's own port, a known host.
        let wrong = problems.filter {
            $0.hasPrefix("image: jaeger") || $0.hasPrefix("image: otelsw") || $0.contains("4318, but") || $0.contains("JAEGER_OTLP_ENDPOINT: jaeger:4319 names")
        }
        #expect(wrong.isEmpty, "\(wrong)")
    }

    /// A Dockerfile that copies a missing file, or one the .dockerignore keeps out of the context.
    @Test func checkerReportsMissingCopySources() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-compose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".build"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("FROM scratch\nCOPY present.txt missing.txt /app/\nCOPY .build/output /app/\n".utf8).write(to: dir.appendingPathComponent("Dockerfile"))
        try Data(".build\n".utf8).write(to: dir.appendingPathComponent(".dockerignore"))
        try Data().write(to: dir.appendingPathComponent("present.txt"))
        try Data().write(to: dir.appendingPathComponent(".build/output"))
        let problems = ComposeChecker.problems(compose: "services:\n  app:\n    build: .\n", ComposeChecker.Context(root: dir))
        #expect(problems.contains { $0.hasPrefix("copy:") && $0.contains("missing.txt") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("copy:") && $0.contains(".build/output") && $0.contains(".dockerignore") }, "\(problems)")
        #expect(!problems.contains { $0.contains("present.txt") }, "\(problems)")
        #expect(problems.count == 2, "\(problems)")
    }

    @Test func dockerfileCopySourcesAreParsed() {
        let dockerfile = """
        # syntax=docker/dockerfile:1
        FROM swift:6.3-noble AS build
        COPY Package.* ./
        COPY --chown=1:1 Sources \\
             Tests ./
        RUN echo COPY nothing
        COPY --from=build /staging/otelsw /usr/local/bin/otelsw
        COPY ["pipelines/default.yaml", "/etc/otelsw/pipeline.yaml"]
        ADD https://example.com/file.tar.gz /tmp/
        """
        #expect(ComposeChecker.copySources(dockerfile) == ["Package.*", "Sources", "Tests", "pipelines/default.yaml"])
        #expect(ComposeChecker.exists("Package.*", in: Self.root))
        #expect(!ComposeChecker.exists("Package.nothing*", in: Self.root))
    }
}

/// Checks a compose file against the repository it sits in, and returns what is wrong, one line
/// each, as `kind: detail` (kind: mount, volume, port, variable, depends_on, image, build, copy,
/// service, agent, host, loopback, yaml).
enum ComposeChecker {
    struct Reference {
        /// Where the reference was found, for the message.
        var origin: String
        /// A host:port, or a URL with one.
        var value: String
    }

    struct Context {
        /// The directory of the compose file: bind mounts and build contexts are relative to it.
        var root: URL
        /// Variables a `.env` file beside the compose file would define.
        var dotEnv: Set<String> = []
        /// The agent's service, and the variables its pipeline file reads (`${env:NAME}`).
        var agent = "otelsw"
        var agentVariables: Set<String> = []
        /// host:port references in the configuration files the containers read.
        var references: [Reference] = []
        /// Listening ports known from a service's own configuration.
        var listening: [String: Set<Int>] = [:]

        init(root: URL) { self.root = root }
    }

    struct Mount {
        var source: String
        var target: String
        var bind: Bool
        var readOnly: Bool
    }

    /// The ports the images the stack uses listen on.
    static let imagePorts: [String: Set<Int>] = [
        "prom/prometheus": [9090], "prom/alertmanager": [9093], "grafana/loki": [3100],
        "jaegertracing/all-in-one": [4317, 4318, 16686], "grafana/grafana": [3000],
    ]

    // MARK: reading the compose file

    static func map(_ value: Any?) -> [String: Any]? { value as? [String: Any] }
    static func list(_ value: Any?) -> [Any] { value as? [Any] ?? [] }

    static func scalar(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let i as Int: return String(i)
        case let d as Double: return String(d)
        case let b as Bool: return String(b)
        default: return nil
        }
    }

    static func services(_ compose: String) -> [String: [String: Any]]? {
        guard let top = (try? Yams.load(yaml: compose)) as? [String: Any], let services = map(top["services"]) else { return nil }
        return services.reduce(into: [String: [String: Any]]()) { $0[$1.key] = map($1.value) ?? [:] }
    }

    /// The environment as NAME → value, from the mapping or the `NAME=value` list form.
    static func environment(_ service: [String: Any]) -> [String: String] {
        if let m = map(service["environment"]) {
            return m.reduce(into: [String: String]()) { $0[$1.key] = scalar($1.value) ?? "" }
        }
        var out: [String: String] = [:]
        for item in list(service["environment"]).compactMap({ scalar($0) }) {
            if let eq = item.firstIndex(of: "=") {
                out[String(item[..<eq])] = String(item[item.index(after: eq)...])
            } else {
                out[item] = ""
            }
        }
        return out
    }

    static func command(_ service: [String: Any]) -> [String] {
        if let s = scalar(service["command"]) { return s.split(separator: " ").map(String.init) }
        return list(service["command"]).compactMap { scalar($0) }
    }

    /// The value of `--name value` or `--name=value` in an argument list.
    static func flag(_ arguments: [String], _ names: [String]) -> String? {
        for (i, a) in arguments.enumerated() {
            for name in names {
                if a == name, i + 1 < arguments.count { return arguments[i + 1] }
                if a.hasPrefix(name + "=") { return String(a.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }

    static func isPath(_ s: String) -> Bool { s.hasPrefix(".") || s.hasPrefix("/") || s.hasPrefix("~") }

    /// "./deploy/x/" → "deploy/x".
    static func normalized(_ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        return p
    }

    static func mounts(_ service: [String: Any]) -> [Mount] {
        list(service["volumes"]).compactMap { item -> Mount? in
            if let m = map(item) {
                guard let target = scalar(m["target"]) else { return nil }
                let source = interpolate(scalar(m["source"]) ?? "").text
                let type = scalar(m["type"]) ?? (isPath(source) ? "bind" : "volume")
                return Mount(source: source, target: target, bind: type == "bind", readOnly: m["read_only"] as? Bool ?? false)
            }
            guard let s = scalar(item) else { return nil }
            let parts = interpolate(s).text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2 else { return Mount(source: "", target: parts[0], bind: false, readOnly: false) }
            let readOnly = parts.count > 2 && parts[2].split(separator: ",").contains("ro")
            return Mount(source: parts[0], target: parts[1], bind: isPath(parts[0]), readOnly: readOnly)
        }
    }

    /// The mount that holds a path inside a service's container (the deepest one), and the rest of
    /// the path below it.
    static func resolve(_ path: String, in service: [String: Any]) -> (mount: Mount, rest: String)? {
        let holding = mounts(service).filter { path == $0.target || path.hasPrefix($0.target + "/") }
        guard let mount = holding.max(by: { $0.target.count < $1.target.count }) else { return nil }
        var rest = String(path.dropFirst(mount.target.count))
        while rest.hasPrefix("/") { rest.removeFirst() }
        return (mount, rest)
    }

    /// One published port: the host's (none for an ephemeral one) and the container's.
    struct Port {
        var entry: String
        var host: Int?
        var container: Int
        var proto: String
    }

    /// The published ports; nil for an entry that cannot be read.
    static func published(_ service: [String: Any]) -> [Port?] {
        list(service["ports"]).map { (item: Any) -> Port? in
            if let m = map(item) {
                guard let target = Int(scalar(m["target"]) ?? "") else { return nil }
                let host = scalar(m["published"]).flatMap { Int($0) }
                return Port(entry: "\(target)", host: host, container: target, proto: scalar(m["protocol"]) ?? "tcp")
            }
            guard let entry = scalar(item) else { return nil }
            var spec = interpolate(entry).text
            var proto = "tcp"
            if let slash = spec.firstIndex(of: "/") {
                proto = String(spec[spec.index(after: slash)...])
                spec = String(spec[..<slash])
            }
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard let container = parts.last.flatMap({ Int($0) }) else { return nil }
            if parts.count == 1 { return Port(entry: entry, host: nil, container: container, proto: proto) }
            guard let host = Int(parts[parts.count - 2]) else { return nil }
            return Port(entry: entry, host: host, container: container, proto: proto)
        }
    }

    static func dependencies(_ service: [String: Any]) -> [String] {
        if let m = map(service["depends_on"]) { return Array(m.keys) }
        return list(service["depends_on"]).compactMap { scalar($0) }
    }

    /// "prom/prometheus:v3.5.0" → ("prom/prometheus", "v3.5.0"); a registry's port is not a tag.
    static func splitImage(_ image: String) -> (name: String, tag: String?, digest: Bool) {
        var name = image
        var digest = false
        if let at = name.firstIndex(of: "@") {
            name = String(name[..<at])
            digest = true
        }
        if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") {
            return (String(name[..<colon]), String(name[name.index(after: colon)...]), digest)
        }
        return (name, nil, digest)
    }

    // MARK: interpolation, endpoints, references

    /// Compose's interpolation of one value: the variables it names (and whether each has a
    /// default), and the value with every default in place. `$$` is a literal `$`.
    static func interpolate(_ value: String) -> (variables: [(name: String, hasDefault: Bool)], text: String) {
        let c = Array(value)
        var i = 0
        var out = ""
        var variables: [(name: String, hasDefault: Bool)] = []
        while i < c.count {
            guard c[i] == "$", i + 1 < c.count else {
                out.append(c[i])
                i += 1
                continue
            }
            if c[i + 1] == "$" {
                out.append("$")
                i += 2
            } else if c[i + 1] == "{" {
                guard let close = c[(i + 2)...].firstIndex(of: "}") else {
                    out.append(contentsOf: String(c[i...]))
                    break
                }
                let inner = String(c[(i + 2)..<close])
                let nameEnd = inner.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? inner.endIndex
                let rest = inner[nameEnd...]
                var hasDefault = false
                if rest.hasPrefix(":-") {
                    hasDefault = true
                    out.append(contentsOf: rest.dropFirst(2))
                } else if rest.hasPrefix("-") {
                    hasDefault = true
                    out.append(contentsOf: rest.dropFirst(1))
                }
                variables.append((String(inner[..<nameEnd]), hasDefault))
                i = close + 1
            } else if c[i + 1].isLetter || c[i + 1] == "_" {
                var j = i + 1
                while j < c.count, c[j].isLetter || c[j].isNumber || c[j] == "_" { j += 1 }
                variables.append((String(c[(i + 1)..<j]), false))
                i = j
            } else {
                out.append("$")
                i += 1
            }
        }
        return (variables, out)
    }

    /// Every string in a YAML tree, keys included, with where it is.
    static func strings(in node: Any, at path: String, into out: inout [(path: String, value: String)]) {
        if let m = map(node) {
            for (key, value) in m {
                out.append((path, key))
                strings(in: value, at: path.isEmpty ? key : path + "." + key, into: &out)
            }
        } else if let l = node as? [Any] {
            for (i, value) in l.enumerated() { strings(in: value, at: "\(path)[\(i)]", into: &out) }
        } else if let s = node as? String {
            out.append((path, s))
        }
    }

    /// "http://prometheus:9090/api/v1/write", "jaeger:4317", ":4317" → host and port; nil when the
    /// text names no host:port (the host, when there is one, starts with a letter or is an IPv4 address).
    static func endpoint(_ text: String) -> (host: String, port: Int)? {
        var s = text.trimmingCharacters(in: .whitespaces)
        if let scheme = s.range(of: "://") { s = String(s[scheme.upperBound...]) }
        if let slash = s.firstIndex(of: "/") { s = String(s[..<slash]) }
        if let at = s.lastIndex(of: "@") { s = String(s[s.index(after: at)...]) }
        guard let colon = s.lastIndex(of: ":"), let port = Int(s[s.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        let host = String(s[..<colon])
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        let isName = host.first?.isLetter == true && host.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }
        guard host.isEmpty || isIPv4 || isName else { return nil }
        return (host, port)
    }

    /// The host:port references of a configuration file: every `url` value and every entry of a
    /// `targets` list.
    static func references(in node: Any, origin: String) -> [Reference] {
        var out: [Reference] = []
        func walk(_ node: Any) {
            if let m = map(node) {
                for (key, value) in m {
                    if key == "url", let s = scalar(value) { out.append(Reference(origin: origin, value: s)) }
                    if key == "targets" {
                        out += list(value).compactMap { scalar($0) }.map { Reference(origin: origin, value: $0) }
                    }
                    walk(value)
                }
            } else if let l = node as? [Any] {
                l.forEach(walk)
            }
        }
        walk(node)
        return out
    }

    /// The variables a pipeline file reads: the NAME of each `${env:NAME}` or `${env:NAME:-default}`.
    static func pipelineVariables(_ pipeline: String) -> Set<String> {
        Set(pipeline.components(separatedBy: "${env:").dropFirst().compactMap { rest -> String? in
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return name.isEmpty ? nil : String(name)
        })
    }

    // MARK: files

    /// Whether a path (relative to `directory`, with `*` and `?` allowed in its last component) names something.
    static func exists(_ path: String, in directory: URL) -> Bool {
        let clean = normalized(path)
        if clean == "." || clean.isEmpty { return true }
        guard clean.contains(where: { $0 == "*" || $0 == "?" }) else {
            return FileManager.default.fileExists(atPath: directory.appendingPathComponent(clean).path)
        }
        let parts = clean.split(separator: "/").map(String.init)
        let dir = parts.dropLast().reduce(directory) { $0.appendingPathComponent($1) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.contains { matches($0, parts.last ?? "") }
    }

    /// Shell-style match of `*` and `?`.
    static func matches(_ name: String, _ pattern: String) -> Bool {
        let n = Array(name)
        let p = Array(pattern)
        func match(_ i: Int, _ j: Int) -> Bool {
            if j == p.count { return i == n.count }
            if p[j] == "*" { return match(i, j + 1) || (i < n.count && match(i + 1, j)) }
            return i < n.count && (p[j] == "?" || p[j] == n[i]) && match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    /// The sources of every COPY and ADD that reads the build context (not `--from` a stage or
    /// an image, not a URL).
    static func copySources(_ dockerfile: String) -> [String] {
        var instructions: [String] = []
        var current = ""
        for raw in dockerfile.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            if line.hasSuffix("\\") {
                current += String(line.dropLast()) + " "
                continue
            }
            instructions.append(current + line)
            current = ""
        }
        if !current.isEmpty { instructions.append(current) }
        var out: [String] = []
        for instruction in instructions {
            var words = instruction.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first?.uppercased(), keyword == "COPY" || keyword == "ADD" else { continue }
            words.removeFirst()
            let flags = words.prefix { $0.hasPrefix("--") }
            if flags.contains(where: { $0.hasPrefix("--from=") }) { continue }
            var arguments = Array(words.dropFirst(flags.count))
            if arguments.first?.hasPrefix("[") == true,
               let json = try? JSONSerialization.jsonObject(with: Data(arguments.joined(separator: " ").utf8)) as? [String] {
                arguments = json
            }
            guard arguments.count >= 2 else { continue }
            out += arguments.dropLast().filter { !$0.contains("://") }
        }
        return out
    }

    /// The plain entries of a build context's .dockerignore (no wildcards, no exceptions).
    static func ignored(in context: URL) -> [String] {
        let text = (try? String(contentsOf: context.appendingPathComponent(".dockerignore"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { normalized($0.trimmingCharacters(in: .whitespaces)) }.filter { entry in
            !entry.isEmpty && !entry.hasPrefix("#") && !entry.hasPrefix("!") && !entry.contains { "*?[".contains($0) }
        }.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
    }

    // MARK: the checks

    static func problems(compose: String, _ context: Context) -> [String] {
        let top: [String: Any]
        do {
            guard let parsed = try Yams.load(yaml: compose) as? [String: Any] else { return ["yaml: the compose file is not a mapping"] }
            top = parsed
        } catch {
            return ["yaml: \(error)"]
        }
        guard let services = Self.services(compose), !services.isEmpty else { return ["yaml: no services"] }
        var problems: [String] = []
        let names = Set(services.keys)
        let declaredVolumes = Set((map(top["volumes"]) ?? [:]).keys)

        // Variables: a default, or a .env entry.
        var values: [(path: String, value: String)] = []
        strings(in: top, at: "", into: &values)
        for (path, value) in values {
            for v in interpolate(value).variables where !v.hasDefault && !context.dotEnv.contains(v.name) {
                problems.append("variable: ${\(v.name)} at \(path) has no default and no .env entry")
            }
        }

        // What each service listens on: its PORT, its image's well-known ports, the addresses it is
        // told to bind (0.0.0.0:N, :N), and what the context knows.
        var listening: [String: Set<Int>] = [:]
        for (name, service) in services {
            var ports = context.listening[name] ?? []
            let env = environment(service).mapValues { interpolate($0).text }
            if let port = env["PORT"].flatMap({ Int($0) }) { ports.insert(port) }
            if let image = scalar(service["image"]) { ports.formUnion(imagePorts[splitImage(image).name] ?? []) }
            for value in env.values {
                if let e = endpoint(value), e.host.isEmpty || e.host == "0.0.0.0" { ports.insert(e.port) }
            }
            listening[name] = ports
        }

        var hostPorts: [String: String] = [:]
        var checkedDockerfiles: Set<String> = []
        for name in services.keys.sorted() {
            let service = services[name] ?? [:]

            // Mounts: bind sources exist in the repository; named volumes are declared.
            for mount in mounts(service) {
                if mount.bind {
                    if mount.source.hasPrefix("/") || mount.source.hasPrefix("~") {
                        problems.append("mount: \(name): \(mount.source) is not a path in the repository")
                    } else if !exists(mount.source, in: context.root) {
                        problems.append("mount: \(name): \(mount.source) does not exist")
                    }
                } else if !mount.source.isEmpty && !declaredVolumes.contains(mount.source) {
                    problems.append("volume: \(name): \(mount.source) is not declared under the top-level volumes")
                }
            }

            // Ports: each host port once; a published container port is one the service listens on.
            for entry in published(service) {
                guard let entry else {
                    problems.append("port: \(name): a ports entry cannot be read")
                    continue
                }
                if let host = entry.host {
                    let key = "\(host)/\(entry.proto)"
                    if let other = hostPorts[key] {
                        problems.append("port: host port \(host) is published by both \(other) and \(name)")
                    } else {
                        hostPorts[key] = name
                    }
                }
                if let known = listening[name], !known.isEmpty, !known.contains(entry.container) {
                    problems.append("port: \(name) publishes container port \(entry.container), but listens on \(known.sorted())")
                }
            }

            // Image or build.
            let image = scalar(service["image"])
            if let build = service["build"] {
                let contextPath: String
                let dockerfile: String
                if let m = map(build) {
                    contextPath = scalar(m["context"]) ?? "."
                    dockerfile = scalar(m["dockerfile"]) ?? "Dockerfile"
                } else {
                    contextPath = scalar(build) ?? "."
                    dockerfile = "Dockerfile"
                }
                let contextURL = normalized(contextPath) == "." ? context.root : context.root.appendingPathComponent(normalized(contextPath))
                var isDirectory: ObjCBool = false
                if !FileManager.default.fileExists(atPath: contextURL.path, isDirectory: &isDirectory) || !isDirectory.boolValue {
                    problems.append("build: \(name): the context \(contextPath) is not a directory")
                } else if let text = try? String(contentsOf: contextURL.appendingPathComponent(dockerfile), encoding: .utf8) {
                    if checkedDockerfiles.insert(contextURL.path + "|" + dockerfile).inserted {
                        let ignore = ignored(in: contextURL)
                        for source in copySources(text) {
                            let clean = normalized(source)
                            if !exists(clean, in: contextURL) {
                                problems.append("copy: \(dockerfile): \(source) does not exist in the context \(contextPath)")
                            } else if let entry = ignore.first(where: { clean == $0 || clean.hasPrefix($0 + "/") }) {
                                problems.append("copy: \(dockerfile): \(source) is excluded by .dockerignore (\(entry))")
                            }
                        }
                    }
                } else {
                    problems.append("build: \(name): \(dockerfile) does not exist in the context \(contextPath)")
                }
            } else if let image {
                let parts = splitImage(image)
                if !parts.digest && (parts.tag == nil || parts.tag == "latest") {
                    problems.append("image: \(name): \(image) is not pinned to a tag")
                }
            } else {
                problems.append("service: \(name) has neither an image nor a build")
            }

            // Other services it names.
            for dependency in dependencies(service) where !names.contains(dependency) {
                problems.append("depends_on: \(name) depends on \(dependency), which is no service")
            }
            for key in ["pid", "network_mode", "ipc"] {
                if let mode = scalar(service[key]), mode.hasPrefix("service:"), !names.contains(String(mode.dropFirst(8))) {
                    problems.append("depends_on: \(name) has \(key) \(mode), which is no service")
                }
            }
        }

        // depends_on has no cycle.
        var state: [String: Int] = [:]  // 1: on the path, 2: done
        func visit(_ name: String, _ path: [String]) {
            if state[name] == 2 { return }
            if state[name] == 1 {
                problems.append("depends_on: a cycle: \((path + [name]).joined(separator: " → "))")
                return
            }
            state[name] = 1
            for next in dependencies(services[name] ?? [:]) where names.contains(next) { visit(next, path + [name]) }
            state[name] = 2
        }
        for name in names.sorted() { visit(name, []) }

        // The agent is given every variable its pipeline reads.
        if let agent = services[context.agent] {
            let env = environment(agent)
            for variable in context.agentVariables.sorted() where env[variable] == nil {
                problems.append("agent: \(context.agent) does not set \(variable), which its pipeline reads")
            }
        } else if !context.agentVariables.isEmpty {
            problems.append("service: no \(context.agent) service for the agent")
        }

        // host:port references name a service, on a port it listens on.
        func check(_ value: String, from origin: String, environment: Bool) {
            guard let (host, port) = endpoint(value), !host.isEmpty, host != "0.0.0.0" else { return }
            if host == "127.0.0.1" || host == "localhost" {
                if environment { problems.append("loopback: \(origin): \(host):\(port) cannot be reached from the other containers") }
                return
            }
            guard names.contains(host) else {
                problems.append("host: \(origin): \(value) names \(host), which is no service")
                return
            }
            if let known = listening[host], !known.isEmpty, !known.contains(port) {
                problems.append("host: \(origin): \(host):\(port) is not a port \(host) listens on (\(known.sorted()))")
            }
        }
        for name in services.keys.sorted() {
            for (variable, value) in environment(services[name] ?? [:]).sorted(by: { $0.key < $1.key }) {
                check(interpolate(value).text, from: "\(name) \(variable)", environment: true)
            }
        }
        for reference in context.references {
            check(reference.value, from: reference.origin, environment: false)
        }
        return problems
    }
}
