import Domain
import Store
import TerminalKit

/// The full-body pages of the label screen (help, guideline, zoom) as lines wrapped to a
/// width. Pure: `update` uses them to clamp scrolling, `render` to draw.
enum Pages {
    // MARK: Guideline

    static func guideline(_ state: LabelState, width: Int) -> [Line] {
        guard let d = state.focusedDimension else { return [Line("this rubric has no dimensions", Theme.quiet)] }
        var out: [Line] = []
        out.append(Line([Segment("\(state.setup.rubric.task) · ", Theme.section), Segment(d.key, Theme.section),
                         Segment("   rubric v\(state.setup.rubric.version)", Theme.quiet)]))
        out += paragraph(d.question, width: width, style: Theme.strong)
        out.append(.blank)
        out.append(Line("Labels", Theme.section))
        for l in d.labels {
            out.append(Line([Segment("  \(l.hotkey)  ", Theme.key), Segment(l.passes ? "✓ " : "✗ ", l.passes ? Theme.pass : Theme.fail),
                             Segment(l.key, Theme.strong), Segment(l.text == l.key ? "" : " — \(l.text)", Theme.text),
                             Segment(l.passes ? "  (passes)" : "  (fails)", Theme.quiet)]))
        }
        if !d.guideline.isEmpty {
            out.append(.blank)
            out.append(Line("Guideline", Theme.section))
            out += paragraph(reflow(d.guideline), width: width, indent: 2)
        }
        if !d.examples.isEmpty {
            out.append(.blank)
            out.append(Line("Examples", Theme.section))
            for e in d.examples {
                let passes = d.label(e.label)?.passes ?? false
                out.append(Line([Segment("  "), Segment(passes ? "✓ " : "✗ ", passes ? Theme.pass : Theme.fail),
                                 Segment(e.label, Theme.strong)]))
                let shown: String
                if case .object(let o) = e.output {
                    shown = o.entries.map { "\($0.0): \(SampleText.plain($0.1))" }.joined(separator: " · ")
                } else {
                    shown = SampleText.plain(e.output)
                }
                out += paragraph(shown, width: width, indent: 4)
                if !e.note.isEmpty { out += paragraph(e.note, width: width, style: Theme.quiet, indent: 4) }
            }
        }
        return out
    }

    // MARK: Help

    static func help(_ state: LabelState, width: Int) -> [Line] {
        var out: [Line] = []
        if let list = state.setup.list {
            out.append(Line("A review list: \(list.title)", Theme.section))
            out += paragraph("The samples behind a review heat-map cell or queue, in its order; nothing is claimed. Your answers here "
                             + "are your own annotator labels (a vote beside the other annotators'), not adjudications; dimensions you "
                             + "adjudicated are read-only. \(state.setup.keymap.hint(.quit)) or esc goes back to the review screen, "
                             + "which recomputes its figures; ctrl-c quits both.", width: width, indent: 2)
            out.append(.blank)
        }
        out += guideline(state, width: width)
        out.append(.blank)
        out.append(Line("Keys", Theme.section))
        let keysWidth = min(24, max(12, width / 4))
        let nameWidth = 16
        for row in state.setup.keymap.helpRows {
            let lines = wrap(row.help, width: max(1, width - keysWidth - nameWidth - 2))
            for (i, l) in lines.enumerated() {
                out.append(Line([Segment(pad(i == 0 ? "  " + row.keys : "", width: keysWidth), Theme.key),
                                 Segment(pad(i == 0 ? row.command : "", width: nameWidth), Theme.quiet), Segment(l)]))
            }
        }
        if let d = state.focusedDimension {
            let hot = d.labels.map { "\($0.hotkey) \($0.key)" }.joined(separator: "   ")
            out.append(Line([Segment(pad("  " + d.labels.map { String($0.hotkey) }.joined(separator: " "), width: keysWidth), Theme.key),
                             Segment(pad("label", width: nameWidth), Theme.quiet), Segment("choose a label on \(d.key): \(hot)")]))
        }
        out.append(Line([Segment(pad("  ctrl-c", width: keysWidth), Theme.key), Segment(pad("quit", width: nameWidth), Theme.quiet),
                         Segment("always quits, in every mode")]))
        out.append(.blank)
        out.append(Line("Typing a comment or a search", Theme.section))
        out += paragraph("enter saves · esc cancels · ← → home end move · backspace delete · ctrl-u ctrl-k ctrl-w cut", width: width, indent: 2)
        out.append(Line("Filter menu (\(state.setup.keymap.hint(.filter)))", Theme.section))
        out += paragraph("u unlabelled · x judge failed · d you ≠ judge · 1–9 one dimension · l a label · a clear all · esc close",
                         width: width, indent: 2)
        out.append(.blank)
        out += paragraph("Rebind keys in ~/.config/recjudge/keys.yaml or keys.yaml in the session folder, e.g. "
                         + "bind: {accept: a, next: [n, down], redo: none} (and review: {…} for the review screen). "
                         + "Command names are the middle column.",
                         width: width, style: Theme.quiet)
        return out
    }

