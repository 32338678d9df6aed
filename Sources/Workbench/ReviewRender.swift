import Domain
import Store
import TerminalKit

/// Draws the review screen for `state` on a `width`×`height` grid. Pure: the same state and
/// size always give the same grid; every piece of data text passes through the grid's sanitiser.
/// Below 80×24 it draws a "terminal too small" screen.
public func render(_ state: ReviewState, width: Int, height: Int) -> Grid {
    var g = Grid(width: width, height: height)
    guard width >= labelMinimumSize.width, height >= labelMinimumSize.height else {
        let lines = ["terminal too small", "recjudge review needs \(labelMinimumSize.width)×\(labelMinimumSize.height);",
                     "this one is \(width)×\(height).", "Enlarge it, or press q to quit."]
        let top = max(0, (height - lines.count) / 2)
        for (i, l) in lines.enumerated() where top + i < height {
            let text = truncate(l, width: width)
            g.put(text, x: max(0, (width - displayWidth(text)) / 2), y: top + i, style: i == 0 ? Theme.fail : .plain)
        }
        return g
    }
    ReviewScreen(state: state, width: width, height: height).draw(into: &g)
    return g
}

/// Where the text cursor belongs (typing a reason), or nil.
public func cursorPosition(_ state: ReviewState, width: Int, height: Int) -> (x: Int, y: Int)? {
    guard width >= labelMinimumSize.width, height >= labelMinimumSize.height,
          case .reason(let editor, let d, let l) = state.mode else { return nil }
    let prompt = ReviewScreen.prompt(d, l)
    let room = width - displayWidth(prompt) - 1
    return (displayWidth(prompt) + editor.visibleWindow(width: room).cursorColumn, height - 2)
}

/// How strong an agreement figure is, with the thresholds the table colours by.
///
/// Chance-corrected coefficients (κ, α, AC1), after Landis & Koch's bands: below 0.4 weak
/// (red), below 0.6 moderate (yellow), below 0.8 substantial (default), from 0.8 strong
/// (green). Proportions (% agreement, ACC, P, R, F1): below 0.7 weak, below 0.8 moderate,
/// below 0.9 substantial, from 0.9 strong. Weak values also carry a `!` for screens without colour.
public enum Strength: Sendable, Equatable {
    case weak, moderate, substantial, strong

    public static func of(coefficient v: Double) -> Strength { v < 0.4 ? .weak : v < 0.6 ? .moderate : v < 0.8 ? .substantial : .strong }
    public static func of(proportion v: Double) -> Strength { v < 0.7 ? .weak : v < 0.8 ? .moderate : v < 0.9 ? .substantial : .strong }

    var style: Style {
        switch self {
        case .weak: Theme.fail
        case .moderate: Theme.differs
        case .substantial: .plain
        case .strong: Theme.pass
        }
    }
}

struct ReviewScreen {
    let state: ReviewState
    let width: Int
    let height: Int

    var bodyTop: Int { 1 }
    var bodyRows: Int { height - 3 }

    static func prompt(_ dimension: String, _ label: String) -> String { "reason for \(dimension) → \(label)> " }

    func draw(into g: inout Grid) {
        drawHeader(&g)
        if case .help(let s) = state.mode {
            drawPage(&g, helpLines(width: width - 2), scroll: s)
        } else if let error = state.loadError, state.data == nil {
            g.draw(Line("could not read the figures: \(error)", Theme.fail), x: 2, y: bodyTop + 1, width: width - 4)
        } else if state.data == nil {
            g.put("computing agreement…", x: 2, y: bodyTop + 1, style: Theme.quiet)
        } else {
            switch state.view {
            case .table: drawTable(&g)
            case .heatMap: drawHeatMap(&g)
            case .queue: drawQueue(&g)
            case .adjudicate: drawAdjudication(&g)
            }
        }
        drawHintLine(&g)
        drawStatus(&g)
    }

    // MARK: Bars

