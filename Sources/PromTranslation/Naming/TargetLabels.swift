/// The resource rules of spec "OTLP Metric points to Prometheus", Resource Attributes: `job` and `instance`
/// from the service triplet, everything else to the `target_info` metric.
public enum TargetLabels {
    /// The info metric carrying the other resource attributes (a gauge of value 1 where Info is unsupported).
    public static let targetInfoMetricName = "target_info"

    public static let serviceNameKey = "service.name"
    public static let serviceNamespaceKey = "service.namespace"
    public static let serviceInstanceIDKey = "service.instance.id"

    /// `job`: `<service.namespace>/<service.name>`, or `<service.name>` when the namespace is missing or empty;
    /// `nil` (no `job` label) when `service.name` is missing or empty.
    public static func job(serviceName: String?, serviceNamespace: String?) -> String? {
        guard let serviceName, !serviceName.isEmpty else { return nil }
        guard let serviceNamespace, !serviceNamespace.isEmpty else { return serviceName }
        return serviceNamespace + "/" + serviceName
    }

    /// `instance`: `service.instance.id`, or `""` when missing (which Prometheus reads as no label).
    public static func instance(serviceInstanceID: String?) -> String {
        serviceInstanceID ?? ""
    }

    /// Whether a resource attribute belongs on `target_info`: every key except `service.name`,
    /// `service.namespace` and `service.instance.id` (compared byte for byte).
    public static func belongsToTargetInfo(_ key: String) -> Bool {
        !(equalUTF8(key, serviceNameKey) || equalUTF8(key, serviceNamespaceKey)
            || equalUTF8(key, serviceInstanceIDKey))
    }

    /// Splits stringified resource attributes into `job`, `instance` and the `target_info` attributes (in their
    /// original order, keys unsanitised). An empty `targetInfo` means no `target_info` series is written.
    public static func split<Attributes: Sequence>(
        _ attributes: Attributes
    ) -> (job: String?, instance: String, targetInfo: [(key: String, value: String)])
    where Attributes.Element == (key: String, value: String) {
        var serviceName: String?
        var serviceNamespace: String?
        var serviceInstanceID: String?
        var targetInfo: [(key: String, value: String)] = []
        for (key, value) in attributes {
            if equalUTF8(key, serviceNameKey) {
                serviceName = value
            } else if equalUTF8(key, serviceNamespaceKey) {
                serviceNamespace = value
            } else if equalUTF8(key, serviceInstanceIDKey) {
                serviceInstanceID = value
            } else {
                targetInfo.append((key, value))
            }
        }
        return (
            job(serviceName: serviceName, serviceNamespace: serviceNamespace),
            instance(serviceInstanceID: serviceInstanceID),
            targetInfo
        )
    }
}
