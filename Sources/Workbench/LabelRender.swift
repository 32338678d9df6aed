import Domain
import Store
import TerminalKit

/// The smallest terminal the label screen lays out; smaller ones get a "too small" screen.
public let labelMinimumSize = Viewport(width: 80, height: 24)

/// Draws the label screen for `state` on a `width`×`height` grid. Pure: the same state and
/// size always give the same grid, and every piece of data text passes through the grid's
/// sanitiser.
public func render(_ state: LabelState, width: Int, height: Int) -> Grid {
    var g = Grid(width: width, height: height)
    guard width >= labelMinimumSize.width, height >= labelMinimumSize.height else {
        drawTooSmall(&g, width: width, height: height)
        return g
    }
    LabelScreen(state: state, width: width, height: height).draw(into: &g)
    return g
}

/// Where the text cursor belongs (in a comment, search or filter field), or nil.
public func cursorPosition(_ state: LabelState, width: Int, height: Int) -> (x: Int, y: Int)? {
    guard width >= labelMinimumSize.width, height >= labelMinimumSize.height else { return nil }
    guard let (prompt, editor) = LabelScreen.editor(state) else { return nil }
    let room = width - displayWidth(prompt) - 1
    return (displayWidth(prompt) + editor.visibleWindow(width: room).cursorColumn, height - 2)
}

private func drawTooSmall(_ g: inout Grid, width: Int, height: Int) {
    let lines = ["terminal too small",
                 "recjudge label needs \(labelMinimumSize.width)×\(labelMinimumSize.height);",
                 "this one is \(width)×\(height).",
                 "Enlarge it, or press q to quit."]
    let top = max(0, (height - lines.count) / 2)
    for (i, l) in lines.enumerated() where top + i < height {
        let text = truncate(l, width: width)
        g.put(text, x: max(0, (width - displayWidth(text)) / 2), y: top + i, style: i == 0 ? Theme.fail : .plain)
    }
}

struct LabelScreen {
    let state: LabelState
    let width: Int
    let height: Int

    var bodyTop: Int { 1 }
    var bodyRows: Int { height - 3 }
    var wide: Bool { width >= 120 }

    func draw(into g: inout Grid) {
        drawHeader(&g)
        switch state.mode {
        case .help(let s): drawPage(&g, Pages.help(state, width: width - 2), scroll: s)
        case .guideline(let s): drawPage(&g, Pages.guideline(state, width: width - 2), scroll: s)
        case .zoom(let s): drawPage(&g, Pages.zoom(state, width: width - 2), scroll: s, highlight: state.searchTerm)
        case .filterMenu, .filterLabel: drawFilterMenu(&g)
        default: drawMain(&g)
        }
        drawHintLine(&g)
        drawStatus(&g)
    }

    // MARK: Bars

    func drawHeader(_ g: inout Grid) {
        g.fill(Rect(x: 0, y: 0, width: width, height: 1), style: Theme.bar)
        var segs = [Segment(" recjudge label ", Theme.barStrong)]
        if let cur = state.current {
            let s = cur.stored.sample
            segs.append(Segment("│ \(s.id) ", Theme.barStrong))
            let gen = SampleText.generator(s)
            if !gen.isEmpty && state.setup.list == nil { segs.append(Segment("│ \(gen) ", Theme.bar)) }
            if !cur.held && !cur.done && state.setup.list == nil { segs.append(Segment("│ lease lapsed ", Theme.bar)) }
        } else if state.currentPK != nil {
            segs.append(Segment("│ loading… ", Theme.bar))
        }
        var right = ""
        if state.setup.blind { right += " BLIND " }
        if !state.filter.isEmpty { right += " filter: \(filterText(state.filter)) " }
        if let list = state.setup.list {
            let room = width - segs.reduce(0) { $0 + displayWidth($1.text) } - 2
            right = truncate(" review: \(list.title)", width: max(20, room)) + " "
        }
        let rw = displayWidth(right)
        g.draw(Line(segs), x: 0, y: 0, width: width - rw)
        if rw > 0 { g.put(right, x: width - rw, y: 0, style: Theme.barStrong) }
    }

    func drawStatus(_ g: inout Grid) {
        let y = height - 1
        g.fill(Rect(x: 0, y: y, width: width, height: 1), style: Theme.status)
        let s = state.setup
        let total = state.visible.count
        let pos = state.visible.isEmpty ? "0/0" : "\(min(state.position + 1, total))/\(total)"
        let doneCount = state.claimed.reduce(0) { $0 + (state.done.contains($1) ? 1 : 0) }
        let fraction = state.claimed.isEmpty ? 0 : Double(doneCount) / Double(state.claimed.count)
        let (saved, savedStyle): (String, Style) =
            state.saveError != nil ? (" NOT SAVED ", Theme.statusAlert)
            : state.isSaving ? ("saving…", Theme.statusStrong)
            : state.savedCount > 0 ? ("\(state.savedCount) saved ✓", Theme.statusStrong)
            : ("up to date", Theme.status)
        let savedWidth = displayWidth(saved) + 1
        func compose(bar: Int) -> String {
            var left = " \(s.session) · \(s.task) · \(s.annotator) │ \(pos)"
            if !state.filter.isEmpty { left += " of \(state.claimed.count)" }
            if bar > 0 { left += " " + progressBar(fraction, width: bar) }
            left += " \(doneCount) done"
            if state.exhausted && wide { left += " (no more to claim)" }
            left += " │ "
            left += s.judge.map { "\($0.judge) \($0.version.prefix(8))" } ?? "no judge"
            return left + " │ "
        }
        // The bar shrinks before anything else is cut.
        var left = compose(bar: wide ? 20 : 10)
        for bar in [6, 3] where displayWidth(left) + savedWidth > width { left = compose(bar: bar) }
        g.draw(Line(left, Theme.status), x: 0, y: y, width: width - savedWidth)
        let x = min(displayWidth(left), width - savedWidth)
        g.put(saved, x: x, y: y, style: savedStyle)
    }