    func drawHeader(_ g: inout Grid) {
        g.fill(Rect(x: 0, y: 0, width: width, height: 1), style: Theme.bar)
        var segs = [Segment(" recjudge review ", Theme.barStrong)]
        let where_: String
        switch state.view {
        case .table: where_ = "agreement"
        case .heatMap: where_ = "heat map · \(state.focusedRowDimension ?? "all dimensions")"
        case .queue: where_ = state.queue?.title ?? "queue"
        case .adjudicate: where_ = "adjudicate · \(state.current?.stored.sample.id ?? "loading…")"
        }
        segs.append(Segment("│ \(where_) ", Theme.barStrong))
        let right = state.setup.settleUnanimous ? " unanimous settle " : " unanimous reviewed "
        let rw = displayWidth(right)
        g.draw(Line(segs), x: 0, y: 0, width: width - rw)
        g.put(right, x: width - rw, y: 0, style: Theme.bar)
    }

    func drawStatus(_ g: inout Grid) {
        let y = height - 1
        g.fill(Rect(x: 0, y: y, width: width, height: 1), style: Theme.status)
        let s = state.setup
        let (saved, savedStyle): (String, Style) =
            state.saveError != nil ? (" NOT SAVED ", Theme.statusAlert)
            : state.isSaving ? ("saving…", Theme.statusStrong)
            : state.savedCount > 0 ? ("\(state.savedCount) saved ✓", Theme.statusStrong)
            : ("up to date", Theme.status)
        let savedWidth = displayWidth(saved) + 1
        var left = " \(s.session) · \(s.task) · lead \(s.lead) │ "
        if let j = state.judge {
            left += "\(j.judge) \(j.version.prefix(8))"
            if s.judges.count > 1 { left += " (\((state.judgeIndex ?? 0) + 1)/\(s.judges.count))" }
        } else {
            left += "no judge"
        }
        if let items = state.data?.items {
            let open = items.filter { i in s.dimensions.contains { i.status($0) == .conflict && !i.adjudicated($0) } }.count
            left += " │ \(open) open conflict\(open == 1 ? "" : "s")"
        }
        left += " │ "
        g.draw(Line(left, Theme.status), x: 0, y: y, width: width - savedWidth)
        g.put(saved, x: min(displayWidth(left), width - savedWidth), y: y, style: savedStyle)
    }

    func drawHintLine(_ g: inout Grid) {
        var editor: (prompt: String, editor: LineEditor)?
        if case .reason(let e, let d, let l) = state.mode { editor = (Self.prompt(d, l), e) }
        let km = state.setup.keymap
        var pairs: [(String, String)] = []
        if case .help = state.mode {
            pairs = [("esc", "close"), ("\(km.hint(.down))/\(km.hint(.up))", "scroll")]
        } else {
            let upDown = "\(km.hint(.down))/\(km.hint(.up))"
            switch state.view {
            case .table:
                pairs = [(upDown, "row"), (km.hint(.open), "heat map"), (km.hint(.conflicts), "conflicts"),
                         (km.hint(.version), "judge version"), (km.hint(.trend), "chart"), (km.hint(.reload), "reload")]
            case .heatMap:
                let cell = [ReviewRequest.left, .down, .up, .right].map { km.hint($0) }
                pairs = [(cell.allSatisfy { $0.count == 1 } ? cell.joined() : cell.joined(separator: "/"), "cell"),
                         (km.hint(.open), "label view"), (km.hint(.samples), "list"), (km.hint(.conflicts), "conflicts"),
                         (km.hint(.back), "back")]
            case .queue:
                pairs = [(upDown, "sample"), (km.hint(.open), "adjudicate"), (km.hint(.labelView), "label view"), (km.hint(.back), "back")]
            case .adjudicate:
                if let d = state.focusedDimension { pairs.append((d.labels.map { String($0.hotkey) }.joined(separator: " "), "final label")) }
                pairs += [(km.hint(.acceptJudge), "judge's"), (upDown, "dimension"),
                          ("\(km.hint(.next))/\(km.hint(.previous))", "next/prev"), (km.hint(.undo), "undo"), (km.hint(.back), "back")]
            }
            pairs += [(km.hint(.help), "help"), (km.hint(.quit), "quit")]
        }
        g.drawHintRow(y: height - 2, width: width, editor: editor, notice: state.notice, hints: pairs.map { (key: $0.0, what: $0.1) })
    }

