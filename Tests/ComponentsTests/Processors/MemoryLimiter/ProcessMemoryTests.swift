@testable import Components
import Foundation
import Testing

/// `ProcessMemory` on copies of `/proc` and `/sys/fs/cgroup` laid out as Linux lays them out, and on
/// the real ones.
@Suite struct ProcessMemoryTests {
    /// A temporary root with `files` (paths relative to it) written.
    final class Tree {
        let root: String

        init(_ files: [String: String]) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("memtree-\(UUID().uuidString)").path
            for (path, text) in files {
                let url = URL(fileURLWithPath: root + "/" + path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: false, encoding: .utf8)
            }
        }

        var memory: ProcessMemory { ProcessMemory(procRoot: root + "/proc", cgroupRoot: root + "/cgroup") }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    static let meminfo = "MemTotal:       24684096 kB\nMemFree:         1000000 kB\n"
    static let memTotal: UInt64 = 24_684_096 * 1024

    @Test func residentSetFromStatm() throws {
        let tree = try Tree(["proc/self/statm": "765 438 410 5 0 123 0\n"])
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        #expect(tree.memory.usedBytes() == 438 * page)
    }

    @Test func withoutACgroupLimitTheTotalIsPhysicalMemory() throws {
        let tree = try Tree([
            "proc/meminfo": Self.meminfo,
            "proc/self/cgroup": "0::/\n",
            "cgroup/memory.max": "max\n",
        ])
        #expect(tree.memory.totalBytes() == Self.memTotal)
    }

    @Test func cgroupV2LimitOfTheProcessOrAnAncestor() throws {
        let own = try Tree([
            "proc/meminfo": Self.meminfo,
            "proc/self/cgroup": "0::/system.slice/otelsw.service\n",
            "cgroup/system.slice/otelsw.service/memory.max": "536870912\n",
            "cgroup/system.slice/memory.max": "max\n",
        ])
        #expect(own.memory.totalBytes() == 512 << 20)

        let parent = try Tree([
            "proc/meminfo": Self.meminfo,
            "proc/self/cgroup": "0::/kubepods/pod1/ctr\n",
            "cgroup/kubepods/pod1/ctr/memory.max": "max\n",
            "cgroup/kubepods/pod1/memory.max": "268435456\n",
            "cgroup/kubepods/memory.max": "1073741824\n",
        ])
        #expect(parent.memory.totalBytes() == 256 << 20)

        // A container with its own cgroup namespace sees `/` and its limit at the mount's root.
        let namespaced = try Tree([
            "proc/meminfo": Self.meminfo,
            "proc/self/cgroup": "0::/\n",
            "cgroup/memory.max": "104857600\n",
        ])
        #expect(namespaced.memory.totalBytes() == 100 << 20)
    }

    @Test func cgroupV1HierarchicalLimit() throws {
        let tree = try Tree([
            "proc/meminfo": Self.meminfo,
            "proc/self/cgroup": "9:name=systemd:/\n4:memory:/docker/abc\n1:cpu:/\n",
            "cgroup/memory/docker/abc/memory.stat": "cache 0\nhierarchical_memory_limit 209715200\nhierarchical_memsw_limit 9223372036854771712\n",
            "cgroup/memory/docker/abc/memory.limit_in_bytes": "9223372036854771712\n",
        ])
        #expect(tree.memory.totalBytes() == 200 << 20)

        // v1's "no limit" is a huge number; a limit above physical memory does not count either.
        let unlimited = try Tree([
            "proc/meminfo": Self.meminfo,
            "proc/self/cgroup": "4:memory:/\n",
            "cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
        ])
        #expect(unlimited.memory.totalBytes() == Self.memTotal)
        let above = try Tree([
            "proc/meminfo": Self.meminfo,
            "proc/self/cgroup": "4:memory:/x\n",
            "cgroup/memory/memory.limit_in_bytes": "\(Self.memTotal * 2)\n",
        ])
        #expect(above.memory.totalBytes() == Self.memTotal)
    }

    @Test func nothingReadableMeansUnknown() throws {
        let tree = try Tree([:])
        #expect(tree.memory.totalBytes() == nil)
        #expect(tree.memory.usedBytes() == 0)
    }

    @Test func theRealProcess() {
        let memory = ProcessMemory()
        let used = memory.usedBytes()
        #expect(used > 1 << 20)
        let total = memory.totalBytes()
        #expect(total != nil && total! > used)
        memory.releaseFreeMemory()
    }
}
