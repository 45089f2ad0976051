/// The parts of `GET /api/v1/targets` the cross-check reads.
struct TargetsResponse: Decodable {
    struct Active: Decodable {
        var discoveredLabels: [String: String]
        var labels: [String: String]
    }

    struct Dropped: Decodable {
        var discoveredLabels: [String: String]
    }

    struct Payload: Decodable {
        var activeTargets: [Active]
        var droppedTargets: [Dropped]
    }

    var status: String
    var data: Payload
}
