import Foundation

/// `google.rpc.Status`: the body of OTLP error responses (otlp.md §4), with the `RetryInfo` delay
/// when the server sent one.
public struct RPCStatus: Sendable, Equatable {
    public var code: Int32
    public var message: String
    /// `google.rpc.RetryInfo.retry_delay` from `details`, when present.
    public var retryDelay: Duration?

    static let retryInfoType = "type.googleapis.com/google.rpc.RetryInfo"

    public init(code: Int32, message: String, retryDelay: Duration? = nil) {
        self.code = code
        self.message = message
        self.retryDelay = retryDelay
    }

    public func protobufBytes() -> [UInt8] {
        var w = ProtoWriter(capacity: 64 + message.utf8.count)
        if let delay = retryDelay {
            let any = w.written
            let info = w.written
            let duration = w.written
            let c = delay.components
            w.int32Field(0x10, Int32(c.attoseconds / 1_000_000_000))
            w.varintField(0x08, UInt64(bitPattern: c.seconds))
            w.closeMessage(tag: 0x0A, mark: duration)   // RetryInfo.retry_delay
            w.closeMessage(tag: 0x12, mark: info)       // Any.value
            w.bytesField(0x0A, ByteString(Self.retryInfoType))
            w.closeMessage(tag: 0x1A, mark: any)        // Status.details
        }
        w.bytesField(0x12, ByteString(message))
        w.int32Field(0x08, code)
        return w.finish()
    }

    /// `{"code":N,"message":"..."}` (RetryInfo is not rendered in JSON).
    public func jsonBytes() -> [UInt8] {
        var out = Array("{\"code\":\(code),\"message\":".utf8)
        out.append(UInt8(ascii: "\""))
        for u in message.unicodeScalars {
            switch u {
            case "\"": out += Array("\\\"".utf8)
            case "\\": out += Array("\\\\".utf8)
            case "\n": out += Array("\\n".utf8)
            case _ where u.value < 0x20: out += Array(String(format: "\\u%04x", u.value).utf8)
            default: out += Array(String(u).utf8)
            }
        }
        out += Array("\"}".utf8)
        return out
    }

    /// Decodes a `google.rpc.Status`; nil when the bytes are not one.
    public init?(protobuf bytes: [UInt8]) {
        guard !bytes.isEmpty else { return nil }
        let storage = ByteStorage(copying: bytes)
        var r = ProtoReader(storage: storage)
        var code: Int32 = 0
        var message = ""
        var delay: Duration?
        do {
            while !r.isAtEnd {
                let tag = try r.readTag()
                switch tag {
                case 0x08: code = try r.readInt32()
                case 0x12: message = try r.readBytes().string
                case 0x1A:
                    var any = try r.readMessage()
                    var type = ByteString.empty
                    var value: ProtoReader?
                    while !any.isAtEnd {
                        let t = try any.readTag()
                        switch t {
                        case 0x0A: type = try any.readBytes()
                        case 0x12: value = try any.readMessage()
                        default: try any.skip(tag: t)
                        }
                    }
                    if type.string == Self.retryInfoType, var info = value {
                        while !info.isAtEnd {
                            let t = try info.readTag()
                            if t == 0x0A {
                                var d = try info.readMessage()
                                var seconds: Int64 = 0
                                var nanos: Int32 = 0
                                while !d.isAtEnd {
                                    let dt = try d.readTag()
                                    switch dt {
                                    case 0x08: seconds = Int64(bitPattern: try d.readVarint())
                                    case 0x10: nanos = try d.readInt32()
                                    default: try d.skip(tag: dt)
                                    }
                                }
                                delay = .seconds(seconds) + .nanoseconds(Int64(nanos))
                            } else {
                                try info.skip(tag: t)
                            }
                        }
                    }
                default: try r.skip(tag: tag)
                }
            }
        } catch {
            return nil
        }
        self.init(code: code, message: message, retryDelay: delay)
    }
}

/// The `partial_success` of an `Export*ServiceResponse`: how many items the server rejected and why.
public struct ExportPartialSuccess: Sendable, Equatable {
    public var rejected: Int64
    public var errorMessage: String

    public init(rejected: Int64 = 0, errorMessage: String = "") {
        self.rejected = rejected
        self.errorMessage = errorMessage
    }

    /// Decodes the response body; nil when it has no partial_success (full success).
    public init?(responseProtobuf bytes: [UInt8]) {
        guard !bytes.isEmpty else { return nil }
        var r = ProtoReader(storage: ByteStorage(copying: bytes))
        var found: ExportPartialSuccess?
        do {
            while !r.isAtEnd {
                let tag = try r.readTag()
                if tag == 0x0A {
                    var m = try r.readMessage()
                    var p = ExportPartialSuccess()
                    while !m.isAtEnd {
                        let t = try m.readTag()
                        switch t {
                        case 0x08: p.rejected = Int64(bitPattern: try m.readVarint())
                        case 0x12: p.errorMessage = try m.readBytes().string
                        default: try m.skip(tag: t)
                        }
                    }
                    found = p
                } else {
                    try r.skip(tag: tag)
                }
            }
        } catch {
            return nil
        }
        guard let found else { return nil }
        self = found
    }

    /// Encodes an `Export*ServiceResponse` carrying this partial success.
    public func responseProtobufBytes() -> [UInt8] {
        var w = ProtoWriter(capacity: 64 + errorMessage.utf8.count)
        let mark = w.written
        w.bytesField(0x12, ByteString(errorMessage))
        w.varintField(0x08, UInt64(bitPattern: rejected))
        w.closeMessage(tag: 0x0A, mark: mark)
        return w.finish()
    }
}
