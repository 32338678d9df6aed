// Compact per-sample tables an export keeps while it reads.
import Domain

/// Sample keys seen in earlier exports, as a bitmap (dense keys) with a set for outliers.
struct PKSet {
    private var bits: [UInt64] = []
    private var sparse: Set<Int64> = []

    mutating func insert(_ pk: Int64) {
        if pk >= 0 && pk < 1 << 28 {
            let i = Int(pk >> 6)
            if i >= bits.count { bits.append(contentsOf: repeatElement(0, count: i + 1 - bits.count)) }
            bits[i] |= 1 << UInt64(pk & 63)
        } else {
            sparse.insert(pk)
        }
    }

    func contains(_ pk: Int64) -> Bool {
        if pk >= 0 && pk < 1 << 28 {
            let i = Int(pk >> 6)
            return i < bits.count && bits[i] & (1 << UInt64(pk & 63)) != 0
        }
        return sparse.contains(pk)
    }
}

/// Final labels of many samples, one byte per dimension: label position + 1 in the low five
/// bits, the source's position + 1 in the high three (0: no label). Dense by sample key when
/// keys are (they are row ids), else a dictionary.
struct LabelTable {
    let stride: Int
    private var dense: [UInt8]
    private var sparse: [Int64: [UInt8]] = [:]
    private let isDense: Bool

    /// A table for samples with keys in `keys`: an array from key 0 up when keys are row ids
    /// of a store of up to 64M samples, else a dictionary.
    init(stride: Int, keys: ClosedRange<Int64>) {
        self.stride = max(stride, 1)
        isDense = keys.lowerBound >= 0 && keys.upperBound < 1 << 26
        dense = isDense ? [UInt8](repeating: 0, count: (Int(keys.upperBound) + 1) * self.stride) : []
    }

    mutating func set(_ pk: Int64, _ labels: [FinalLabel?]) {
        var codes = [UInt8](repeating: 0, count: stride)
        for (d, l) in labels.enumerated() where d < stride {
            guard let l, l.label < 31, let s = LabelSource.allCases.firstIndex(of: l.source) else { continue }
            codes[d] = UInt8(l.label + 1) | UInt8(s + 1) << 5
        }
        if isDense, pk >= 0, Int(pk) * stride < dense.count {
            for d in 0..<stride { dense[Int(pk) * stride + d] = codes[d] }
        } else {
            sparse[pk] = codes
        }
    }

    /// The codes of a sample, or nil when it has no final label.
    func get(_ pk: Int64) -> [UInt8]? {
        if isDense, pk >= 0, Int(pk) * stride < dense.count {
            let slice = dense[(Int(pk) * stride)..<(Int(pk) * stride + stride)]
            return slice.allSatisfy { $0 == 0 } ? nil : Array(slice)
        }
        return sparse[pk]
    }

    func decode(_ codes: [UInt8], rubric: Rubric) -> [FinalLabel?] {
        rubric.dimensions.indices.map { d in
            guard d < codes.count, codes[d] != 0 else { return nil }
            let label = Int(codes[d] & 31) - 1, source = Int(codes[d] >> 5) - 1
            guard LabelSource.allCases.indices.contains(source), rubric.dimensions[d].labels.indices.contains(label) else { return nil }
            return FinalLabel(label: label, source: LabelSource.allCases[source], judgeVersionID: nil)
        }
    }
}

/// Bytes made once per (task, dimension, label) of an export's rubrics, kept in one buffer:
/// a row appends them with no nested arrays to retain and release.
struct LabelFragments {
    private let bytes: [UInt8]
    /// Flat: per label, its range of `bytes`; where each dimension's labels start; where each
    /// task's dimensions start.
    private let ranges: [Range<Int>]
    private let dimensionStarts: [Int]
    private let taskStarts: [Int]

    init(rubrics: [Rubric], _ make: (Dimension, RubricLabel) -> [UInt8]) {
        var bytes: [UInt8] = [], ranges: [Range<Int>] = [], dimensionStarts: [Int] = [], taskStarts: [Int] = []
        for r in rubrics {
            taskStarts.append(dimensionStarts.count)
            for d in r.dimensions {
                dimensionStarts.append(ranges.count)
                for l in d.labels {
                    let start = bytes.count
                    bytes.append(contentsOf: make(d, l))
                    ranges.append(start..<bytes.count)
                }
            }
        }
        (self.bytes, self.ranges, self.dimensionStarts, self.taskStarts) = (bytes, ranges, dimensionStarts, taskStarts)
    }

    /// Appends the bytes of label `l` of dimension `d` of the `t`-th rubric.
    func append(task t: Int, dimension d: Int, label l: Int, to out: inout [UInt8]) {
        let r = ranges[dimensionStarts[taskStarts[t] + d] + l]
        bytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[r])) }
    }
}
