import AgentTestSupport
import Components
import Configuration
import Factories
import Foundation
import OTelTestSupport
import Queueing
import Runtime
import Testing
import Yams
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The deployment files: the Kubernetes manifests in `deploy/kubernetes/` and the systemd unit in
/// `deploy/systemd/`.
///
/// Every document is a Kubernetes object; every otelsw container runs a pipeline file that its
/// ConfigMap provides, mounted whole so that edits reach it, and that pipeline passes the agent's
/// strict loader with the environment its pod spec gives, listens where the probes and host ports
/// point, and keeps its state on a writable volume. The node agent's pipeline, run on real files,
/// turns a CRI log line into a record of the right pod and skips the agent's own log. The unit
/// starts and reloads one pipeline file, and `systemd-analyze verify` finds nothing in it.
@Suite(.timeLimit(.minutes(2)))
struct KubernetesManifestTests {
    static let kubernetes = PythonPeer.repositoryRoot.appendingPathComponent("deploy/kubernetes")
    static let unit = PythonPeer.repositoryRoot.appendingPathComponent("deploy/systemd/otelsw.service")

    typealias Object = [String: Any]

    /// One YAML document of a manifest file.
    struct Document {
        var file: String
        var object: Object
        var kind: String
        var name: String
        var namespace: String?
        var label: String { "\(file): \(kind)/\(name)" }
    }

    /// The pod a workload runs.
    struct PodTemplate {
        var owner: Document
        var spec: Object
        var labels: [String: String]
        /// Init containers (native sidecars among them), then containers.
        var containers: [Object]
    }

    /// A container's environment as the kubelet builds it.
    struct Environment {
        var variables: [String: String] = [:]
        var problems: [String] = []
        var hasEnvFrom = false
    }

    /// An otelsw container and the pipeline file its pod gives it.
    struct Agent {
        var pod: PodTemplate
        var container: Object
        var name: String
        var pipelinePath: String
        var configMap: Document
        var configMapKey: String
        var pipeline: String
        var environment: Environment
        var label: String { "\(pod.owner.label), container \(name)" }
    }

    // MARK: Reading the manifests

    static func object(_ value: Any?) -> Object? {
        if let map = value as? [AnyHashable: Any] {
            var out: Object = [:]
            for (key, v) in map {
                if let k = key.base as? String { out[k] = v }
            }
            return out
        }
        return value as? Object
    }

    static func objects(_ value: Any?) -> [Object] { (value as? [Any] ?? []).compactMap { object($0) } }
    static func string(_ value: Any?) -> String? { value as? String }
    static func strings(_ value: Any?) -> [String] { (value as? [Any] ?? []).compactMap { $0 as? String } }
    static func int(_ value: Any?) -> Int? { value as? Int }
    static func bool(_ value: Any?) -> Bool? { value as? Bool }

