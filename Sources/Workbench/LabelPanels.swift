import Domain
import Store
import TerminalKit

/// The label screen's main view: the user context, the output and the table of dimensions,
/// side by side from 120 columns, stacked below that.
extension LabelScreen {
    // MARK: The sample

    func drawMain(_ g: inout Grid) {
        guard state.opened else {
            g.put("opening the queue…", x: 2, y: bodyTop + 1, style: Theme.quiet)
            return
        }
        guard let cur = state.current else {
            let text = state.currentPK == nil ? (state.visible.isEmpty ? "nothing to show: the queue is empty" : "") : "loading…"
            g.put(text, x: 2, y: bodyTop + 1, style: Theme.quiet)
            return
        }
        let term = state.searchTerm
        if wide {
            let leftWidth = min(72, width * 2 / 5)
            for y in bodyTop..<(bodyTop + bodyRows) { g.put("│", x: leftWidth, y: y, style: Theme.quiet) }
            let context = contextLines(cur, width: leftWidth - 1, rows: bodyRows)
            for (i, l) in context.enumerated() { g.draw(l, x: 0, y: bodyTop + i, width: leftWidth - 1, highlight: term) }
            let rx = leftWidth + 2, rw = width - rx
            let verdicts = verdictLines(cur, width: rw, rationaleLines: 2, allRationales: true)
            let comments = commentLines(cur, width: rw)
            let outputRoom = max(4, bodyRows - verdicts.count - min(comments.count, 4) - 1)
            let output = outputLines(cur, width: rw, rows: outputRoom)
            var y = bodyTop
            for l in output { g.draw(l, x: rx, y: y, width: rw, highlight: term); y += 1 }
            y += 1
            for l in verdicts where y < bodyTop + bodyRows { g.draw(l, x: rx, y: y, width: rw, highlight: term); y += 1 }
            for l in comments where y < bodyTop + bodyRows { g.draw(l, x: rx, y: y, width: rw); y += 1 }
            if let d = state.focusedDimension, bodyTop + bodyRows - y >= 4 {
                let notes = [Line([Segment("── guideline · ", Theme.section), Segment(d.key, Theme.section)])]
                    + Pages.guideline(state, width: rw).dropFirst()
                y += 1
                let room = bodyTop + bodyRows - y
                for (i, l) in notes.prefix(room).enumerated() {
                    if i == room - 1 && notes.count > room {
                        g.put("… (\(state.setup.keymap.hint(.guideline)) shows all of it)", x: rx, y: y, style: Theme.quiet)
                    } else {
                        g.draw(l, x: rx, y: y, width: rw)
                    }
                    y += 1
                }
            }
        } else {
            let w = width
            let rationale = bodyRows >= 30 ? 4 : 2
            let verdicts = verdictLines(cur, width: w, rationaleLines: rationale, allRationales: false)
            let contextMinimum = 5
            let outputRoom = max(3, bodyRows - verdicts.count - contextMinimum)
            let output = outputLines(cur, width: w, rows: outputRoom)
            let contextRoom = max(0, bodyRows - verdicts.count - output.count)
            let context = contextLines(cur, width: w, rows: contextRoom)
            var y = bodyTop
            for l in context.prefix(contextRoom) { g.draw(l, x: 0, y: y, width: w, highlight: term); y += 1 }
            y = bodyTop + contextRoom
            for l in output { g.draw(l, x: 0, y: y, width: w, highlight: term); y += 1 }
            for l in verdicts where y < bodyTop + bodyRows { g.draw(l, x: 0, y: y, width: w, highlight: term); y += 1 }
        }
    }