    // MARK: Zoom

    static func zoom(_ state: LabelState, width: Int) -> [Line] {
        guard let cur = state.current else { return [Line("loading…", Theme.quiet)] }
        let s = cur.stored.sample
        let nameWidth = 14
        var out: [Line] = []
        out.append(Line([Segment(s.id, Theme.section), Segment("  \(s.task) · \(SampleText.generator(s))", Theme.quiet)]))
        let item = SampleText.itemFields(s)
        if !item.isEmpty {
            out.append(.blank)
            out.append(Line("Item", Theme.section))
            for (k, v) in item { out += labelled("  " + k, v, width: width, nameWidth: nameWidth) }
        }
        out.append(.blank)
        out.append(Line("Output", Theme.section))
        for (k, v) in SampleText.outputFields(s, rubric: state.setup.rubric) {
            out += labelled("  " + k, v, width: width, nameWidth: nameWidth, valueStyle: Theme.strong)
        }
        out.append(.blank)
        out.append(Line("Answers", Theme.section))
        for d in state.dimensions {
            var segs = [Segment(pad("  " + d.key, width: nameWidth), Theme.label), Segment("you ", Theme.quiet),
                        Segment(cur.labels[d.key] ?? "—", Theme.strong)]
            if state.judgeVisible, let v = cur.verdicts[d.key] {
                segs += [Segment("   judge ", Theme.quiet), Segment(v.label ?? "failed", v.label == nil ? Theme.fail : Theme.strong)]
            }
            out.append(Line(segs))
            if state.judgeVisible, let v = cur.verdicts[d.key] {
                let why = v.label == nil ? (v.failure ?? "failed") : v.rationale
                if !why.isEmpty { out += paragraph(why, width: width, style: Theme.quiet, indent: nameWidth) }
            }
        }
        if !cur.comments.isEmpty {
            out.append(.blank)
            out.append(Line("Your comments", Theme.section))
            for c in cur.comments { out += labelled("  " + (c.dimension ?? "sample"), c.text, width: width, nameWidth: nameWidth) }
        }
        out.append(.blank)
        out.append(Line("User", Theme.section))
        out += paragraph(SampleText.profileLine(s), width: width, indent: 2)
        for note in SampleText.profileNotes(s) { out += paragraph(note, width: width, style: Theme.quiet, indent: 2) }
        if let i = SampleText.interestsLine(s) { out += paragraph(i, width: width, indent: 2) }
        let timeline = state.timeline
        if !timeline.isEmpty {
            out.append(Line("Behaviours (\(timeline.count), newest first)", Theme.section))
            for b in timeline { out.append(Timeline.line(b, width: width)) }
        }
        if !s.extra.isEmpty {
            out.append(.blank)
            out.append(Line("Other fields", Theme.section))
            for (k, v) in s.extra.entries { out += labelled("  " + k, SampleText.plain(v), width: width, nameWidth: nameWidth, valueStyle: Theme.quiet) }
        }
        return out
    }
}

/// Timeline rows: `2025-06-18 buy   婴儿遮阳帽 [母婴]`.
enum Timeline {
    static func line(_ b: Behavior, width: Int) -> Line {
        var segs = [Segment(pad(b.time, width: 11), Theme.quiet), Segment(pad(SampleText.typeTag(b.type), width: 6), Theme.behaviour(b.type))]
        segs.append(Segment(b.subject, b.isIntentional ? Theme.strong : Theme.text))
        if let c = b.category, !c.isEmpty { segs.append(Segment(" [\(c)]", Theme.quiet)) }
        return Line(segs)
    }
}
