// The value of a statistic, or the reason it has none.

// The C math library (sqrt, floor, round behind squareRoot() and rounded()) is linked
// through the platform module, so a client that imports only Stats still links.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The result of a statistic: a number, or an explicit "undefined" with the reason.
///
/// An undefined statistic is never reported as 0 or 1: a κ of 0 means "chance agreement",
/// which is a finding; a κ that cannot be computed is not.
public enum Estimate: Sendable, Equatable, CustomStringConvertible {
    case defined(Double)
    case undefined(Undefined)

    /// The number, or nil when the statistic is undefined.
    public var value: Double? {
        if case .defined(let value) = self { return value }
        return nil
    }

    /// Why the statistic is undefined, or nil when it is defined.
    public var undefinedReason: Undefined? {
        if case .undefined(let reason) = self { return reason }
        return nil
    }

    public var description: String {
        switch self {
        case .defined(let value): return "\(value)"
        case .undefined(let reason): return "undefined (\(reason.description))"
        }
    }

    /// `numerator / denominator`, undefined with `reason` when the denominator is zero.
    static func ratio(_ numerator: Double, _ denominator: Double, else reason: Undefined) -> Estimate {
        denominator == 0 ? .undefined(reason) : .defined(numerator / denominator)
    }
}

/// Why a statistic has no value.
public enum Undefined: String, Sendable, Equatable, CustomStringConvertible {
    /// No item carries the ratings the statistic compares: no item has two ratings
    /// (multi-rater statistics) or no item was rated by both raters (pairwise statistics).
    case noPairedItems
    /// Chance agreement is total, so the chance-corrected coefficient is 0/0: every
    /// compared rating falls in one category (or the scale has fewer than two labels),
    /// or, for a rank correlation, one side is constant.
    case singleCategory
    /// Fleiss' κ needs every rated item to carry the same number of ratings.
    case unequalRatingCounts
    /// A proportion whose denominator is empty, e.g. precision when the judge never
    /// gave the positive label, or recall when the reference never did.
    case emptyDenominator

    public var description: String {
        switch self {
        case .noPairedItems: return "no item has two ratings to compare"
        case .singleCategory: return "all compared ratings fall in one category"
        case .unequalRatingCounts: return "items carry different numbers of ratings"
        case .emptyDenominator: return "the denominator counts no item"
        }
    }
}
