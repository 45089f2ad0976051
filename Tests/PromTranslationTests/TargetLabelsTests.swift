import Testing

@testable import PromTranslation

@Suite struct TargetLabelsTests {
    @Test(arguments: [
        ("cart", "shop", "shop/cart"),
        ("cart", nil, "cart"),
        ("cart", "", "cart"),
        (nil, "shop", nil),
        ("", "shop", nil),
        (nil, nil, nil),
    ] as [(String?, String?, String?)])
    func job(_ name: String?, _ namespace: String?, _ expected: String?) {
        #expect(TargetLabels.job(serviceName: name, serviceNamespace: namespace) == expected)
    }

    @Test func instance() {
        #expect(TargetLabels.instance(serviceInstanceID: "host-1:8080") == "host-1:8080")
        #expect(TargetLabels.instance(serviceInstanceID: nil) == "")
    }

    @Test(arguments: [
        ("service.name", false), ("service.namespace", false), ("service.instance.id", false),
        ("service.version", true), ("host.name", true), ("k8s.pod.name", true), ("service_name", true),
        ("Service.name", true),
    ])
    func targetInfoMembership(_ key: String, _ belongs: Bool) {
        #expect(TargetLabels.belongsToTargetInfo(key) == belongs)
    }

    @Test func splitsAResource() {
        let resource: [(key: String, value: String)] = [
            ("host.name", "node-1"), ("service.name", "cart"), ("service.instance.id", "cart-7"),
            ("service.namespace", "shop"), ("service.version", "1.2.0"),
        ]
        let split = TargetLabels.split(resource)
        #expect(split.job == "shop/cart")
        #expect(split.instance == "cart-7")
        #expect(split.targetInfo.map(\.key) == ["host.name", "service.version"])
        #expect(split.targetInfo.map(\.value) == ["node-1", "1.2.0"])
    }

    @Test func serviceOnlyResourceHasNoTargetInfo() {
        let split = TargetLabels.split([(key: "service.name", value: "cart")])
        #expect(split.job == "cart")
        #expect(split.instance == "")
        #expect(split.targetInfo.isEmpty)
        #expect(TargetLabels.targetInfoMetricName == "target_info")
    }
}