    func drawPage(_ g: inout Grid, _ lines: [Line], scroll: Int) {
        g.drawPage(lines, scroll: scroll, top: bodyTop, rows: bodyRows, width: width)
    }

    func helpLines(width: Int) -> [Line] {
        var out = [Line("Review keys", Theme.section)]
        for row in state.setup.keymap.helpRows {
            let lines = wrap(row.help, width: max(1, width - 34))
            for (i, l) in lines.enumerated() {
                out.append(Line([Segment(pad(i == 0 ? "  " + row.keys : "", width: 20), Theme.key),
                                 Segment(pad(i == 0 ? row.request : "", width: 14), Theme.quiet), Segment(l)]))
            }
        }
        out.append(Line([Segment(pad("  1 2 …", width: 20), Theme.key), Segment(pad("label", width: 14), Theme.quiet),
                         Segment("adjudication: the focused dimension's final label (then the reason)")]))
        out.append(.blank)
        out.append(Line("Colours", Theme.section))
        out += paragraph("κ, α, AC1: red below 0.4, yellow below 0.6, plain below 0.8, green from 0.8. %, ACC, P, R, F1: red below 0.7, "
                         + "yellow below 0.8, plain below 0.9, green from 0.9. Weak values end in !. Heat map: shade ░▒▓█ by count; "
                         + "the diagonal is agreement.", width: width, indent: 2)
        out.append(Line("Conflicts and settling", Theme.section))
        out += paragraph("A conflict: annotators gave different labels, or one differs from the judge. Unanimous samples (two or more "
                         + "annotators and the judge agree) settle themselves: the consensus decides them and nothing is written; "
                         + "with --no-settle-unanimous they join the queues for review. An adjudication is a lead decision in the log "
                         + "with the reason as its comment; it becomes the sample's reference label.", width: width, indent: 2)
        let km = state.setup.keymap
        out.append(Line("The label view (\(km.hint(.open)) on a heat-map cell, \(km.hint(.labelView)) on a list)", Theme.section))
        out += paragraph("Opens the samples of a heat-map cell (all of them, settled ones too) or of a list, in order, in the label "
                         + "screen as \(state.setup.lead): the context, the output, the judge's verdicts. Answers there are your own "
                         + "annotator labels — a vote beside the others', not an adjudication — and dimensions you adjudicated are "
                         + "read-only. Nothing is claimed: a label gives you your own assignment on that sample, as any label does. "
                         + "q or esc comes back here and the figures are recomputed.", width: width, indent: 2)
        out.append(Line("Rebinding", Theme.section))
        out += paragraph("keys.yaml (~/.config/recjudge/ or the session folder) takes a review: section beside bind:, with the "
                         + "request names above (_ may stand for -), e.g. review: {label_view: O, conflicts: [c, x], trend: none}.",
                         width: width, indent: 2)
        return out
    }

    // MARK: Agreement table

    static let columns = ["n", "pass", "%agr", "κ/α", "AC1", "ACC", "P", "R", "F1", "κ", "open"]

