import Testing

@testable import MemberCore

/// How the uploader sizes its next chunk from the last one's rate (a pure rule).
@Suite struct ChunkSizeTests {
    let range = (1 << 20)...(10 << 20)

    @Test func aFastLinkSendsTheRestInOneChunk() {
        // 1 MiB in 10 ms: about 100 MB/s, capped at a whole material.
        #expect(TusUploader.nextChunkSize(after: 1 << 20, seconds: 0.01, current: 1 << 20, range: range) == 10 << 20)
    }

    @Test func aModerateLinkGetsAboutOneSecondsWorth() {
        // 1 MiB in 0.25 s: 4 MiB a second.
        #expect(TusUploader.nextChunkSize(after: 1 << 20, seconds: 0.25, current: 1 << 20, range: range) == 4 << 20)
        // 4 MiB that took two seconds: back to 2 MiB.
        #expect(TusUploader.nextChunkSize(after: 4 << 20, seconds: 2, current: 4 << 20, range: range) == 2 << 20)
    }

    @Test func aSlowLinkNeverGoesBelowTheFirstChunk() {
        #expect(TusUploader.nextChunkSize(after: 1 << 20, seconds: 30, current: 1 << 20, range: range) == 1 << 20)
    }

    @Test func aShortLastChunkChangesNothing() {
        #expect(TusUploader.nextChunkSize(after: 1000, seconds: 0.001, current: 2 << 20, range: range) == 2 << 20)
    }

    @Test func withoutAChunkSizeChunksMayGrowToAWholeMaterial() {
        let grown = SyncOptions()
        #expect(grown.chunkSize == 1 << 20 && grown.maxChunkSize == 10 << 20)
        let fixed = SyncOptions(chunkSize: 64 << 10)
        #expect(fixed.chunkSize == 64 << 10 && fixed.maxChunkSize == 64 << 10)
    }
}
