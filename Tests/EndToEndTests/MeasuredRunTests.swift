import Foundation
import TestSupport
import Testing

/// `runMeasured` (the bench's P2 and P6 client figures) reports the child's own peak memory,
/// not the measuring process's: `wait4`'s `ru_maxrss` would not do, since exec keeps the
/// high-water mark of the memory the child had before it (a copy of the parent's) in it.
@Suite struct MeasuredRunTests {
    @Test func thePeakIsTheChildsOwn() throws {
        // dd reads through one 64 MiB buffer four times, so all of it is resident for a while.
        let large = try runMeasured("/bin/dd", ["if=/dev/zero", "of=/dev/null", "bs=64M", "count=4"], timeout: 60)
        #expect(large.status == 0)
        #expect(large.peak >= 64 << 20)
        #expect(large.peak < 512 << 20)
        // Far below this test process's own peak (some tens of MB).
        let small = try runMeasured("/bin/sleep", ["0.2"], timeout: 60)
        #expect(small.status == 0)
        #expect(small.peak > 0)
        #expect(small.peak < 16 << 20)
    }
}