    func drawTable(_ g: inout Grid) {
        guard let data = state.data else { return }
        let nameWidth = width >= 120 ? 20 : 13
        let cw = width >= 120 ? 9 : 6
        var y = bodyTop
        let judgeTitle = state.judge.map { "judge \($0.judge) \($0.version.prefix(8))" } ?? "no judge"
        g.draw(Line([Segment(pad("", width: nameWidth + cw * 2)), Segment(pad("── humans ──", width: cw * 3), Theme.section),
                     Segment(pad("── " + judgeTitle + " ──", width: cw * 5), Theme.section)]), x: 0, y: y, width: width)
        y += 1
        var header = [Segment(pad("dimension", width: nameWidth), Theme.label)]
        for c in Self.columns { header.append(Segment(pad(c, width: cw, alignment: .right), Theme.label)) }
        g.draw(Line(header), x: 0, y: y, width: width)
        y += 1
        let dims = state.setup.dimensions
        for (i, d) in state.rowDimensions.enumerated() {
            let key = d ?? ReviewFigures.allDimensions
            let row = data.figures.rows.first { $0.dimension == key }
            let focused = i == state.row && state.view == .table
            var segs = [Segment(pad((focused ? "▶ " : "  ") + (d ?? "all pass"), width: nameWidth), focused ? Theme.strong : .plain)]
            func cell(_ v: Double?, coefficient: Bool) {
                guard let v else { segs.append(Segment(pad("—", width: cw, alignment: .right), Theme.quiet)); return }
                let s = coefficient ? Strength.of(coefficient: v) : Strength.of(proportion: v)
                segs.append(Segment(pad(String(format2(v)) + (s == .weak ? "!" : " "), width: cw, alignment: .right), s.style))
            }
            segs.append(Segment(pad(row.map { "\($0.items)" } ?? "0", width: cw, alignment: .right)))
            if let r = row, let p = r.passRate { segs.append(Segment(pad(format2(p) + " ", width: cw, alignment: .right))) } else {
                segs.append(Segment(pad("—", width: cw, alignment: .right), Theme.quiet))
            }
            cell(row?.humanPercent, coefficient: false)
            cell(row?.humanKappa, coefficient: true)
            cell(row?.ac1, coefficient: true)
            cell(row?.judge?.accuracy, coefficient: false)
            cell(row?.judge?.precision, coefficient: false)
            cell(row?.judge?.recall, coefficient: false)
            cell(row?.judge?.f1, coefficient: false)
            cell(row?.judge?.kappa, coefficient: true)
            let open = data.items.filter { item in
                (d.map { [$0] } ?? dims).contains { item.status($0) == .conflict && !item.adjudicated($0) }
            }.count
            segs.append(Segment(pad("\(open)", width: cw, alignment: .right), open > 0 ? Theme.differs : Theme.quiet))
            g.draw(Line(segs), x: 0, y: y, width: width)
            if focused { g.paint(Rect(x: 0, y: y, width: min(width, nameWidth), height: 1), style: Theme.focus) }
            y += 1
            if focused { y = drawAnnotators(&g, key: key, top: y, nameWidth: nameWidth, cw: cw) }
        }
        let kappaName = data.figures.rows.first { $0.dimension == (state.focusedRowDimension ?? ReviewFigures.allDimensions) }?.humanKappaName ?? "κ"
        g.draw(Line("  κ/α: \(kappaName == "α" ? "Krippendorff's α (3+ annotators)" : "Cohen's κ of the two annotators") · open: conflicts not yet adjudicated · ! weak",
                    Theme.quiet), x: 0, y: y, width: width)
        y += 1
        if !(data.figures.annotators[state.focusedRowDimension ?? ReviewFigures.allDimensions] ?? []).isEmpty {
            g.draw(Line("  per annotator: %agr κ vs others' consensus · ACC κ vs judge · median s/item",
                        Theme.quiet), x: 0, y: y, width: width)
            y += 1
        }
        y += 1
        drawTrend(&g, top: y, rows: bodyTop + bodyRows - y)
    }

