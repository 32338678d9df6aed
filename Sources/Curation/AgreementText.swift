// `recjudge stats` on a terminal: the report as aligned tables. Numbers have three decimals,
// intervals sit on the line below their figures, and an undefined statistic reads "undefined".
import Stats

extension AgreementReport {
    /// The report as lines of text. `width` measures a string in terminal columns (pass the
    /// terminal toolkit's; the default counts CJK as two). Names from the data are printed
    /// as they are: the caller sanitises each line before it reaches a terminal.
    public func text(width: (String) -> Int = approximateWidth) -> [String] {
        var out: [String] = []
        let c = options.consensus
        out.append("session \(session) · \(percent(options.confidence)) intervals on the line below each figure")
        out.append("consensus: the label with at least \(percent(c.minimumAgreement)) of the annotators' votes and more than any other"
                   + (c.minimumAnnotators > 1 ? ", from \(c.minimumAnnotators) annotators or more" : "")
                   + (c.adjudicationDecides ? "; a lead's adjudication decides" : ""))
        if tasks.isEmpty { out.append("no tasks") }
        for task in tasks { out.append(""); out += text(task, width: width) }
        return out
    }

    private func text(_ t: TaskAgreement, width: (String) -> Int) -> [String] {
        var out = ["task \(t.task) — rubric v\(t.rubricVersion) — \(t.samples) samples"]
        if t.ignoredLabels > 0 {
            out.append("  \(t.ignoredLabels) current labels name a dimension or label this rubric no longer has; left out")
        }
        // A one-dimension rubric: "every dimension passes" would repeat the dimension.
        var t = t
        if t.dimensions.count == 2 {
            t.dimensions.removeAll { $0.isAll }
            for g in t.groups.indices { t.groups[g].dimensions.removeAll { $0.isAll } }
        }
        guard t.dimensions.contains(where: { $0.items > 0 }) else {
            out.append("  no human labels yet (import decisions with `recjudge import SESSION FILE --labels`)")
            return out
        }
        out.append("")
        out += humansTable(t.dimensions, width: width)
        out.append("")
        out += labelLines(t.dimensions, width: width)
        let pairs = t.dimensions.filter { !$0.humans.pairs.isEmpty }
        if !pairs.isEmpty {
            out.append("")
            out.append("  annotator pairs (Cohen's κ on the items both labelled)")
            var table = Table(["dimension", "pair", "items", "%agree", "κ"])
            for d in pairs {
                for p in d.humans.pairs {
                    table.add([name(d), "\(p.first) · \(p.second)", "\(p.items)", num(p.percentAgreement), num(p.cohensKappa)],
                              intervals: ["", "", "", ci(p.percentAgreement), ci(p.cohensKappa)])
                }
            }
            out += table.lines(width)
        }
        let versions = t.dimensions.first?.judges.map(\.judge) ?? []
        for (j, version) in versions.enumerated() {
            out.append("")
            out.append("  judge \(version.judge) [\(version.kind)\(version.model.map { " · \($0)" } ?? "")] version \(version.version) against the human consensus (pass is positive)")
            out += judgeTable(t.dimensions.compactMap { d in d.judges.indices.contains(j) ? (d, d.judges[j]) : nil },
                              first: "dimension", width: width)
        }
        if versions.isEmpty { out.append(""); out.append("  no judge verdicts for this task yet") }
        if !t.annotators.isEmpty {
            out.append("")
            out += annotatorTable(t.annotators, width: width)
        }
        if !t.groups.isEmpty {
            out.append("")
            out += groupLines(t.groups, width: width)
        }
        return out
    }

    private func humansTable(_ dims: [DimensionAgreement], width: (String) -> Int) -> [String] {
        var table = Table(["human agreement", "items", "pairable", "%agree", "κ/α", "AC1", "pass rate"])
        for d in dims {
            let two = d.humans.pairs.count == 1 && d.humans.annotators.count == 2
            let chance = two ? d.humans.pairs[0].cohensKappa : d.humans.krippendorffsAlpha
            table.add([name(d), "\(d.items)", "\(d.humans.pairableItems)", num(d.humans.percentAgreement),
                       (two ? "κ " : "α ") + num(chance), num(d.humans.gwetsAC1), num(d.passRate)],
                      intervals: ["", "", "", ci(d.humans.percentAgreement), ci(chance), ci(d.humans.gwetsAC1), ci(d.passRate)])
        }
        return table.lines(width)
    }

