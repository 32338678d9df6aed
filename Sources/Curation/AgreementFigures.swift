// A reported statistic: its value (or why it has none) and a confidence interval.
import Stats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an interval was obtained.
public enum IntervalMethod: String, Sendable, Equatable {
    /// Wilson's score interval for a proportion (Wilson 1927), closed form.
    case wilson
    /// Percentile bootstrap over items (Stats.Bootstrap, seeded, so reruns agree).
    case bootstrap
    /// No interval: the statistic is undefined, or the items exceed the bootstrap limit.
    case none
}

/// A statistic with its interval. An undefined statistic carries its reason and no
/// interval; it is never reported as 0 or 1.
public struct Figure: Sendable, Equatable {
    public var estimate: Estimate
    public var lower: Double?
    public var upper: Double?
    public var method: IntervalMethod

    public init(_ estimate: Estimate, lower: Double? = nil, upper: Double? = nil, method: IntervalMethod = .none) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.method = lower == nil || upper == nil ? .none : method
    }

    /// The value, or nil when undefined.
    public var value: Double? { estimate.value }

    /// `successes / trials` with Wilson's score interval at `confidence`:
    /// centre (p̂ + z²/2n) / (1 + z²/n), half-width z √(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n),
    /// z the standard normal quantile at (1 + confidence)/2. Undefined with `reason` when
    /// `trials` is 0.
    public static func proportion(_ successes: Int, of trials: Int, confidence: Double,
                                  else reason: Undefined = .emptyDenominator) -> Figure {
        guard trials > 0 else { return Figure(.undefined(reason)) }
        let n = Double(trials), p = Double(successes) / n
        let z = normalQuantile((1 + confidence) / 2)
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return Figure(.defined(p), lower: max(0, centre - half), upper: min(1, centre + half), method: .wilson)
    }

    /// A percentile bootstrap result as a figure (bounds only when defined).
    init(_ interval: BootstrapInterval) {
        self.init(interval.estimate, lower: interval.lower.value, upper: interval.upper.value, method: .bootstrap)
    }
}

/// The standard normal quantile Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation
/// (relative error below 1.2e-9) refined by one Halley step on erfc, which brings it to
/// machine precision. Returns ±infinity at 0 and 1, NaN outside [0, 1].
func normalQuantile(_ p: Double) -> Double {
    guard p > 0, p < 1 else { return p == 0 ? -.infinity : p == 1 ? .infinity : .nan }
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
        let q = (-2 * log(p)).squareRoot()
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
        let q = p - 0.5, r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
        let q = (-2 * log(1 - p)).squareRoot()
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
}