    /// The focused row's annotators, one line each under it, in the table's columns: n, %agr and
    /// κ/α against the consensus, ACC and κ against the judge, seconds per item under "open".
    /// As many as leave the legend and three chart lines room; the rest are counted.
    func drawAnnotators(_ g: inout Grid, key: String, top: Int, nameWidth: Int, cw: Int) -> Int {
        guard let data = state.data, let people = data.figures.annotators[key], !people.isEmpty else { return top }
        let rowsLeft = state.rowDimensions.count - 1 - state.row
        let room = bodyTop + bodyRows - top - rowsLeft - 3 - 3
        guard room > 0 else { return top }
        let shown = people.count <= room ? people[...] : people.prefix(room - 1)
        var y = top
        for p in shown {
            var segs = [Segment(pad("    " + p.annotator, width: nameWidth), Theme.label)]
            func blank() { segs.append(Segment(pad("", width: cw))) }
            func cell(_ v: Double?, coefficient: Bool) {
                guard let v else { segs.append(Segment(pad("—", width: cw, alignment: .right), Theme.quiet)); return }
                let s = coefficient ? Strength.of(coefficient: v) : Strength.of(proportion: v)
                segs.append(Segment(pad(format2(v) + (s == .weak ? "!" : " "), width: cw, alignment: .right), s.style))
            }
            segs.append(Segment(pad("\(p.labels)", width: cw, alignment: .right), Theme.quiet))
            blank()
            cell(p.consensusAgreement, coefficient: false)
            cell(p.consensusKappa, coefficient: true)
            blank()
            cell(state.judge == nil ? nil : p.judgeAgreement, coefficient: false)
            blank(); blank(); blank()
            cell(state.judge == nil ? nil : p.judgeKappa, coefficient: true)
            segs.append(Segment(pad(p.secondsPerItem.map(durationText) ?? "—", width: cw, alignment: .right), Theme.quiet))
            g.draw(Line(segs), x: 0, y: y, width: width)
            y += 1
        }
        if shown.count < people.count {
            g.put("    … \(people.count - shown.count) more annotator\(people.count - shown.count == 1 ? "" : "s") (a taller terminal shows them)",
                  x: 0, y: y, style: Theme.quiet)
            y += 1
        }
        return y
    }

    /// The chart: per judge version (or week), a bar of the judge's κ and ACC on the focused row.
    func drawTrend(_ g: inout Grid, top: Int, rows: Int) {
        guard rows >= 3, let data = state.data else { return }
        let key = state.focusedRowDimension ?? ReviewFigures.allDimensions
        let points = (state.trendByWeek ? data.figures.byWeek[key] : data.figures.byVersion[key]) ?? []
        let title = state.trendByWeek ? "judge per week" : "judge per version"
        let spark = points.map { sparkChar($0.kappa) }.joined()
        g.draw(Line([Segment("── \(title) · \(state.focusedRowDimension ?? "all pass") ", Theme.section),
                     Segment(points.isEmpty ? "" : "κ \(spark) ", Theme.strong),
                     Segment("(\(state.setup.keymap.hint(.trend)) switches)", Theme.quiet)]), x: 0, y: top, width: width)
        guard !points.isEmpty else {
            g.put(state.trendByWeek ? "  no weeks with human labels and verdicts yet" : "  no judge version has verdicts on this task",
                  x: 0, y: top + 1, style: Theme.quiet)
            return
        }
        let keyWidth = 12, detailWidth = width >= 120 ? 16 : 10
        let barWidth = max(6, (width - keyWidth - detailWidth - 36) / 2)
        let shown = points.suffix(rows - 1)
        var previous: Double?
        if shown.count < points.count { previous = points[points.count - shown.count - 1].kappa }
        for (i, p) in shown.enumerated() {
            let y = top + 1 + i
            let name = state.trendByWeek ? p.key : String(p.key.prefix(8))
            let selected = !state.trendByWeek && p.key == state.judge?.version
            var segs = [Segment(pad((selected ? "▶ " : "  ") + name, width: keyWidth), selected ? Theme.strong : .plain),
                        Segment(pad(p.detail, width: detailWidth), Theme.quiet)]
            segs.append(Segment("κ ", Theme.label))
            segs.append(Segment(progressBar(max(0, p.kappa ?? 0), width: barWidth), p.kappa.map { Strength.of(coefficient: $0).style } ?? Theme.quiet))
            segs.append(Segment(pad(p.kappa.map(format2) ?? "—", width: 6, alignment: .right)))
            segs.append(Segment("  ACC ", Theme.label))
            segs.append(Segment(progressBar(p.accuracy ?? 0, width: barWidth), p.accuracy.map { Strength.of(proportion: $0).style } ?? Theme.quiet))
            segs.append(Segment(pad(p.accuracy.map(format2) ?? "—", width: 6, alignment: .right)))
            var trend = ""
            if let k = p.kappa, let before = previous { trend = k > before + 0.005 ? " ▲" : k < before - 0.005 ? " ▼" : " =" }
            segs.append(Segment(trend, trend == " ▲" ? Theme.pass : trend == " ▼" ? Theme.fail : Theme.quiet))
            segs.append(Segment("  n=\(p.compared)", Theme.quiet))
            g.draw(Line(segs), x: 0, y: y, width: width)
            previous = p.kappa ?? previous
        }
    }

