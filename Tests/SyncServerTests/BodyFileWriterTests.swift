import Foundation
import Testing

@testable import SyncServer

#if canImport(Glibc)
    import Glibc
#endif

/// A PATCH body written through `BodyFileWriter` lands whole and in order whatever its size and
/// however it was cut into pieces; with direct writes its whole blocks never enter the page
/// cache, and the descriptor is left as it was found.
@Suite struct BodyFileWriterTests {
    /// A file in a folder of its own (on the data disk, as a server's data folder would be).
    private func withFile(_ body: (URL) throws -> Void) throws {
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(".build/body-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder.appendingPathComponent("part"))
    }

    private func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ $0 / 4099) }
    }

    /// Writes `body` from `start` in pieces of `piece` bytes; answers whether it went direct.
    private func write(_ body: [UInt8], to url: URL, from start: Int, piece: Int, direct: Bool) throws -> Bool {
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes(start, seed: 9)))
        let handle = try FileHandle(forUpdating: url)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(start))
        let writer = BodyFileWriter(handle, direct: direct)
        let wentDirect = writer.writesDirect
        try body.withUnsafeBytes { all in
            var at = 0
            while at < all.count {
                let n = min(piece, all.count - at)
                try writer.append(UnsafeRawBufferPointer(rebasing: all[at..<at + n]))
                at += n
            }
        }
        try writer.finish()
        #expect(fcntl(handle.fileDescriptor, F_GETFL) & BodyFileWriter.oDirect == 0)
        try handle.synchronize()
        return wentDirect
    }

    @Test(arguments: [0, 1, 4095, 4096, 262_143, 262_144, 262_145, 1_048_576 + 123])
    func everyByteLandsInOrder(size: Int) throws {
        try withFile { url throws in
            let body = bytes(size, seed: UInt8(size % 251))
            for piece in [16_384, 1000, 300_000] {
                #expect(try write(body, to: url, from: 0, piece: piece, direct: true))
                #expect(try [UInt8](Data(contentsOf: url)) == body)
            }
            #expect(!(try write(body, to: url, from: 0, piece: 16_384, direct: false)))
            #expect(try [UInt8](Data(contentsOf: url)) == body)
        }
    }

    /// Past an offset that is not a whole number of blocks the body goes through the page cache,
    /// after the bytes already there.
    @Test func anUnalignedPositionIsWrittenThroughTheCache() throws {
        try withFile { url throws in
            let body = bytes(300_001, seed: 3)
            #expect(!(try write(body, to: url, from: 1000, piece: 16_384, direct: true)))
            #expect(try [UInt8](Data(contentsOf: url)) == bytes(1000, seed: 9) + body)
            #expect(try write(body, to: url, from: 8192, piece: 16_384, direct: true))
            #expect(try [UInt8](Data(contentsOf: url)) == bytes(8192, seed: 9) + body)
        }
    }

    /// The point of direct writes: a body's whole blocks are not left in the page cache (only
    /// the tail shorter than a block is), where a cached write leaves every page resident.
    @Test func directBlocksStayOutOfThePageCache() throws {
        try withFile { url throws in
            let size = 1_048_576 + 100
            let pages = (size + 4095) / 4096
            #expect(try write(bytes(size, seed: 1), to: url, from: 0, piece: 16_384, direct: true))
            #expect(try residentPages(url, count: pages) <= 1)
            #expect(!(try write(bytes(size, seed: 1), to: url, from: 0, piece: 16_384, direct: false)))
            #expect(try residentPages(url, count: pages) == pages)
        }
    }

    private func residentPages(_ url: URL, count: Int) throws -> Int {
        let fd = open(url.path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let length = count * 4096
        let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0)
        try #require(map != MAP_FAILED)
        defer { munmap(map, length) }
        var vector = [UInt8](repeating: 0, count: count)
        try #require(mincore(map, length, &vector) == 0)
        return vector.filter { $0 & 1 != 0 }.count
    }
}