    /// Profile, interests and as many behaviours (newest first, from the scroll position) as fit.
    func contextLines(_ cur: SampleForLabelling, width: Int, rows: Int) -> [Line] {
        guard rows > 0 else { return [] }
        let s = cur.stored.sample
        var out: [Line] = [Line([Segment("── user ", Theme.section), Segment(SampleText.profileLine(s), Theme.strong)])]
        for note in SampleText.profileNotes(s) {
            out += Array(paragraph(note, width: width, style: Theme.quiet, indent: 2).prefix(wide ? max(2, rows - 6) : 2))
        }
        if let i = SampleText.interestsLine(s) { out.append(Line(i, Theme.text)) }
        let timeline = state.timeline
        let room = rows - out.count
        guard room > 0 else { return Array(out.prefix(rows)) }
        if timeline.isEmpty {
            out.append(Line("no behaviour history", Theme.quiet))
            return Array(out.prefix(rows))
        }
        let start = max(0, min(state.contextScroll, timeline.count - 1))
        let shown = timeline.dropFirst(start)
        let fits = shown.count <= room
        for b in shown.prefix(fits ? room : room - 1) { out.append(Timeline.line(b, width: width)) }
        if !fits || start > 0 {
            let after = max(0, shown.count - (fits ? room : room - 1))
            let km = state.setup.keymap
            var text = "  \(timeline.count) behaviours"
            if start > 0 { text += " · \(start) newer above (\(km.hint(.scrollUp)))" }
            if after > 0 { text += " · \(after) older below (\(km.hint(.scrollDown)))" }
            if fits { out.append(Line(text, Theme.quiet)) } else { out.append(Line(text, Theme.quiet)) }
        }
        return Array(out.prefix(rows))
    }

    /// The sample id line, the item (explanations), and the output fields, in at most `rows` lines.
    func outputLines(_ cur: SampleForLabelling, width: Int, rows: Int) -> [Line] {
        let s = cur.stored.sample
        var head = [Segment("── output ", Theme.section), Segment(s.id, Theme.strong)]
        if !cur.comments.isEmpty { head.append(Segment(" · \(cur.comments.count) comment\(cur.comments.count == 1 ? "" : "s")", Theme.quiet)) }
        var body: [Line] = []
        let fields = SampleText.outputFields(s, rubric: state.setup.rubric)
        let item = SampleText.itemFields(s).map { ("item." + $0.0, $0.1) }
        let nameWidth = min(16, (fields + item).map { displayWidth($0.0) }.max().map { $0 + 2 } ?? 10)
        for (i, (k, v)) in fields.enumerated() {
            body += labelled(k, v, width: width, nameWidth: nameWidth, valueStyle: i == 0 ? Theme.strong : Theme.text)
        }
        for (k, v) in item {
            body += labelled(k, v, width: width, nameWidth: nameWidth, valueStyle: Theme.text, maxLines: k == "item.title" ? 2 : 1)
        }
        if body.count > rows - 1 {
            body = Array(body.prefix(max(0, rows - 2)))
            body.append(Line("  … (\(state.setup.keymap.hint(.zoom)) reads all of it)", Theme.quiet))
        }
        return [Line(head)] + body
    }

    /// The table of dimensions: judge's label, the annotator's, and rationale lines.
    func verdictLines(_ cur: SampleForLabelling, width: Int, rationaleLines: Int, allRationales: Bool) -> [Line] {
        let dims = state.dimensions
        let nameWidth = min(18, (dims.map { displayWidth($0.key) }.max() ?? 8) + 2)
        let judgeWidth = (width - 2 - nameWidth) * 11 / 20
        let judgeTitle = state.setup.judge.map { "judge · \($0.judge)" } ?? "judge"
        var out: [Line] = [Line([Segment("── ", Theme.section), Segment(pad("dimension", width: nameWidth - 1), Theme.section),
                                 Segment(pad(judgeTitle, width: judgeWidth), Theme.section),
                                 Segment("you · \(state.setup.annotator)", Theme.section)])]
        let visible = state.judgeVisible
        for (i, d) in dims.enumerated() {
            let focused = i == state.focus
            var segs = [Segment(focused ? "▶ " : "  ", Theme.strong),
                        Segment(pad(d.key, width: nameWidth - 1), focused ? Theme.focus : Theme.text), Segment(" ")]
            let judged = judgeCell(cur, d, visible: visible)
            segs.append(Segment(pad(judged.text, width: judgeWidth - 1), judged.style))
            segs.append(Segment(" "))
            segs += youCell(cur, d, visible: visible, focused: focused)
            out.append(Line(segs))
            if allRationales || focused {
                out += rationale(cur, d, visible: visible, width: width, rows: rationaleLines, withQuestion: !allRationales)
            }
        }
        return out
    }

