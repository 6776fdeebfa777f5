import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, and the same sequence for a seed everywhere, so
/// a failing draw is replayed from the seed its test prints. Every test that draws random input
/// uses it; none uses the system generator.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The seed from the environment variable `name` when set (to replay a failure), else
    /// `value`; printed either way so a failing run's log names it.
    public init(environment name: String, default value: UInt64) {
        let seed = ProcessInfo.processInfo.environment[name].flatMap { UInt64($0) } ?? value
        print("\(name)=\(seed)")
        self.init(seed: seed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
    public mutating func bytes(_ n: Int) -> Data { Data((0..<n).map { _ in UInt8.random(in: 0...255, using: &self) }) }
    public mutating func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(int(0...9))) }) }
    public mutating func hex(_ n: Int) -> String { String((0..<n).map { _ in pick(Array("0123456789abcdef")) }) }
    public mutating func uuid() -> String {
        "\(hex(8))-\(hex(4))-4\(hex(3))-\(pick(["8", "9", "a", "b"]))\(hex(3))-\(hex(12))"
    }

    /// "seed 0x…" for failure messages.
    public var label: String { "seed 0x" + String(seed, radix: 16) }
}