    func sparkChar(_ v: Double?) -> String {
        guard let v else { return "·" }
        let bars = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        return bars[max(0, min(7, Int((max(0, v) * 8).rounded(.down))))]
    }

    // MARK: Heat map

    func drawHeatMap(_ g: inout Grid) {
        guard let m = state.heatMap else { return }
        let dim = state.focusedRowDimension
        var y = bodyTop
        g.draw(Line([Segment("reference (rows) × judge \(state.judge.map { "\($0.judge) \($0.version.prefix(8))" } ?? "—") (columns)", Theme.section),
                     Segment("  \(m.total) samples · — = no consensus / no judge label", Theme.quiet)]), x: 1, y: y, width: width - 2)
        y += 2
        let labelWidth = min(22, max(8, (m.rows.map { displayWidth($0) }.max() ?? 4) + 3))
        let cw = max(8, min(18, (width - labelWidth - 2) / max(1, m.columns.count)))
        var header = [Segment(pad("", width: labelWidth))]
        for c in m.columns { header.append(Segment(pad(c, width: cw, alignment: .center), Theme.label)) }
        g.draw(Line(header), x: 1, y: y, width: width - 2)
        y += 1
        let maxCount = max(1, m.maximum)
        for (r, rowLabel) in m.rows.enumerated() where y < bodyTop + bodyRows - 3 {
            g.put(pad(rowLabel, width: labelWidth), x: 1, y: y, style: Theme.label)
            for (c, n) in m.counts[r].enumerated() {
                let x = 1 + labelWidth + c * cw
                guard x + cw <= width else { break }
                let level = n == 0 ? 0 : 1 + min(3, (n * 4 - 1) / maxCount)
                let shade = ["·", "░", "▒", "▓", "█"][level]
                let text = pad("\(String(repeating: shade, count: 2)) \(n)", width: cw - 1, alignment: .center)
                let style = heatStyle(level: level, diagonal: r == c && m.rows[r] != HeatMap.none)
                let focused = r == state.cellRow && c == state.cellColumn
                g.put(text, x: x, y: y, style: focused ? Theme.focus : style)
            }
            y += 1
        }
        y += 1
        if m.rows.indices.contains(state.cellRow), m.columns.indices.contains(state.cellColumn), let data = state.data {
            let q = ReviewRules.cell(m, row: state.cellRow, column: state.cellColumn, items: data.items, dimension: dim,
                                     dimensions: state.setup.dimensions, settle: state.setup.settleUnanimous)
            var text = "▶ reference \(m.rows[state.cellRow]) × judge \(m.columns[state.cellColumn]): \(m.counts[state.cellRow][state.cellColumn]) sample(s)"
            if q.settledHidden > 0 { text += ", \(q.settledHidden) settled unanimously (hidden)" }
            text += " · \(state.setup.keymap.hint(.open)) opens them in the label view · \(state.setup.keymap.hint(.samples)) lists them"
            g.draw(Line(text, Theme.strong), x: 1, y: y, width: width - 2)
        }
    }

