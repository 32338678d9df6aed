// `--by week`: ISO 8601 weeks by arithmetic, no calendar per row.

/// ISO 8601 weeks (UTC), computed by arithmetic and cached per day.
struct ISOWeeks {
    private var cache: [Int: (key: String, monday: String)] = [:]

    /// The week of `time` (seconds since 1970): key "2025-W25" and its Monday "2025-06-16".
    mutating func week(of time: Double) -> (key: String, monday: String) { week(ofMonday: Self.monday(of: time)) }

    /// The Monday starting the week of `time`, in days since 1970-01-01 (a Thursday).
    static func monday(of time: Double) -> Int {
        guard time.isFinite, abs(time) < 1e15 else { return -3 }  // not a time: the week of 1970-01-01
        let day = Int((time / 86_400).rounded(.down))
        return day - ((day % 7 + 7 + 3) % 7)
    }

    /// The week starting on `monday` (days since 1970).
    mutating func week(ofMonday monday: Int) -> (key: String, monday: String) {
        if let hit = cache[monday] { return hit }
        let thursday = Self.civil(monday + 3)
        let january1 = Self.days(year: thursday.year, month: 1, day: 1)
        let week = (monday + 3 - january1) / 7 + 1
        let m = Self.civil(monday)
        let result = (key: "\(thursday.year)-W\(week < 10 ? "0" : "")\(week)",
                      monday: "\(m.year)-\(Self.two(m.month))-\(Self.two(m.day))")
        cache[monday] = result
        return result
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Hinnant's algorithm).
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// (year, month, day) → days since 1970-01-01.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