    static func manifestFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: kubernetes.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { kubernetes.appendingPathComponent($0) }
    }

    /// Every document of every manifest file, empty documents left out (as kubectl does).
    static func documents() throws -> [Document] {
        var out: [Document] = []
        for url in try manifestFiles() {
            let file = url.lastPathComponent
            var sequence = try Yams.load_all(yaml: try String(contentsOf: url, encoding: .utf8))
            while let value = sequence.next() {
                if value is NSNull { continue }
                let object = try #require(Self.object(value), "\(file): a document that is not a mapping")
                let metadata = Self.object(object["metadata"]) ?? [:]
                out.append(Document(file: file, object: object, kind: string(object["kind"]) ?? "", name: string(metadata["name"]) ?? "",
                                    namespace: string(metadata["namespace"])))
            }
            if let error = sequence.error { throw error }
        }
        return out
    }

    static func podTemplate(_ document: Document) -> PodTemplate? {
        let template: Object?
        switch document.kind {
        case "Pod": template = document.object
        case "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job": template = object(object(document.object["spec"])?["template"])
        case "CronJob": template = object(object(object(object(document.object["spec"])?["jobTemplate"])?["spec"])?["template"])
        default: return nil
        }
        guard let template, let spec = object(template["spec"]) else { return nil }
        let labels = (object(object(template["metadata"])?["labels"]) ?? [:]).compactMapValues { $0 as? String }
        return PodTemplate(owner: document, spec: spec, labels: labels, containers: objects(spec["initContainers"]) + objects(spec["containers"]))
    }

    /// A container running otelsw: named so, or from an image named so.
    static func isAgent(_ container: Object) -> Bool {
        if string(container["name"]) == "otelsw" { return true }
        let last = (string(container["image"]) ?? "").split(separator: "/").last ?? ""
        return last.split(separator: ":").first.map(String.init) == "otelsw"
    }

    /// The file of `--pipeline FILE` (or `--config`, or `=FILE`) in a container's command and args.
    static func pipelineArgument(_ container: Object) -> String? {
        let args = strings(container["command"]) + strings(container["args"])
        for (i, arg) in args.enumerated() {
            for flag in ["--pipeline", "--config"] {
                if arg == flag, i + 1 < args.count { return args[i + 1] }
                if arg.hasPrefix(flag + "=") { return String(arg.dropFirst(flag.count + 1)) }
            }
        }
        return nil
    }

    /// The deepest volume mount of `container` that holds `path`, and the path inside it.
    static func mount(holding path: String, in container: Object) -> (mount: Object, relative: String)? {
        var best: (mount: Object, relative: String, depth: Int)?
        for m in objects(container["volumeMounts"]) {
            guard let mountPath = string(m["mountPath"]) else { continue }
            let base = mountPath.hasSuffix("/") ? String(mountPath.dropLast()) : mountPath
            let relative: String
            if path == base {
                relative = ""
            } else if path.hasPrefix(base + "/") {
                relative = String(path.dropFirst(base.count + 1))
            } else {
                continue
            }
            if base.count > best?.depth ?? -1 { best = (m, relative, base.count) }
        }
        return best.map { ($0.mount, $0.relative) }
    }

    /// Sample values of the downward API's fields.
    static let downward = [
        "spec.nodeName": "node-1", "status.hostIP": "10.0.0.1", "status.podIP": "10.1.0.1", "metadata.name": "pod-1",
        "metadata.namespace": "ns-1", "metadata.uid": "00000000-0000-4000-8000-000000000001",
    ]

    /// The environment a container starts with: `$(VAR)` in a value is replaced by the value of a
    /// variable defined before it, as the kubelet does; downward-API fields get sample values.
    static func environment(of container: Object) -> Environment {
        var env = Environment()
        env.hasEnvFrom = container["envFrom"] != nil
        for entry in objects(container["env"]) {
            guard let name = string(entry["name"]) else { continue }
            if let raw = entry["value"] {
                guard let value = raw as? String else {
                    env.problems.append("\(name): the value \(raw) is not a string (quote it)")
                    continue
                }
                var out = ""
                var rest = Substring(value)
                while let open = rest.range(of: "$("), let close = rest[open.upperBound...].firstIndex(of: ")") {
                    out += rest[..<open.lowerBound]
                    let reference = String(rest[open.upperBound..<close])
                    if let v = env.variables[reference] {
                        out += v
                    } else {
                        env.problems.append("\(name) refers to $(\(reference)), which is not defined before it")
                        out += "$(\(reference))"
                    }
                    rest = rest[rest.index(after: close)...]
                }
                env.variables[name] = out + rest
            } else if let source = object(entry["valueFrom"]) {
                if let field = string(object(source["fieldRef"])?["fieldPath"]) {
                    env.variables[name] = downward[field] ?? "sample"
                } else {
                    env.variables[name] = "sample"
                }
            }
        }
        return env
    }

    /// Every otelsw container with the ConfigMap entry its `--pipeline` file is; `problems` says
    /// which containers could not be followed to one.
    static func agents(in documents: [Document]) -> (agents: [Agent], problems: [String]) {
        var agents: [Agent] = []
        var problems: [String] = []
        for pod in documents.compactMap(podTemplate) {
            let volumes = objects(pod.spec["volumes"])
            for container in pod.containers where isAgent(container) {
                let name = string(container["name"]) ?? "?"
                let at = "\(pod.owner.label), container \(name)"
                guard let path = pipelineArgument(container) else {
                    problems.append("\(at): no --pipeline FILE in its args")
                    continue
                }
                let args = strings(container["command"]) + strings(container["args"])
                if args.contains("--watch=false") { problems.append("\(at): --watch=false turns off reloading on ConfigMap edits") }
                guard let held = mount(holding: path, in: container), !held.relative.isEmpty else {
                    problems.append("\(at): \(path) is on no volume mount")
                    continue
                }
                let volumeName = string(held.mount["name"]) ?? ""
                guard let volume = volumes.first(where: { string($0["name"]) == volumeName }), let source = object(volume["configMap"]) else {
                    problems.append("\(at): \(path) is not on a ConfigMap volume")
                    continue
                }
                if held.mount["subPath"] != nil || held.mount["subPathExpr"] != nil {
                    problems.append("\(at): the pipeline is mounted with subPath, which never receives the ConfigMap's updates")
                }
                let configMapName = string(source["name"]) ?? ""
                guard let configMap = documents.first(where: { $0.kind == "ConfigMap" && $0.name == configMapName && $0.namespace == pod.owner.namespace }) else {
                    problems.append("\(at): ConfigMap \(configMapName) is not among the manifests (in the pod's namespace)")
                    continue
                }
                var key = held.relative
                let items = objects(source["items"])
                if !items.isEmpty {
                    guard let item = items.first(where: { string($0["path"]) == held.relative }), let k = string(item["key"]) else {
                        problems.append("\(at): the volume's items do not project \(held.relative)")
                        continue
                    }
                    key = k
                }
                guard let text = string(object(configMap.object["data"])?[key]) else {
                    problems.append("\(at): ConfigMap \(configMapName) has no key '\(key)', the file \(path)")
                    continue
                }
                agents.append(Agent(pod: pod, container: container, name: name, pipelinePath: path, configMap: configMap, configMapKey: key,
                                    pipeline: text, environment: environment(of: container)))
            }
        }
        return (agents, problems)
    }

    static func load(_ agent: Agent) throws(ConfigError) -> AgentConfig {
        try AgentConfig.parse(agent.pipeline, file: "\(agent.configMap.file):\(agent.configMap.name)/\(agent.configMapKey)",
                              registry: Components.registry, environment: agent.environment.variables)
    }

    static func isLoopback(_ host: String) -> Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }

    /// The HTTP probes of a container: which, on which port (named ports resolved), which path.
    static func probes(of container: Object) -> [(kind: String, port: Int?, path: String)] {
        var named: [String: Int] = [:]
        for p in objects(container["ports"]) {
            if let name = string(p["name"]), let port = int(p["containerPort"]) { named[name] = port }
        }
        return ["startupProbe", "readinessProbe", "livenessProbe"].compactMap { kind in
            guard let get = object(object(container[kind])?["httpGet"]) else { return nil }
            let port = int(get["port"]) ?? string(get["port"]).flatMap { named[$0] }
            return (kind, port, string(get["path"]) ?? "/")
        }
    }

    /// The directory a glob starts in: its components up to the first with a wildcard.
    static func literalPrefix(of pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false)
            .prefix { !$0.contains { "*?[".contains($0) } }
            .joined(separator: "/")
    }

    static func glob(_ pattern: String, matches path: String) -> Bool { fnmatch(pattern, path, FNM_PATHNAME) == 0 }

    // MARK: Manifests

    @Test func everyDocumentIsAKubernetesObject() throws {
        let files = try Self.manifestFiles().map(\.lastPathComponent)
        #expect(Set(["namespace-and-rbac.yaml", "daemonset.yaml", "sidecar.yaml"]).isSubset(of: files), "\(files)")
        let documents = try Self.documents()
        var seen = Set<String>()
        for d in documents {
            #expect(!(Self.string(d.object["apiVersion"]) ?? "").isEmpty, "\(d.label) has no apiVersion")
            #expect(!d.kind.isEmpty, "\(d.file): a document without kind")
            #expect(!d.name.isEmpty, "\(d.file): a \(d.kind) without metadata.name")
            #expect(seen.insert("\(d.kind)/\(d.namespace ?? "")/\(d.name)").inserted, "\(d.label) is defined twice")
            // The API takes only strings here; an unquoted `true` or `8888` is refused by kubectl.
            let metadata = Self.object(d.object["metadata"]) ?? [:]
            for field in ["labels", "annotations"] {
                for (key, value) in Self.object(metadata[field]) ?? [:] {
                    #expect(value is String, "\(d.label): metadata.\(field).\(key) is not a string")
                }
            }
            if d.kind == "ConfigMap" {
                for (key, value) in Self.object(d.object["data"]) ?? [:] {
                    #expect(value is String, "\(d.label): data.\(key) is not a string")
                }
            }
        }
        #expect(documents.contains { $0.kind == "Namespace" && $0.name == "observability" })
        #expect(documents.contains { $0.kind == "ServiceAccount" && $0.name == "otelsw" && $0.namespace == "observability" })
        #expect(documents.contains { $0.kind == "DaemonSet" })
    }

    @Test func podsMountOnlyTheirOwnVolumesAndConfigMapsWhole() throws {
        let pods = try Self.documents().compactMap(Self.podTemplate)
        #expect(pods.count >= 2)
        for pod in pods {
            let at = pod.owner.label
            let selector = (Self.object(Self.object(Self.object(pod.owner.object["spec"])?["selector"])?["matchLabels"]) ?? [:])
                .compactMapValues { $0 as? String }
            if pod.owner.kind != "Pod" {
                #expect(!selector.isEmpty && selector.allSatisfy { pod.labels[$0.key] == $0.value }, "\(at): spec.selector does not match the template's labels")
            }
            let volumes = Self.objects(pod.spec["volumes"])
            let names = volumes.compactMap { Self.string($0["name"]) }
            #expect(Set(names).count == names.count, "\(at): two volumes share a name")
            let configMapVolumes = Set(volumes.filter { $0["configMap"] != nil }.compactMap { Self.string($0["name"]) })
            let containerNames = pod.containers.compactMap { Self.string($0["name"]) }
            #expect(Set(containerNames).count == containerNames.count, "\(at): two containers share a name")
            for container in pod.containers {
                let name = Self.string(container["name"]) ?? "?"
                for m in Self.objects(container["volumeMounts"]) {
                    let volume = Self.string(m["name"]) ?? ""
                    #expect(names.contains(volume), "\(at), container \(name): mounts '\(volume)', which the pod does not declare")
                    if configMapVolumes.contains(volume) {
                        #expect(m["subPath"] == nil && m["subPathExpr"] == nil,
                                "\(at), container \(name): ConfigMap volume '\(volume)' is mounted with subPath, which never receives updates")
                    }
                }
                let env = Self.environment(of: container)
                #expect(env.problems.isEmpty, "\(at), container \(name): \(env.problems)")
            }
        }
    }

    @Test func everyAgentRunsAPipelineFileItsConfigMapProvides() throws {
        let documents = try Self.documents()
        let (agents, problems) = Self.agents(in: documents)
        #expect(problems.isEmpty, "\(problems)")
        #expect(agents.contains { $0.pod.owner.kind == "DaemonSet" }, "no DaemonSet runs otelsw")
        #expect(agents.count >= 2, "the node agent and the sidecar")
        // Every pipeline shipped in a ConfigMap is one that some agent runs.
        for configMap in documents where configMap.kind == "ConfigMap" {
            for key in (Self.object(configMap.object["data"]) ?? [:]).keys where key.hasSuffix(".yaml") {
                #expect(agents.contains { $0.configMap.name == configMap.name && $0.configMap.namespace == configMap.namespace && $0.configMapKey == key },
                        "\(configMap.label): \(key) is run by no otelsw container")
            }
        }
    }

    /// Each pipeline through the agent's own strict loader, with exactly the environment its container
    /// gets (so a `${env:VAR}` the pod does not set is a warning, and fails here), and checked
    /// against the pod around it.
    @Test func everyPipelineLoadsAndFitsItsPod() throws {
        let (agents, _) = Self.agents(in: try Self.documents())
        #expect(!agents.isEmpty)
        for agent in agents {
            let at = agent.label
            let config: AgentConfig
            do {
                config = try Self.load(agent)
            } catch {
                Issue.record("\(at): \(error)")
                continue
            }
            let warnings = config.warnings.filter { !(agent.environment.hasEnvFrom && $0.message.hasPrefix("environment variable")) }
            #expect(warnings.isEmpty, "\(at): \(warnings.map(\.description))")

            // The kubelet's probes come to the pod's IP: the telemetry server must listen beyond loopback, on the probed port.
            let telemetry = try #require(HostPort.parse(config.telemetry.metricsAddress), "\(at): service.telemetry address")
            #expect(!Self.isLoopback(telemetry.host), "\(at): service.telemetry listens on \(telemetry), out of the probes' reach")
            let probes = Self.probes(of: agent.container)
            #expect(!probes.isEmpty, "\(at): no HTTP probe")
            for probe in probes {
                #expect(probe.port == telemetry.port, "\(at): \(probe.kind) asks port \(probe.port.map(String.init) ?? "?"), the agent serves \(telemetry.port)")
                #expect(["/metrics", "/healthz"].contains(probe.path), "\(at): \(probe.kind) asks \(probe.path), which the agent does not serve")
            }

            var listening: [HostPort] = []
            var includes: [String] = []
            for receiver in config.receivers {
                if let otlp = receiver.config as? OTLPReceiverConfig {
                    listening += [otlp.grpc?.endpoint, otlp.http?.endpoint].compactMap { $0 }
                } else if let filelog = receiver.config as? FileLogConfig {
                    includes += filelog.include
                }
            }
            // A host port leads to a receiver that listens beyond loopback.
            for port in Self.objects(agent.container["ports"]) where port["hostPort"] != nil {
                let containerPort = Self.int(port["containerPort"]) ?? -1
                #expect(listening.contains { $0.port == containerPort && !Self.isLoopback($0.host) },
                        "\(at): host port for \(containerPort), where no receiver listens beyond loopback")
            }
            // Other containers of the pod that send OTLP to localhost send it where this agent listens.
            for sibling in agent.pod.containers where !Self.isAgent(sibling) {
                for (name, value) in Self.environment(of: sibling).variables where name.hasPrefix("OTEL_EXPORTER_OTLP") && name.hasSuffix("ENDPOINT") {
                    guard let url = URL(string: value), let host = url.host, Self.isLoopback(host) else { continue }
                    let port = url.port ?? (url.scheme == "https" ? 443 : 80)
                    #expect(listening.contains { $0.port == port }, "\(at): \(name)=\(value) of container \(Self.string(sibling["name"]) ?? "?") reaches no receiver")
                }
            }
            // State on a writable volume, so that it survives the container and the read-only root.
            for directory in config.storages.values.map(\.directory) {
                let held = Self.mount(holding: directory, in: agent.container)
                #expect(held != nil && Self.bool(held?.mount["readOnly"]) != true, "\(at): file_storage directory \(directory) is on no writable volume")
            }
            // The files tailed are on a volume.
            for pattern in includes {
                #expect(Self.mount(holding: Self.literalPrefix(of: pattern), in: agent.container) != nil, "\(at): filelog reads \(pattern), on no volume")
            }
        }
    }

    @Test func theNodeAgentRunsOnEveryNodeAndSkipsItsOwnLog() throws {
        let (agents, _) = Self.agents(in: try Self.documents())
        let node = try #require(agents.first { $0.pod.owner.kind == "DaemonSet" }, "no DaemonSet runs otelsw")
        let spec = node.pod.spec
        #expect(Self.objects(spec["tolerations"]).contains { Self.string($0["operator"]) == "Exists" && $0["key"] == nil && $0["effect"] == nil },
                "the DaemonSet does not tolerate every taint, so some nodes would have no agent")
        let podLogs = try #require(Self.objects(spec["volumes"]).first { Self.string(Self.object($0["hostPath"])?["path"]) == "/var/log/pods" },
                                   "no hostPath volume for /var/log/pods")
        let mount = Self.objects(node.container["volumeMounts"]).first { Self.string($0["name"]) == Self.string(podLogs["name"]) }
        #expect(Self.string(mount?["mountPath"]) == "/var/log/pods" && Self.bool(mount?["readOnly"]) == true, "/var/log/pods is not mounted read-only at its own path")
        // The old pod must stop before the new one starts: host ports, and one owner for /var/lib/otelsw.
        let rolling = Self.object(Self.object(Self.object(node.pod.owner.object["spec"])?["updateStrategy"])?["rollingUpdate"])
        let surge = rolling?["maxSurge"]
        #expect(surge == nil || Self.int(surge) == 0 || Self.string(surge) == "0%" || Self.string(surge) == "0", "maxSurge must be 0")

        let config = try Self.load(node)
        let filelog = try #require(config.receivers.lazy.compactMap { $0.config as? FileLogConfig }.first, "the node agent tails no files")
        let uid = "0b1c2d3e-aaaa-4bbb-8ccc-1234567890ab"
        let own = "/var/log/pods/\(node.pod.owner.namespace ?? "default")_\(node.pod.owner.name)-x7k2p_\(uid)/\(node.name)/0.log"
        let other = "/var/log/pods/shop_cart-7d9f8_\(uid)/cart/0.log"
        #expect(filelog.include.contains { Self.glob($0, matches: other) } && !filelog.exclude.contains { Self.glob($0, matches: other) },
                "an application's log \(other) is not read")
        #expect(filelog.exclude.contains { Self.glob($0, matches: own) }, "the agent's own log \(own) is not excluded: it would ship its own output without end")

        for agent in agents {
            // Shutdown drains each exporter queue for up to 10 s before the kubelet's SIGKILL.
            let grace = Self.int(agent.pod.spec["terminationGracePeriodSeconds"]) ?? 30
            #expect(grace >= 15, "\(agent.label): \(grace) s of grace is too short to drain the queues")
            let security = Self.object(agent.container["securityContext"]) ?? [:]
            #expect(Self.bool(security["readOnlyRootFilesystem"]) == true, "\(agent.label): the root filesystem is writable")
            #expect(Self.bool(security["allowPrivilegeEscalation"]) == false, "\(agent.label): privilege escalation is allowed")
            #expect(Self.bool(security["privileged"]) != true, "\(agent.label): privileged")
        }
    }

    @Test func servicesSelectPodsAndTheirPorts() throws {
        let documents = try Self.documents()
        let pods = documents.compactMap(Self.podTemplate)
        let services = documents.filter { $0.kind == "Service" }
        #expect(!services.isEmpty)
        for service in services {
            let spec = Self.object(service.object["spec"]) ?? [:]
            let selector = (Self.object(spec["selector"]) ?? [:]).compactMapValues { $0 as? String }
            let selected = pods.filter { pod in pod.owner.namespace == service.namespace && !selector.isEmpty && selector.allSatisfy { pod.labels[$0.key] == $0.value } }
            #expect(!selected.isEmpty, "\(service.label) selects no pod")
            let containerPorts = selected.flatMap { $0.containers.flatMap { Self.objects($0["ports"]) } }
            let ports = Self.objects(spec["ports"])
            for port in ports {
                let target = port["targetPort"] ?? port["port"]
                let found = containerPorts.contains { p in
                    if let name = Self.string(target) { return Self.string(p["name"]) == name }
                    return Self.int(p["containerPort"]) == Self.int(target)
                }
                #expect(found, "\(service.label): targetPort \(target ?? "?") is no port of the pods it selects")
            }
            let annotations = Self.object(Self.object(service.object["metadata"])?["annotations"]) ?? [:]
            if let scrape = Self.string(annotations["prometheus.io/port"]) {
                #expect(ports.contains { Self.int($0["port"]).map(String.init) == scrape }, "\(service.label): prometheus.io/port \(scrape) is not a port of the Service")
            }
        }
    }

    // MARK: The node agent's pipeline on real files

    struct Record {
        var resource: [String: String]
        var attributes: [String: String]
        var body: String
        var time: String
        var traceID: String
    }

    static func stringAttributes(_ value: Any?) -> [String: String] {
        var out: [String: String] = [:]
        for kv in value as? [[String: Any]] ?? [] {
            if let key = kv["key"] as? String, let v = (kv["value"] as? [String: Any])?["stringValue"] as? String { out[key] = v }
        }
        return out
    }

    /// The log records of a `file` exporter's output (one OTLP/JSON request per line).
    static func records(in path: String) -> [Record] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var out: [Record] = []
        for line in text.split(separator: "\n") {
            guard let request = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            for resourceLogs in request["resourceLogs"] as? [[String: Any]] ?? [] {
                let resource = stringAttributes((resourceLogs["resource"] as? [String: Any])?["attributes"])
                for scopeLogs in resourceLogs["scopeLogs"] as? [[String: Any]] ?? [] {
                    for r in scopeLogs["logRecords"] as? [[String: Any]] ?? [] {
                        out.append(Record(resource: resource, attributes: stringAttributes(r["attributes"]),
                                          body: (r["body"] as? [String: Any])?["stringValue"] as? String ?? "",
                                          time: r["timeUnixNano"] as? String ?? "", traceID: r["traceId"] as? String ?? ""))
                    }
                }
            }
        }
        return out
    }

    /// The pipeline's logs pipeline that tails files, alone: its `filelog` receiver reading
    /// `podLogs` in place of /var/log/pods (in its globs and in the regex on the path alike) from
    /// the beginning, its processors as they are, every `file_storage` in `state`, and a `file`
    /// exporter writing to `output`.
    static func filelogPipelineAlone(_ text: String, podLogs: String, state: String, output: String) throws -> String {
        let original = try #require(try Yams.compose(yaml: text))
        let receivers = try #require(original["receivers"]?.mapping)
        let filelogID = try #require(receivers.keys.compactMap(\.string).first { $0 == "filelog" || $0.hasPrefix("filelog/") })
        let pipelines = try #require(original["service"]?["pipelines"]?.mapping)
        let logs = try #require(pipelines.values.first { ($0["receivers"]?.array().compactMap(\.string) ?? []).contains(filelogID) })
        let processorIDs = logs["processors"]?.array().compactMap(\.string) ?? []

        var filelog = try #require(original["receivers"]?[filelogID])
        filelog["start_at"] = Node("beginning")
        var processors: [(Node, Node)] = []
        for id in processorIDs {
            processors.append((Node(id), try #require(original["processors"]?[id])))
        }
        var extensions: [(Node, Node)] = []
        if let declared = original["extensions"]?.mapping {
            for (key, value) in declared {
                var ext = value
                if key.string?.hasPrefix("file_storage") == true { ext["directory"] = Node(state) }
                extensions.append((key, ext))
            }
        }
        var root: [(Node, Node)] = []
        if !extensions.isEmpty { root.append((Node("extensions"), Node(extensions))) }
        root.append((Node("receivers"), Node([(Node(filelogID), filelog)])))
        if !processors.isEmpty { root.append((Node("processors"), Node(processors))) }
        root.append((Node("exporters"), Node([(Node("file"), Node([(Node("path"), Node(output))]))])))
        var service: [(Node, Node)] = []
        if let enabled = original["service"]?["extensions"] { service.append((Node("extensions"), enabled)) }
        let pipeline: [(Node, Node)] = [
            (Node("receivers"), Node([Node(filelogID)])),
            (Node("processors"), Node(processorIDs.map { Node($0) })),
            (Node("exporters"), Node([Node("file")])),
        ]
        service.append((Node("pipelines"), Node([(Node("logs"), Node(pipeline))])))
        root.append((Node("service"), Node(service)))
        return try Yams.serialize(node: Node(root), width: -1).replacingOccurrences(of: "/var/log/pods", with: podLogs)
    }

    /// The node agent's own pipeline, on files laid out as the kubelet does: the CRI line is parsed
    /// (time, stream, text), the pod comes from the path, the node from the downward API, a trace id
    /// in the text becomes the record's, and the agent's own log is not read.
    @Test func theNodeAgentTurnsAContainerLogLineIntoARecordOfItsPod() async throws {
        let (agents, _) = Self.agents(in: try Self.documents())
        let node = try #require(agents.first { $0.pod.owner.kind == "DaemonSet" }, "no DaemonSet runs otelsw")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-k8s-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let pods = work + "/pods", state = work + "/state", output = work + "/records.jsonl"
        let yaml = try Self.filelogPipelineAlone(node.pipeline, podLogs: pods, state: state, output: output)

        let uid = "0b1c2d3e-aaaa-4bbb-8ccc-1234567890ab"
        let cart = "\(pods)/shop_cart-7d9f8_\(uid)/cart"
        let own = "\(pods)/\(node.pod.owner.namespace ?? "default")_\(node.pod.owner.name)-x7k2p_\(UUID().uuidString.lowercased())/\(node.name)"
        for dir in [cart, own, state] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let json = #"{"level":"info","msg":"charged","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"}"#
        try "2024-05-01T10:00:00.123456789Z stdout F \(json)\n2024-05-01T10:00:01.5+02:00 stderr F card declined\n"
            .write(toFile: cart + "/0.log", atomically: true, encoding: .utf8)
        try "2024-05-01T10:00:02Z stdout F the agent's own line\n".write(toFile: own + "/0.log", atomically: true, encoding: .utf8)

        let agent = try await TestAgent(yaml: yaml, environment: node.environment.variables)
        await eventually(timeout: .seconds(20), every: .milliseconds(100)) {
            Self.records(in: output).contains { $0.body == "card declined" }
        }
        // A line added to the cart's file after that: the poll that reads it globs the agent's own
        // file too, which, were it not excluded, would have been read by then (records leave in order).
        let marker = "written after the first lines arrived"
        let cartLog = try #require(FileHandle(forWritingAtPath: cart + "/0.log"))
        try cartLog.seekToEnd()
        try cartLog.write(contentsOf: Data("2024-05-01T10:00:03Z stdout F \(marker)\n".utf8))
        try cartLog.close()
        await eventually(timeout: .seconds(20), every: .milliseconds(100)) {
            Self.records(in: output).contains { $0.body == marker }
        }
        await agent.stop()

        let records = Self.records(in: output)
        #expect(records.map(\.body) == [json, "card declined", marker], "\(records.map(\.body))")
        #expect(!records.contains { $0.body == "the agent's own line" }, "the agent's own log is excluded")
        for record in records {
            #expect(record.resource["k8s.namespace.name"] == "shop")
            #expect(record.resource["k8s.pod.name"] == "cart-7d9f8")
            #expect(record.resource["k8s.pod.uid"] == uid)
            #expect(record.resource["k8s.container.name"] == "cart")
            #expect(record.resource["k8s.node.name"] == Self.downward["spec.nodeName"], "the node's name from the downward API")
        }
        let first = try #require(records.first)
        #expect(first.time == "1714557600123456789")
        #expect(first.attributes["log.iostream"] == "stdout")
        #expect(first.traceID == "4bf92f3577b34da6a3ce929d0e0e4736", "the trace id in the line")
        let second = try #require(records.dropFirst().first)
        #expect(second.time == "1714550401500000000", "a time with an offset")
        #expect(second.attributes["log.iostream"] == "stderr")
    }

    // MARK: systemd

    /// The unit's settings by section, in file order; a key given twice appears twice.
    static func unitSettings() throws -> [String: [(key: String, value: String)]] {
        var sections: [String: [(key: String, value: String)]] = [:]
        var current = ""
        for raw in try String(contentsOf: unit, encoding: .utf8).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast())
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            sections[current, default: []].append((String(line[..<eq]).trimmingCharacters(in: .whitespaces),
                                                   String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)))
        }
        return sections
    }

    @Test func theSystemdUnitStartsAndReloadsOnePipelineFile() throws {
        let settings = try Self.unitSettings()
        let service = settings["Service"] ?? []
        func values(_ key: String) -> [String] { service.filter { $0.key == key }.map(\.value) }

        let start = try #require(values("ExecStart").last, "no ExecStart").split(separator: " ").map(String.init)
        #expect(start.first == "/usr/local/bin/otelsw")
        let file = try #require(start.firstIndex(of: "--pipeline").flatMap { $0 + 1 < start.count ? start[$0 + 1] : nil }, "ExecStart has no --pipeline FILE")
        #expect(file == "/etc/otelsw/pipeline.yaml")
        #expect(!start.contains("--watch=false"))

        let reload = values("ExecReload")
        #expect(reload.contains { command in
            let words = command.split(separator: " ").map(String.init)
            return (words.first?.hasSuffix("kill") ?? false) && words.contains("$MAINPID")
                && (words.contains("-HUP") || words.contains("-SIGHUP") || words.contains("-1") || words.joined(separator: " ").contains("-s HUP"))
        }, "no ExecReload sends SIGHUP to the agent: \(reload)")
        for command in reload where command.contains("otelsw") {
            #expect(command.contains("--pipeline \(file)"), "\(command) does not check the file the agent runs")
        }

        #expect(values("Restart") == ["on-failure"])
        #expect(values("StateDirectory") == ["otelsw"], "file_storage needs a state directory that outlives restarts")
        #expect(values("NoNewPrivileges") == ["yes"])
        #expect(values("ProtectSystem") == ["strict"])
        #expect(values("ProtectHome") == ["yes"] || values("ProtectHome") == ["read-only"])
        #expect(values("PrivateTmp") == ["yes"])
        #expect(!values("User").isEmpty || values("DynamicUser") == ["yes"], "the agent must not run as root")
        #expect((values("LimitNOFILE").last.flatMap { Int($0) } ?? 0) >= 4096)
        let stop = try #require(values("TimeoutStopSec").last, "no TimeoutStopSec")
        let seconds = Int(stop) ?? parseDuration(stop.replacingOccurrences(of: "min", with: "m")).map { Int($0.components.seconds) }
        #expect((seconds ?? 0) >= 15, "TimeoutStopSec=\(stop) is shorter than the exporters' 10 s drain")
        #expect(settings["Install"]?.contains { $0.key == "WantedBy" } == true)
    }

    /// `systemd-analyze verify` exits 0 even for unknown keys and unparsable values, so every line it
    /// prints about the unit counts. It also checks that each command exists; the agent is not
    /// installed here, so the unit is verified as a copy whose commands run /bin/true.
    @Test(.enabled(if: AlertingConfigTests.locate("systemd-analyze") != nil && FileManager.default.isExecutableFile(atPath: "/bin/true")))
    func systemdAnalyzeVerifiesTheUnit() throws {
        let tool = try #require(AlertingConfigTests.locate("systemd-analyze"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        #expect(text.contains("/usr/local/bin/otelsw"))
        let copy = dir.appendingPathComponent("otelsw.service")
        try text.replacingOccurrences(of: "/usr/local/bin/otelsw", with: "/bin/true").write(to: copy, atomically: true, encoding: .utf8)
        let result = try AlertingConfigTests.run(tool, ["verify", copy.path], in: dir)
        #expect(result.status == 0, "\(result.output)")
        let complaints = result.output.split(separator: "\n").filter { $0.contains("otelsw.service") }
        #expect(complaints.isEmpty, "\(complaints)")
    }
}