    private func labelLines(_ dims: [DimensionAgreement], width: (String) -> Int) -> [String] {
        var table = Table(["consensus labels", "items", "shares (consensus)"])
        for d in dims where d.consensusItems > 0 || d.items > 0 {
            let total = d.consensusItems
            let shares = d.labels.map { l in
                "\(l.label)\(l.passes ? "✓" : "✗") " + (total > 0 ? percent(Double(l.consensus) / Double(total)) : "–")
            }.joined(separator: " · ")
            var detail = shares
            if !d.isAll {
                let sources = HumanConsensus.Source.allCases.compactMap { s -> String? in
                    (d.consensusSources[s] ?? 0) > 0 ? "\(d.consensusSources[s] ?? 0) \(s.rawValue)" : nil
                }
                if !sources.isEmpty { detail += "  (" + sources.joined(separator: ", ") + ")" }
            }
            if d.items > total { detail += "  \(d.items - total) without consensus" }
            table.add([name(d), "\(total)", detail], intervals: nil)
        }
        return table.lines(width)
    }

    private func judgeTable(_ rows: [(DimensionAgreement, JudgeAgreement)], first: String,
                            width: (String) -> Int) -> [String] {
        var table = Table([first, "n", "cover", "ACC", "P", "R", "F1", "κ"])
        for (d, j) in rows {
            table.add([name(d), "\(j.comparedItems)", pct(j.coverage), num(j.accuracy), num(j.precision), num(j.recall),
                       num(j.f1), num(j.cohensKappa)],
                      intervals: ["", "", "", ci(j.accuracy), ci(j.precision), ci(j.recall), ci(j.f1), ci(j.cohensKappa)])
        }
        var lines = table.lines(width)
        var counts = Table(["pass/fail counts", "TP", "FN", "FP", "TN"])
        for (d, j) in rows {
            counts.add([name(d), "\(j.truePositives)", "\(j.falseNegatives)", "\(j.falsePositives)", "\(j.trueNegatives)"],
                       intervals: nil)
        }
        lines += counts.lines(width)
        let failed = rows.compactMap { d, j in (j.failedVerdicts ?? 0) > 0 ? "\(d.dimension) \(j.failedVerdicts ?? 0)" : nil }
        if !failed.isEmpty { lines.append("    failed verdicts (left out): " + failed.joined(separator: ", ")) }
        return lines
    }

    private func annotatorTable(_ annotators: [AnnotatorAgreement], width: (String) -> Int) -> [String] {
        var table = Table(["annotator", "items", "labels", "decisions", "s/item", "vs consensus", "n", "overrides"])
        for a in annotators {
            let seconds = a.medianSecondsPerItem.map { String(format1($0)) + " s" } ?? "–"
            let overridden = a.actions["override"] ?? 0, accepted = a.actions["accept"] ?? 0
            table.add([a.annotator, "\(a.items)", "\(a.labels)", "\(a.decisions)", seconds,
                       pct(a.consensusAgreement), "\(a.consensusItems)",
                       overridden + accepted > 0 ? "\(overridden) of \(overridden + accepted)" : "–"],
                      intervals: ["", "", "", "", a.timedItems > 0 ? "(\(a.timedItems) timed)" : "",
                                  ci(a.consensusAgreement, percent: true), "", ""])
        }
        var lines = table.lines(width)
        lines.append("    vs consensus: against the other annotators' consensus (or an adjudication); s/item: median time between items")
        let withAdjudications = annotators.filter { $0.adjudications > 0 }
        if !withAdjudications.isEmpty {
            lines.append("    adjudications: " + withAdjudications.map { "\($0.annotator) \($0.adjudications)" }.joined(separator: ", "))
        }
        return lines
    }

