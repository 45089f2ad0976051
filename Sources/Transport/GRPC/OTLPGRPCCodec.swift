import GRPCCore
import OTelModel
import PipelineCore

/// What the OTLP/gRPC receiver and exporter share: the three `Export` methods and the message codecs
/// that plug our protobuf codec into gRPC (no swift-protobuf).
public enum OTLPGRPC {
    /// The unary `Export` method of a signal's collector service (otlp.md §1).
    public static func exportMethod(_ signal: Signal) -> MethodDescriptor {
        let service = switch signal {
        case .traces: "opentelemetry.proto.collector.trace.v1.TraceService"
        case .metrics: "opentelemetry.proto.collector.metrics.v1.MetricsService"
        case .logs: "opentelemetry.proto.collector.logs.v1.LogsService"
        }
        return MethodDescriptor(fullyQualifiedService: service, method: "Export", type: .unary)
    }

    /// The `grpc-status-details-bin` trailer: a serialized `google.rpc.Status` (otlp.md §2, §4).
    public static let statusDetailsKey = "grpc-status-details-bin"

    /// An error whose trailers also carry the status as `google.rpc.Status`, with `RetryInfo` when given.
    public static func error(_ code: RPCError.Code, _ message: String, retryAfter: Duration? = nil) -> RPCError {
        var metadata = Metadata()
        let status = RPCStatus(code: Int32(code.rawValue), message: message, retryDelay: retryAfter)
        metadata.addBinary(status.protobufBytes(), forKey: statusDetailsKey)
        return RPCError(code: code, message: message, metadata: metadata)
    }

    /// The `google.rpc.Status` a server put in the trailers of a failed call, if any.
    public static func statusDetails(of error: RPCError) -> RPCStatus? {
        error.metadata[binaryValues: statusDetailsKey].first { _ in true }.flatMap { RPCStatus(protobuf: $0) }
    }
}

/// Encodes an `Export*ServiceRequest`. It has the wire format of `TracesData` / `MetricsData` /
/// `LogsData` (field 1: repeated resource_*), so the payload's own encoding is the request.
public struct OTLPRequestSerializer<D: SignalData>: MessageSerializer {
    public init() {}

    public func serialize<Bytes: GRPCContiguousBytes>(_ message: D) throws -> Bytes {
        Bytes(message.protobufBytes())
    }
}

/// Decodes an `Export*ServiceRequest`; malformed bytes are `INVALID_ARGUMENT`, a message (after
/// decompression) larger than `maxBytes` is `RESOURCE_EXHAUSTED`.
public struct OTLPRequestDeserializer<D: SignalData>: MessageDeserializer {
    public var maxBytes = Int.max

    public init(maxBytes: Int = .max) { self.maxBytes = maxBytes }

    public func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> D {
        guard serializedMessageBytes.count <= maxBytes else {
            throw RPCError(code: .resourceExhausted, message: "message of \(serializedMessageBytes.count) bytes exceeds the limit of \(maxBytes) bytes")
        }
        let storage = serializedMessageBytes.withUnsafeBytes { ByteStorage(copying: $0) }
        do {
            return try D(protobuf: storage)
        } catch {
            throw RPCError(code: .invalidArgument, message: "malformed \(D.signal.rawValue) export request: \(error)")
        }
    }
}

/// An `Export*ServiceResponse`: empty (zero bytes) on full success, or with a `partial_success`.
public struct OTLPExportResponse: Sendable {
    public var partialSuccess: ExportPartialSuccess?

    public init(partialSuccess: ExportPartialSuccess? = nil) { self.partialSuccess = partialSuccess }
}

public struct OTLPResponseSerializer: MessageSerializer {
    public init() {}

    public func serialize<Bytes: GRPCContiguousBytes>(_ message: OTLPExportResponse) throws -> Bytes {
        Bytes(message.partialSuccess?.responseProtobufBytes() ?? [])
    }
}

public struct OTLPResponseDeserializer: MessageDeserializer {
    public init() {}

    public func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> OTLPExportResponse {
        let bytes = serializedMessageBytes.withUnsafeBytes { Array($0) }
        return OTLPExportResponse(partialSuccess: ExportPartialSuccess(responseProtobuf: bytes))
    }
}