    /// Shading: the diagonal (agreement) in greens, the rest (disagreement) in reds, darker
    /// with more samples; with 8 colours or none the ░▒▓█ text carries the same information.
    func heatStyle(level: Int, diagonal: Bool) -> Style {
        guard level > 0 else { return Theme.quiet }
        let greens: [UInt8] = [22, 28, 34, 40], reds: [UInt8] = [52, 88, 124, 160]
        let bg = diagonal ? greens[level - 1] : reds[level - 1]
        return Style(foreground: .white, background: .indexed(bg), bold: level >= 3)
    }

    // MARK: Queue

    func drawQueue(_ g: inout Grid) {
        guard let q = state.queue, let data = state.data else { return }
        var y = bodyTop
        var title = "\(q.samplePKs.count) sample(s)"
        if q.settledHidden > 0 { title += " · \(q.settledHidden) unanimous settled themselves (not listed)" }
        g.draw(Line([Segment(q.title + "  ", Theme.section), Segment(title, Theme.quiet)]), x: 1, y: y, width: width - 2)
        y += 1
        let dims = q.dimension.map { [$0] } ?? state.setup.dimensions
        let rows = bodyRows - 2
        let start = max(0, min(state.queuePosition - rows / 2, q.samplePKs.count - rows))
        for (offset, pk) in q.samplePKs.dropFirst(start).prefix(rows).enumerated() {
            let i = start + offset
            y += 1
            guard let item = data.items.first(where: { $0.samplePK == pk }) else { continue }
            let focused = i == state.queuePosition
            var segs = [Segment(pad((focused ? "▶ " : "  ") + item.sampleID, width: 22), focused ? Theme.strong : .plain)]
            for d in dims {
                let s = item.status(d)
                let mark = item.adjudicated(d) ? "✓" : s == .conflict ? "≠" : s == .unanimous ? "=" : " "
                let votes = (item.review.labels[d] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                var text = "\(mark) \(d): \(votes)"
                if let j = item.judge(d) { text += " · judge \(j)" }
                if let a = item.review.adjudications[d] { text += " · final \(a.label)" }
                segs.append(Segment(text + "   ", item.adjudicated(d) ? Theme.pass : s == .conflict ? Theme.differs : Theme.quiet))
            }
            g.draw(Line(segs), x: 1, y: y, width: width - 2)
            if focused { g.paint(Rect(x: 1, y: y, width: 22, height: 1), style: Theme.focus) }
        }
    }

    // MARK: Adjudication

    func drawAdjudication(_ g: inout Grid) {
        guard let cur = state.current else {
            g.put("loading…", x: 2, y: bodyTop + 1, style: Theme.quiet)
            return
        }
        let s = cur.stored.sample
        var lines: [Line] = []
        let w = width - 2
        var head = "── output \(s.id)"
        if let q = state.queue { head += "  (\(state.queuePosition + 1)/\(q.samplePKs.count))" }
        lines.append(Line([Segment(head, Theme.section), Segment("  " + SampleText.generator(s), Theme.quiet)]))
        let outputRows = max(2, bodyRows / 4)
        var out: [Line] = []
        for (k, v) in SampleText.outputFields(s, rubric: state.setup.rubric) {
            out += labelled(k, v, width: w, nameWidth: 10, valueStyle: Theme.strong)
        }
        lines += out.prefix(outputRows)
        lines.append(.blank)
        // Side by side: every annotator, the judge, the final label.
        let annotators = Array(Set(cur.review.labels.values.flatMap(\.keys))).sorted()
        let nameWidth = 14
        let columns = annotators.count + 2
        let cw = max(8, min(24, (w - nameWidth) / max(1, columns)))
        var header = [Segment(pad("── dimension", width: nameWidth), Theme.section)]
        for a in annotators { header.append(Segment(pad(a, width: cw), Theme.section)) }
        header.append(Segment(pad("judge", width: cw), Theme.section))
        header.append(Segment(pad("final · \(state.setup.lead)", width: cw), Theme.section))
        lines.append(Line(header))
        var focusLine = lines.count
        for (i, d) in state.dimensions.enumerated() {
            let focused = i == state.focus
            if focused { focusLine = lines.count }
            let labels = cur.review.labels[d.key] ?? [:]
            let judge = cur.review.verdicts[d.key]
            let distinct = Set(labels.values).count > 1 || (judge?.label.map { j in labels.values.contains { $0 != j } } ?? false)
            var segs = [Segment(pad((focused ? "▶ " : "  ") + d.key, width: nameWidth), focused ? Theme.strong : Theme.label)]
            for a in annotators {
                let l = labels[a]
                segs.append(Segment(pad(l.map { mark(d, $0) + $0 } ?? "—", width: cw - 1) + " ", l == nil ? Theme.quiet : labelStyle(d, l)))
            }
            let jl = judge.map { $0.label.map { mark(d, $0) + $0 } ?? "failed" } ?? "—"
            segs.append(Segment(pad(jl, width: cw - 1) + " ", judge?.label == nil ? Theme.quiet : labelStyle(d, judge?.label)))
            if let a = cur.review.adjudications[d.key] {
                segs.append(Segment(pad("✓ " + a.label, width: cw), Theme.pass))
            } else {
                let status = state.item(cur.review.samplePK)?.status(d.key)
                let text = distinct ? "≠ choose" : status == .unanimous ? "= settled" : status == .open ? "· one annotator" : "—"
                segs.append(Segment(pad(text, width: cw), distinct ? Theme.differs : Theme.quiet))
            }
            lines.append(Line(segs))
        }
        lines.append(.blank)
        // The focused dimension: labels to choose from, rationale, comments, reason.
        if let d = state.focusedDimension {
            lines.append(Line([Segment("── \(d.key) ", Theme.section),
                               Segment(d.labels.map { "\($0.hotkey) \($0.key)" }.joined(separator: "   "), Theme.key)]))
            if let v = cur.review.verdicts[d.key] {
                let why = v.label == nil ? (v.failure ?? "failed") : v.rationale
                if !why.isEmpty { lines += labelled("  judge", why, width: w, nameWidth: nameWidth, valueStyle: Theme.quiet, maxLines: 3) }
            }
            for c in cur.comments where c.dimension == d.key || c.dimension == nil {
                lines += labelled("  " + c.annotator, c.text, width: w, nameWidth: nameWidth, maxLines: 2)
            }
            if let a = cur.review.adjudications[d.key] {
                lines += labelled("  final", "\(a.label) by \(a.lead): \(a.reason ?? "")", width: w, nameWidth: nameWidth,
                                  valueStyle: Theme.pass, maxLines: 2)
            }
        }
        _ = focusLine
        for (i, l) in lines.prefix(bodyRows).enumerated() { g.draw(l, x: 1, y: bodyTop + i, width: w) }
    }

    func mark(_ d: Dimension, _ label: String) -> String {
        guard let l = d.label(label) else { return "? " }
        return l.passes ? "✓ " : "✗ "
    }

    func labelStyle(_ d: Dimension, _ label: String?) -> Style {
        guard let label, let l = d.label(label) else { return .plain }
        return l.passes ? Theme.pass : Theme.fail
    }
}

/// A time per item for a narrow column: `12s`, `4m`, `2h`.
func durationText(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "—" }
    if seconds < 99.5 { return "\(Int(seconds.rounded()))s" }
    if seconds < 99.5 * 60 { return "\(Int((seconds / 60).rounded()))m" }
    return "\(Int((seconds / 3600).rounded()))h"
}

/// `0.83`: two decimals, no Foundation formatting.
func format2(_ v: Double) -> String {
    guard v.isFinite else { return "—" }
    let n = Int((abs(v) * 100).rounded())
    let s = "\(n / 100).\(n % 100 < 10 ? "0" : "")\(n % 100)"
    return v < 0 && n > 0 ? "-" + s : s
}
