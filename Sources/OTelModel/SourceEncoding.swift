/// The protobuf request a payload was decoded from, kept while the payload is unchanged so that it
/// can be written out again (to a persistent queue, or to a backend) without encoding it.
///
/// Any change to the payload forgets it. It is a cache, so it never takes part in equality: a payload
/// decoded from bytes equals the same payload built in memory.
public struct SourceEncoding: Sendable, Equatable {
    public let storage: ByteStorage?

    public init(_ storage: ByteStorage? = nil) { self.storage = storage }

    public static func == (_: SourceEncoding, _: SourceEncoding) -> Bool { true }
}
