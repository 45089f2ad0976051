import Foundation
import Logging
import OTelModel
import PipelineCore
import Prometheus
import Telemetry

/// Finds the files to follow at each poll and tells them apart across rotations.
///
/// Each poll globs `include` minus `exclude`, opens every match and reads its fingerprint, then pairs
/// matches with the files it already follows:
/// 1. by inode, when the content still begins the same way — the same file, possibly renamed; when
///    the content differs or the file got shorter than what was read, it was truncated or rewritten in
///    place and is read again from the start;
/// 2. by content, for a file whose inode was just truncated: a match holding the same first bytes is
///    the copy `copytruncate` made, and reading goes on there where it stopped;
/// 3. otherwise it is a new file, read from the beginning (or, at the very first poll with no
///    checkpoints and `start_at: end`, from its end).
/// A followed file that no match names any more was deleted or moved away: it is finished through its
/// open descriptor and closed once it has been quiet for a while. A match with the same first bytes
/// as a followed file but another inode waits a little (it may be a copy about to be truncated).
final class FileTailer {
    let config: FileLogConfig
    let counters: FileLogCounters
    let logger: Logger
    private let includes: [FileGlob]
    private let excludes: [FileGlob]
    private(set) var files: [TailedFile] = []
    /// Checkpoints of files not open yet (loaded at start), matched at the next polls.
    private var remembered: [CheckpointStore.Entry]
    /// Followed files closed to stay within `max_concurrent_files`, until their turn comes again.
    private var parked: [CheckpointStore.Entry] = []
    private let hadCheckpoints: Bool
    private var firstPoll = true
    private var polls = 0
    /// Matches held back as possible copies, by device and inode, with the poll they were first seen.
    private var heldBack: [FileKey: Int] = [:]
    /// Extra attributes from the config, added to every record.
    private let extraAttributes: [KeyValue]

    private struct FileKey: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private struct Match {
        let path: String
        let file: OpenFile
        let fingerprint: [UInt8]
        var fresh = false
    }

    init(config: FileLogConfig, checkpoints: [CheckpointStore.Entry]?, counters: FileLogCounters, logger: Logger) {
        self.config = config
        self.counters = counters
        self.logger = logger
        includes = config.include.map(FileGlob.init)
        excludes = config.exclude.map(FileGlob.init)
        remembered = checkpoints ?? []
        hadCheckpoints = checkpoints != nil
        extraAttributes = config.attributes.map { KeyValue($0.0, $0.1) }
    }

    deinit { for f in files { f.close() } }

    /// Finds this poll's files. Returns the files to read now: those at a matching path and those
    /// being finished after a rotation.
    func poll(now: UInt64, wallClock: Double) -> [TailedFile] {
        polls += 1
        defer { firstPoll = false }
        let (matches, allPaths) = discover(wallClock: wallClock)
        let window = Set(matches.map(\.path))
        for f in files { f.matched = false }
        var unmatched: [Match] = []
        var replacedEntries: [CheckpointStore.Entry] = []

        // 1. The same inode.
        for var m in matches {
            if let f = files.first(where: { !$0.matched && $0.status != .replaced && $0.identity.device == m.file.device && $0.identity.inode == m.file.inode }) {
                if f.identity.sameContent(as: m.fingerprint) && m.file.size >= f.readOffset {
                    f.matched = true
                    f.status = .active
                    if f.path != m.path {
                        f.path = m.path
                        counters.event("rotated")
                    }
                    if m.fingerprint.count > f.identity.fingerprint.count { f.identity.fingerprint = m.fingerprint }
                    m.file.close()
                    continue
                }
                f.status = .replaced
                f.replacedAt = polls
                f.close()
                counters.event("truncated")
                logger.warning("file truncated or rewritten in place; reading it again from the start", metadata: ["path": "\(m.path)", "read_up_to": "\(f.readOffset)"])
                m.fresh = true
                unmatched.append(m)
                continue
            }
            let sameInode = { (e: CheckpointStore.Entry) in e.identity.device == m.file.device && e.identity.inode == m.file.inode }
            if let entry = parked.firstIndex(where: sameInode).map({ parked.remove(at: $0) }) ?? remembered.firstIndex(where: sameInode).map({ remembered.remove(at: $0) }) {
                if entry.identity.sameContent(as: m.fingerprint) && m.file.size >= entry.offset {
                    follow(m, offset: entry.offset, now: now)
                    continue
                }
                replacedEntries.append(entry)
                m.fresh = true
            }
            unmatched.append(m)
        }

        // A followed file no match named may have been truncated to nothing (empty files are not
        // matched): its descriptor tells.
        for f in files where !f.matched && f.status != .replaced {
            if let s = OpenFile.stat(f.fd), s.size < f.readOffset {
                f.status = .replaced
                f.replacedAt = polls
                f.close()
                counters.event("truncated")
                logger.warning("file truncated in place", metadata: ["path": "\(f.path)", "read_up_to": "\(f.readOffset)"])
            }
        }

        // 2. The same content in another inode: the copy of a file truncated in place.
        for m in unmatched {
            if !m.fresh {
                if let f = files.first(where: { $0.status == .replaced && $0.identity.sameContent(as: m.fingerprint) && m.file.size >= $0.readOffset }) {
                    f.follow(m.file, path: m.path, fingerprint: m.fingerprint.count >= f.identity.fingerprint.count ? m.fingerprint : f.identity.fingerprint, attributes: attributes(m.path))
                    f.matched = true
                    counters.event("copy_followed")
                    logger.info("following the copy of a truncated file", metadata: ["path": "\(m.path)", "offset": "\(f.readOffset)"])
                    continue
                }
                let strong = { (e: CheckpointStore.Entry) in
                    e.identity.fingerprint.count >= self.config.fingerprintSize && e.identity.sameContent(as: m.fingerprint) && m.file.size >= e.offset
                }
                if let i = replacedEntries.firstIndex(where: strong) {
                    follow(m, offset: replacedEntries.remove(at: i).offset, now: now)
                    continue
                }
                if firstPoll, let i = remembered.firstIndex(where: strong) {
                    follow(m, offset: remembered.remove(at: i).offset, now: now)
                    continue
                }
                // Another inode starting like a followed file: possibly a copy about to be truncated.
                let key = FileKey(device: m.file.device, inode: m.file.inode)
                if files.contains(where: { $0.matched && $0.identity.sameContent(as: m.fingerprint) }) {
                    let first = heldBack[key] ?? polls
                    heldBack[key] = first
                    if polls - first < Self.holdPolls {
                        m.file.close()
                        continue
                    }
                }
                heldBack[key] = nil
            }
            let fromEnd = firstPoll && !hadCheckpoints && !config.startAtBeginning && !m.fresh
            follow(m, offset: fromEnd ? m.file.size : 0, now: now)
        }

        // 3. Followed files no match names any more. A truncated file is kept a few polls in case
        //    its copy shows up late (a copy made while this poll listed the directory). Files whose
        //    turn this was not (more than `max_concurrent_files` match) are closed once all they
        //    hold was accepted, and parked until their turn comes again.
        files.removeAll { f in
            if f.matched { return false }
            if f.status == .replaced { return polls - f.replacedAt >= Self.holdPolls }
            if allPaths.contains(f.path), !window.contains(f.path), let s = FileStatus.of(path: f.path),
               s.device == f.identity.device, s.inode == f.identity.inode {
                // Still there under its name; only not its turn.
                if f.status == .active, f.consumed == f.settled, !f.splitter.isHolding, f.readOffset == f.consumed {
                    parked.append(CheckpointStore.Entry(identity: f.identity, offset: f.settled, path: f.path))
                    f.close()
                    return true
                }
                return false
            }
            if f.status == .active {
                f.status = .lost
                f.lastData = max(f.lastData, now)
            }
            return false
        }
        if polls % 16 == 0 { heldBack = heldBack.filter { polls - $0.value < 64 } }
        // Checkpoints of files not found again are kept for a few polls, then forgotten.
        if polls > Self.holdPolls { remembered.removeAll() }
        // Parked files that no longer match (renamed away, deleted) are forgotten once they outnumber
        // the matching paths.
        if parked.count > allPaths.count { parked.removeAll { !allPaths.contains($0.path) } }
        counters.files.set(Double(files.count { $0.status != .replaced }))
        return files.filter { $0.status != .replaced }
    }

