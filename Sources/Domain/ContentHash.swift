/// MurmurHash3 x64 128-bit (Austin Appleby, public domain): a fast, well-distributed hash
/// for content identity (is this user context, this sample, the same as before?). Not a
/// cryptographic hash: nothing here defends against a crafted collision, and nothing needs to.
public struct ContentHash: Sendable {
    private var h1: UInt64
    private var h2: UInt64
    private var tail: [UInt8] = []
    private var length = 0

    public init(seed: UInt64 = 0) { h1 = seed; h2 = seed; tail.reserveCapacity(16) }

    private static let c1: UInt64 = 0x87c3_7b91_1142_53d5
    private static let c2: UInt64 = 0x4cf5_ad43_2745_937f

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) private static func fmix(_ k: UInt64) -> UInt64 {
        var k = k
        k ^= k >> 33; k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33; k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    @inline(__always) private mutating func block(_ k1: UInt64, _ k2: UInt64) {
        var k1 = k1 &* Self.c1; k1 = Self.rotl(k1, 31); k1 &*= Self.c2; h1 ^= k1
        h1 = Self.rotl(h1, 27); h1 &+= h2; h1 = h1 &* 5 &+ 0x52dc_e729
        var k2 = k2 &* Self.c2; k2 = Self.rotl(k2, 33); k2 &*= Self.c1; h2 ^= k2
        h2 = Self.rotl(h2, 31); h2 &+= h1; h2 = h2 &* 5 &+ 0x3849_5ab5
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length += bytes.count
        var i = 0
        // Finish a partial block first.
        while !tail.isEmpty, tail.count < 16, i < bytes.count { tail.append(bytes[i]); i += 1 }
        if tail.count == 16 {
            tail.withUnsafeBytes { block($0.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian,
                                         $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian) }
            tail.removeAll(keepingCapacity: true)
        }
        while i + 16 <= bytes.count {
            block(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian,
                  bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self).littleEndian)
            i += 16
        }
        while i < bytes.count { tail.append(bytes[i]); i += 1 }
    }

    public mutating func update(_ text: String) {
        var t = text
        t.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The 128-bit digest as 32 lower-case hex digits.
    public mutating func finalize() -> String {
        var k1: UInt64 = 0, k2: UInt64 = 0
        for (j, b) in tail.enumerated() {
            if j < 8 { k1 |= UInt64(b) << (8 * UInt64(j)) } else { k2 |= UInt64(b) << (8 * UInt64(j - 8)) }
        }
        if tail.count > 8 { k2 &*= Self.c2; k2 = Self.rotl(k2, 33); k2 &*= Self.c1; h2 ^= k2 }
        if !tail.isEmpty { k1 &*= Self.c1; k1 = Self.rotl(k1, 31); k1 &*= Self.c2; h1 ^= k1 }
        h1 ^= UInt64(length); h2 ^= UInt64(length)
        h1 &+= h2; h2 &+= h1
        h1 = Self.fmix(h1); h2 = Self.fmix(h2)
        h1 &+= h2; h2 &+= h1
        var bytes: [UInt8] = []
        for v in [h1, h2] { for s in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(s)))) } }
        return Hex.string(bytes)
    }

    public static func hex(_ text: String) -> String {
        var h = ContentHash()
        h.update(text)
        return h.finalize()
    }
}
