@testable import Components
import Foundation
import Testing

@Suite struct FileGlobTests {
    @Test func globsMatchFilesInDirectoriesAndBelow() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("otelsw-glob-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in ["a.log", "b.txt", "sub/c.log", "sub/deep/d.log", "sub/deep/e.log.1"] {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: full, contents: Data("x\n".utf8)))
        }
        #expect(FileGlob(root + "/*.log").expand() == [root + "/a.log"])
        #expect(FileGlob(root + "/**/*.log").expand() == [root + "/a.log", root + "/sub/c.log", root + "/sub/deep/d.log"])
        #expect(FileGlob(root + "/sub/*/*.log*").expand() == [root + "/sub/deep/d.log", root + "/sub/deep/e.log.1"])
        #expect(FileGlob(root + "/sub/c.log").expand() == [root + "/sub/c.log"])
        #expect(FileGlob(root + "/nothing/*.log").expand().isEmpty)
        #expect(FileGlob("/var/**/*.1").matches("/var/log/x/app.1"))
        #expect(!FileGlob("/var/log/*.log").matches("/var/log/x/app.log"))
    }
}
