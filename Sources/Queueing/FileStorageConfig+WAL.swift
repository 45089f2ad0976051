import Configuration
import PipelineCore

extension FileStorageConfig {
    /// The log options for one exporter's queue of one signal, in its own subdirectory.
    public func walOptions(exporter: ComponentID, signal: Signal) -> WriteAheadLog.Options {
        let name = "\(exporter)".map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }
        var o = WriteAheadLog.Options(directory: directory + "/" + String(name) + "-" + signal.rawValue)
        o.capacityBytes = maxSizeMiB << 20
        o.segmentSize = min(segmentSizeMiB << 20, o.capacityBytes)
        o.fsync = fsync ? .everyRecord : .interval(fsyncInterval)
        o.memoryCacheBytes = memoryCacheMiB << 20
        return o
    }
}
