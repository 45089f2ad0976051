import PipelineCore

/// A component's configuration. Configs are plain values read by their factory.
public protocol ComponentConfig: Sendable {}

/// A configuration that names a `file_storage` extension (a receiver keeping checkpoints there); the
/// loader checks that the extension exists and is enabled.
public protocol StorageReferencing {
    var storageReference: (id: ComponentID, location: SourceLocation?)? { get }
}

/// A configuration with settings that fit only some signals (a processor's matching rules for spans,
/// logs or metrics): for each signal of a pipeline that lists the component, the loader reports what
/// does not fit it.
public protocol SignalSpecificConfig {
    func problems(for signal: Signal) -> [(message: String, location: SourceLocation)]
}

/// An exporter's configuration always carries the queue and retry settings shared by all exporters.
public protocol ExporterConfig: ComponentConfig {
    var queue: QueueSettings { get }
    var retry: RetrySettings { get }
}
