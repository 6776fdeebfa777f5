import Foundation

/// The built products (`sync-server`, `member-cli`): beside the test bundle
/// (`.build/debug/<Package>PackageTests.xctest`) or beside the benchmark binary.
public enum Binaries {
    public static let directory: URL = {
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = own.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("member-cli").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    public static var memberCLI: String { directory.appendingPathComponent("member-cli").path }
    public static var syncServer: String { directory.appendingPathComponent("sync-server").path }
}