    static func editor(_ state: LabelState) -> (String, LineEditor)? {
        switch state.mode {
        case .comment(let e): return ("comment on \(state.focusedDimension?.key ?? "sample")> ", e)
        case .search(let e): return ("search> ", e)
        case .filterLabel(let e): return ("label> ", e)
        default: return nil
        }
    }

    func drawHintLine(_ g: inout Grid) {
        let km = state.setup.keymap
        var hints: [(key: String, what: String)] = []
        switch state.mode {
        case .help, .guideline, .zoom:
            hints = [("esc", "close"), ("\(km.hint(.focusDown))/\(km.hint(.focusUp))", "line"),
                     ("\(km.hint(.scrollDown))/\(km.hint(.scrollUp))", "page")]
        case .filterMenu:
            hints = [("u x d 1-9 l", "toggle"), ("a", "clear"), ("esc", "close")]
        default:
            if let d = state.focusedDimension { hints.append((d.labels.map { String($0.hotkey) }.joined(separator: " "), "label")) }
            let list = state.setup.list != nil
            if list { hints.append((km.hint(.quit), "back to review")) }
            hints += [(km.hint(.accept), "accept"), (km.hint(.acceptAll), "all+next"),
                      ("\(km.hint(.next))/\(km.hint(.previous))", "next/prev"), (km.hint(.nextUnlabelled), "unfinished"),
                      (km.hint(.undo), "undo"), (km.hint(.comment), "comment"), (km.hint(.search), "search")]
            if !list { hints.append((km.hint(.filter), "filter")) }
            hints += [(km.hint(.zoom), "zoom"), (km.hint(.help), "help")]
            if !list { hints.append((km.hint(.quit), "quit")) }
        }
        g.drawHintRow(y: height - 2, width: width, editor: Self.editor(state).map { (prompt: $0.0, editor: $0.1) },
                      notice: state.notice, hints: hints)
    }

    // MARK: Pages

    func drawPage(_ g: inout Grid, _ lines: [Line], scroll: Int, highlight: String = "") {
        g.drawPage(lines, scroll: scroll, top: bodyTop, rows: bodyRows, width: width, highlight: highlight)
    }

    func drawFilterMenu(_ g: inout Grid) {
        let f = state.filter
        func box(_ on: Bool) -> String { on ? "[x]" : "[ ]" }
        var lines: [Line] = [
            Line([Segment("Filter your queue", Theme.section),
                  Segment("   \(state.visible.count) of \(state.claimed.count) claimed samples match", Theme.quiet)]),
            .blank,
            Line([Segment("  u  ", Theme.key), Segment(box(f.unlabelled) + " unlabelled", Theme.strong),
                  Segment(" — not yet answered by you", Theme.quiet)]),
            Line([Segment("  x  ", Theme.key), Segment(box(f.judgeFailed) + " judge failed", Theme.strong),
                  Segment(" — the judge gave no usable label", Theme.quiet)]),
            Line([Segment("  d  ", Theme.key), Segment(box(f.disagreement) + " you ≠ judge", Theme.strong),
                  Segment(" — your label differs from the judge's", Theme.quiet)]),
        ]
        lines.append(Line([Segment("  1–\(max(1, state.dimensions.count))  ", Theme.key),
                           Segment("dimension: \(f.dimension ?? "any")", Theme.strong),
                           Segment(" — the conditions look at this one only", Theme.quiet)]))
        for (i, d) in state.dimensions.enumerated() {
            lines.append(Line([Segment("       \(i + 1) ", Theme.key), Segment(d.key, d.key == f.dimension ? Theme.strong : Theme.quiet)]))
        }
        lines.append(Line([Segment("  l  ", Theme.key), Segment("label: \(f.label ?? "any")", Theme.strong),
                           Segment(state.setup.blind ? " — yours (blind)" : " — yours or the judge's", Theme.quiet)]))
        lines.append(Line([Segment("  a  ", Theme.key), Segment("clear every condition")]))
        lines.append(Line([Segment("  esc", Theme.key), Segment("  close")]))
        if state.setup.blind {
            lines.append(.blank)
            lines.append(Line("blind: the judge filters are off, so the judge's answers stay hidden", Theme.quiet))
        }
        for (i, l) in lines.prefix(bodyRows).enumerated() { g.draw(l, x: 1, y: bodyTop + 1 + i, width: width - 2) }
    }
}

/// A filter as a short phrase for the header: `unlabelled, judge failed, dim=relevance, label=yes`.
func filterText(_ f: QueueFilter) -> String {
    var parts: [String] = []
    if f.unlabelled { parts.append("unlabelled") }
    if f.judgeFailed { parts.append("judge failed") }
    if f.disagreement { parts.append("you ≠ judge") }
    if let d = f.dimension { parts.append("dim=\(d)") }
    if let l = f.label { parts.append("label=\(l)") }
    return parts.joined(separator: ", ")
}
