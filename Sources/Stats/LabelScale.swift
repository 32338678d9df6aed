// The labels a dimension can take, in their order, with numbers for interval statistics.

/// The full, ordered set of labels of one dimension, including labels nobody used.
///
/// The order matters for weighted κ (label positions), ordinal α and rank correlations;
/// `values` give the numbers used by interval α, Spearman's ρ and Kendall's τ-b.
/// Values default to the positions 0, 1, …, k−1, which is right for evenly spaced scales
/// (interval α and both rank correlations are unchanged by any increasing affine map).
public struct LabelScale: Sendable, Equatable {
    /// The labels in scale order.
    public let labels: [String]
    /// One number per label, strictly increasing in scale order.
    public let values: [Double]
    private let codes: [String: Int]

    /// A scale over `labels` in the given order.
    /// - Throws: `StatsError.duplicateLabel` when a label repeats,
    ///   `StatsError.invalidScaleValues` when `values` has the wrong count, is not finite,
    ///   or is not strictly increasing.
    public init(_ labels: [String], values: [Double]? = nil) throws {
        var codes: [String: Int] = [:]
        for (index, label) in labels.enumerated() {
            guard codes.updateValue(index, forKey: label) == nil else {
                throw StatsError.duplicateLabel(label)
            }
        }
        let values = values ?? labels.indices.map(Double.init)
        guard values.count == labels.count, values.allSatisfy(\.isFinite),
              zip(values, values.dropFirst()).allSatisfy({ $0 < $1 })
        else { throw StatsError.invalidScaleValues(labels: labels.count, values: values.count) }
        self.labels = labels
        self.values = values
        self.codes = codes
    }

    /// The number of labels, used or not.
    public var count: Int { labels.count }

    /// The position of `label` in the scale, or nil when it is not on the scale.
    public func code(of label: String) -> Int? { codes[label] }
}

/// Invalid input to the statistics module. Descriptions may quote ids and labels from the
/// data: sanitise them before they reach a terminal.
public enum StatsError: Error, Equatable, CustomStringConvertible {
    case duplicateLabel(String)
    case invalidScaleValues(labels: Int, values: Int)
    case unknownLabel(String, item: String, rater: String)
    case duplicateRating(item: String, rater: String)
    case unknownRater(String)
    case duplicateRater(String)
    case invalidCodes(String)
    case invalidParameter(String)

    public var description: String {
        switch self {
        case .duplicateLabel(let label):
            return "label \"\(label)\" appears twice in the scale"
        case .invalidScaleValues(let labels, let values):
            return "scale values must be \(labels) finite, strictly increasing numbers (got \(values))"
        case .unknownLabel(let label, let item, let rater):
            return "label \"\(label)\" of rater \"\(rater)\" on item \"\(item)\" is not on the scale"
        case .duplicateRating(let item, let rater):
            return "rater \"\(rater)\" rated item \"\(item)\" more than once"
        case .unknownRater(let rater):
            return "no rater \"\(rater)\" in these ratings"
        case .duplicateRater(let rater):
            return "rater \"\(rater)\" is listed twice"
        case .invalidCodes(let reason):
            return "invalid rating codes: \(reason)"
        case .invalidParameter(let reason):
            return reason
        }
    }
}
