import Glibc

/// Byte comparisons for hot paths: `memcmp`, with no generic sequence walking and no shared
/// arrays (whose reference counts two threads would both touch).
public enum Bytes {
    public static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }  // both empty
        return memcmp(x, y, a.count) == 0
    }

    public static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        equal(UnsafeRawBufferPointer(a), UnsafeRawBufferPointer(b))
    }

    /// Whether `a` holds the UTF-8 text of `s`.
    public static func equal(_ a: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        equal(UnsafeRawBufferPointer(a), UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Bytes as a dictionary key, hashed in one call (an array of bytes as a key is hashed
    /// byte by byte: recording an export's label sets spent a fifth of its time there).
    public struct Key: Hashable, Sendable {
        public let bytes: [UInt8]

        public init(_ bytes: [UInt8]) { self.bytes = bytes }

        public func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }

        public static func == (a: Key, b: Key) -> Bool {
            a.bytes.withUnsafeBytes { x in b.bytes.withUnsafeBytes { y in Bytes.equal(x, y) } }
        }
    }
}