    /// Closes lost files that have been quiet for `quiet` ns and whose records were all accepted.
    func closeFinished(now: UInt64, quiet: UInt64) {
        files.removeAll { f in
            guard f.status == .lost, now &- f.lastData >= quiet, f.consumed == f.settled, !f.splitter.isHolding else { return false }
            f.close()
            counters.event("closed")
            return true
        }
        counters.files.set(Double(files.count { $0.status != .replaced }))
    }

    /// The checkpoints to save: every followed file, and remembered ones not matched yet.
    func checkpoints() -> [CheckpointStore.Entry] {
        files.filter { $0.status != .replaced }.map { CheckpointStore.Entry(identity: $0.identity, offset: $0.settled, path: $0.path) } + parked + remembered
    }

    /// Matches have a few polls to stop looking like a copy of a followed file.
    static let holdPolls = 5

    // MARK: Pieces

    private func follow(_ m: Match, offset: Int64, now: UInt64) {
        let identity = FileIdentity(device: m.file.device, inode: m.file.inode, fingerprint: m.fingerprint)
        let f = TailedFile(path: m.path, identity: identity, fd: m.file.fd, offset: offset, settings: config.splitterSettings, now: now, attributes: attributes(m.path))
        f.matched = true
        files.append(f)
        counters.event("opened")
    }

    private func attributes(_ path: String) -> Attributes {
        var list = extraAttributes
        if config.includeFileName { list.append(KeyValue("log.file.name", (path as NSString).lastPathComponent)) }
        if config.includeFilePath { list.append(KeyValue("log.file.path", path)) }
        return Attributes(list)
    }

    /// Every regular file matching `include` and not `exclude`, opened, with its fingerprint; empty
    /// files, files older than `exclude_older_than`, second names of one inode, and files beyond
    /// `max_concurrent_files` (taking turns) are left out. Also every matching path.
    private func discover(wallClock: Double) -> (matches: [Match], allPaths: Set<String>) {
        var seen = Set<String>()
        var paths: [String] = []
        for glob in includes {
            for path in glob.expand() where !seen.contains(path) && !excludes.contains(where: { $0.matches(path) }) {
                seen.insert(path)
                paths.append(path)
            }
        }
        let allPaths = seen
        if paths.count > config.maxConcurrentFiles {
            // Take turns: a different window of the sorted list at each poll.
            let start = (polls * config.maxConcurrentFiles) % paths.count
            paths = Array((paths[start...] + paths[..<start]).prefix(config.maxConcurrentFiles))
        }
        var inodes = Set<FileKey>()
        var out: [Match] = []
        for path in paths {
            guard let file = OpenFile.open(path) else { continue }
            let key = FileKey(device: file.device, inode: file.inode)
            let tooOld = config.excludeOlderThan.map { wallClock - file.modified > Double($0.components.seconds) } ?? false
            if file.size == 0 || tooOld || inodes.contains(key) {
                file.close()
                continue
            }
            inodes.insert(key)
            out.append(Match(path: path, file: file, fingerprint: file.prefix(config.fingerprintSize)))
        }
        return (out, allPaths)
    }
}
