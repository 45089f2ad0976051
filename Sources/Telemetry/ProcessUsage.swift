import Foundation

/// CPU time and resident memory of this process.
public struct ProcessUsage: Sendable {
    public var cpuSeconds: Double
    public var rssBytes: Int
    public var peakRSSBytes: Int

    public static func current() -> ProcessUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let rss = Int(ProcFS.residentBytes() ?? 0)
        var peak = Int(usage.ru_maxrss) * 1024
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") { peak = kib(line) }
        }
        return ProcessUsage(cpuSeconds: cpu, rssBytes: rss, peakRSSBytes: peak)
    }

    private static func kib(_ line: Substring) -> Int {
        (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}

