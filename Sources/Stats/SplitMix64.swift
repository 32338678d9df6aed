// A tiny seeded generator whose output is identical on every platform.

/// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference `splitmix64.c`):
/// `state += 0x9E3779B97F4A7C15`, output `mix(state)`. The n-th output (0-based) of a
/// generator seeded with s is `SplitMix64.value(seed: s, index: n)`, which lets other
/// languages reproduce any stream (see scripts/bench_krippendorff.py).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= SplitMix64.gamma
        return SplitMix64.mix(state)
    }

    /// The output at position `index` of the stream seeded with `seed`.
    public static func value(seed: UInt64, index: UInt64) -> UInt64 {
        mix(seed &+ (index &+ 1) &* gamma)
    }

    /// A uniform integer in 0..<bound (Lemire's multiply-shift; bias below 2⁻³² for
    /// bounds under 2³²), the same on every platform.
    public mutating func index(below bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    static func mix(_ seed: UInt64) -> UInt64 {
        var z = seed
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