    func judgeCell(_ cur: SampleForLabelling, _ d: Dimension, visible: Bool) -> Segment {
        guard state.setup.judge != nil else { return Segment("no judge", Theme.quiet) }
        guard visible else { return Segment("hidden until you answer", Theme.quiet) }
        guard let v = cur.verdicts[d.key] else { return Segment("no verdict", Theme.quiet) }
        guard let l = v.label else { return Segment("✗ failed", Theme.fail) }
        guard let rl = d.label(l) else { return Segment("? \(l) (not in rubric)", Theme.differs) }
        return Segment((rl.passes ? "✓ " : "✗ ") + labelText(rl), rl.passes ? Theme.pass : Theme.fail)
    }

    func youCell(_ cur: SampleForLabelling, _ d: Dimension, visible: Bool, focused: Bool) -> [Segment] {
        guard let l = cur.labels[d.key] else {
            let hint = focused ? "  " + d.labels.map { "\($0.hotkey) \($0.key)" }.joined(separator: " · ") : ""
            return [Segment("—", Theme.quiet), Segment(hint, Theme.key)]
        }
        var segs: [Segment] = []
        if state.isAdjudicated(d.key) { segs.append(Segment("final: ", Theme.quiet)) }
        let judged = visible ? cur.verdicts[d.key]?.label : nil
        if let judged, judged != l { segs.append(Segment("≠ ", Theme.differs)) }
        if let rl = d.label(l) {
            segs.append(Segment((rl.passes ? "✓ " : "✗ ") + labelText(rl), rl.passes ? Theme.pass : Theme.fail))
        } else {
            segs.append(Segment("? \(l)", Theme.differs))
        }
        if state.pending.values.contains(where: { p in p.change.samplePK == cur.stored.pk && p.change.edits.contains { $0.dimension == d.key } }) {
            segs.append(Segment(" (saving)", Theme.quiet))
        }
        return segs
    }

    func labelText(_ l: RubricLabel) -> String {
        l.text.isEmpty || l.text == l.key ? l.key : "\(l.key) · \(l.text)"
    }

    func rationale(_ cur: SampleForLabelling, _ d: Dimension, visible: Bool, width: Int, rows: Int, withQuestion: Bool) -> [Line] {
        var out: [Line] = []
        if withQuestion { out.append(Line([Segment("    ? ", Theme.quiet), Segment(truncate(d.question, width: width - 6), Theme.quiet)])) }
        guard visible, let v = cur.verdicts[d.key] else { return out }
        let why = v.label == nil ? "failed: " + (v.failure ?? "no reason given") : v.rationale
        guard !why.isEmpty else { return out }
        let lines = wrap(why, width: max(1, width - 4))
        for (i, l) in lines.prefix(rows).enumerated() {
            let last = i == rows - 1 && lines.count > rows
            out.append(Line([Segment("    "), Segment(last ? truncate(l + " " + lines[(i + 1)...].joined(separator: " "), width: width - 4) : l, Theme.quiet)]))
        }
        return out
    }

    func commentLines(_ cur: SampleForLabelling, width: Int) -> [Line] {
        guard !cur.comments.isEmpty else { return [] }
        var out = [Line("── your comments", Theme.section)]
        for c in cur.comments.suffix(3) {
            out += labelled("  " + (c.dimension ?? "sample"), c.text, width: width, nameWidth: 16, maxLines: 2)
        }
        return out
    }
}