    private func groupLines(_ groups: [GroupAgreement], width: (String) -> Int) -> [String] {
        guard let grouping = groups.first?.grouping else { return [] }
        // Rows by dimension, then group: a dimension's trend reads down the column.
        func key(_ d: DimensionAgreement) -> String { d.isAll ? "\u{0}" : d.dimension }
        var keys: [String] = []
        for g in groups { for d in g.dimensions where !keys.contains(key(d)) { keys.append(key(d)) } }
        let rows = keys.flatMap { k in groups.compactMap { g in g.dimensions.first { key($0) == k }.map { (g, $0) } } }
        var out: [String] = []
        switch grouping {
        case .judgeVersion:
            out.append("  by judge version (each on the items it judged)")
            var table = Table(["dimension", "version", "judge", "n", "ACC", "P", "R", "F1", "κ"])
            for (g, d) in rows {
                for j in d.judges {
                    table.add([name(d), g.key, g.detail, "\(j.comparedItems)", num(j.accuracy), num(j.precision),
                               num(j.recall), num(j.f1), num(j.cohensKappa)],
                              intervals: ["", "", "", "", ci(j.accuracy), ci(j.precision), ci(j.recall), ci(j.f1),
                                          ci(j.cohensKappa)])
                }
            }
            out += table.lines(width)
        case .week:
            out.append("  by week of the latest human decision (UTC)")
            var table = Table(["dimension", "week", "items", "%agree", "α", "AC1", "judge", "ACC", "F1", "κ"])
            for (g, d) in rows {
                let judges: [JudgeAgreement?] = d.judges.isEmpty ? [nil] : d.judges
                for (k, j) in judges.enumerated() {
                    let first = k == 0
                    table.add([first ? name(d) : "", first ? g.key : "", first ? "\(d.items)" : "",
                               first ? num(d.humans.percentAgreement) : "", first ? num(d.humans.krippendorffsAlpha) : "",
                               first ? num(d.humans.gwetsAC1) : "",
                               j.map { "\($0.judge.judge) \($0.judge.version.prefix(8))" } ?? "–",
                               j.map { num($0.accuracy) } ?? "", j.map { num($0.f1) } ?? "", j.map { num($0.cohensKappa) } ?? ""],
                              intervals: nil)
                }
            }
            out += table.lines(width)
        }
        return out
    }

    private func name(_ d: DimensionAgreement) -> String { d.isAll ? "every dimension" : d.dimension }
}

/// Columns padded to their widest cell; each row may carry a second line of intervals.
private struct Table {
    var rows: [[String]]

    init(_ header: [String]) { rows = [header] }

    mutating func add(_ cells: [String], intervals: [String]?) {
        rows.append(cells)
        if let intervals, intervals.contains(where: { !$0.isEmpty }) { rows.append(intervals) }
    }

    func lines(_ width: (String) -> Int) -> [String] {
        let count = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], width(cell)) } }
        return rows.map { row in
            var line = " "
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[i] - width(cell)))
                // The first column reads left to right; numbers align right.
                line += "  " + (i == 0 ? cell + pad : pad + cell)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}

private func num(_ f: Figure) -> String {
    guard let v = f.value else { return "undefined" }
    return format3(v)
}

private func pct(_ f: Figure) -> String {
    guard let v = f.value else { return "undefined" }
    return percent(v)
}

/// ".812–.871" (or "94.4–97.0%"), empty when there is no interval.
private func ci(_ f: Figure, percent inPercent: Bool = false) -> String {
    guard let lower = f.lower, let upper = f.upper else { return "" }
    if inPercent { return fixed(lower * 100, places: 1) + "–" + percent(upper) }
    return short(lower) + "–" + short(upper)
}

/// Three decimals without the leading zero: ".812", "-.120", "1".
private func short(_ v: Double) -> String {
    let text = format3(v)
    if text == "1.000" { return "1" }
    if text == "-1.000" { return "-1" }
    if text.hasPrefix("0.") { return String(text.dropFirst()) }
    if text.hasPrefix("-0.") { return "-" + text.dropFirst(2) }
    return text
}

/// Three decimals, without Foundation's locale-dependent formatting.
func format3(_ v: Double) -> String { fixed(v, places: 3) }
private func format1(_ v: Double) -> String { fixed(v, places: 1) }
private func percent(_ v: Double) -> String { fixed(v * 100, places: 1) + "%" }

private func fixed(_ v: Double, places: Int) -> String {
    guard v.isFinite else { return "undefined" }
    guard abs(v) < 1e12 else { return "\(v)" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(v) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    let digits = String(fraction)
    let sign = v < 0 && scaled > 0 ? "-" : ""
    return places == 0 ? "\(sign)\(whole)" : "\(sign)\(whole)." + String(repeating: "0", count: places - digits.count) + digits
}

/// Terminal columns of `text`, counting East Asian wide and fullwidth characters as two.
public func approximateWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { total, s in
        let v = s.value
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
        let zero = (0x0300...0x036F).contains(v) || v == 0x200B || v == 0x200D
        return total + (zero ? 0 : wide ? 2 : 1)
    }
}
