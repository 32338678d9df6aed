import Domain
import Store
import TerminalKit

/// The label screen's update: a pure function from the state and one action to the next
/// state and the effects the runtime must perform. It never reads a clock, a file or the store.
public func update(_ state: LabelState, _ action: LabelAction) -> (LabelState, [LabelEffect]) {
    var u = LabelUpdater(state: state)
    u.handle(action)
    return (u.state, u.effects)
}

struct LabelUpdater {
    var state: LabelState
    var effects: [LabelEffect] = []

    mutating func handle(_ action: LabelAction) {
        switch action {
        case .key(let key): self.key(key)
        case .resized(let w, let h): state.viewport = Viewport(width: w, height: h); clampOverlayScroll()
        case .tick(let now): tick(now)
        case .queueOpened(let claimed, let done, let exhausted): queueOpened(claimed, done, exhausted)
        case .claimed(let claim): claimed(claim)
        case .claimFailed(let message):
            state.claiming = false
            state.pendingAdvance = nil
            state.notice = Notice("could not claim work: \(message)", isError: true)
        case .loaded(let sample): loaded(sample)
        case .loadFailed(let pk, let message):
            if pk == state.currentPK { state.notice = Notice("could not read this sample: \(message)", isError: true) }
        case .recorded(let request, let pk, let done): recorded(request, pk, done)
        case .recordFailed(let request, let message): recordFailed(request, message)
        case .commented(let pk, let comment):
            state.commentsPending = max(0, state.commentsPending - 1)
            state.savedCount += 1
            state.saveError = nil
            if state.current?.stored.pk == pk { state.current?.comments.append(comment) }
            state.notice = Notice("comment saved")
        case .commentFailed(let pk, let text, let message):
            state.commentsPending = max(0, state.commentsPending - 1)
            state.saveError = message
            state.notice = Notice("comment NOT saved: \(message)", isError: true)
            if state.currentPK == pk { state.mode = .comment(LineEditor(text)) }
        case .filtered(let filter, let pks): filtered(filter, pks)
        case .filterFailed(let message): state.notice = Notice("filter failed: \(message)", isError: true)
        case .searched(let term, let found): searched(term, found)
        case .leasesRenewed(let now): state.lastRenewal = now
        }
    }

    // MARK: Keys

    mutating func key(_ key: Key) {
        if case .resize = key { return }
        state.activeSinceRenewal = true
        if key == .ctrl("c") {               // always quits: every answer shown as saved is on disk
            state.quitting = true
            state.interrupted = true
            return
        }
        state.notice = nil
        switch state.mode {
        case .browse: browseKey(key)
        case .comment(var editor):
            switch key {
            case .enter:
                state.mode = .browse
                submitComment(editor.text)
            case .escape: state.mode = .browse; state.notice = Notice("comment discarded")
            default: editor.handle(key); state.mode = .comment(editor)
            }
        case .search(var editor):
            switch key {
            case .enter: state.mode = .browse; submitSearch(editor.text)
            case .escape: state.mode = .browse
            default: editor.handle(key); state.mode = .search(editor)
            }
        case .filterLabel(var editor):
            switch key {
            case .enter: state.mode = .filterMenu; submitFilterLabel(editor.text)
            case .escape: state.mode = .filterMenu
            default: editor.handle(key); state.mode = .filterLabel(editor)
            }
        case .filterMenu: filterMenuKey(key)
        case .help(let scroll): pageKey(key, scroll: scroll, opener: .help) { .help(scroll: $0) }
        case .guideline(let scroll): pageKey(key, scroll: scroll, opener: .guideline) { .guideline(scroll: $0) }
        case .zoom(let scroll): pageKey(key, scroll: scroll, opener: .zoom) { .zoom(scroll: $0) }
        }
    }

    mutating func browseKey(_ key: Key) {
        if let command = state.setup.keymap.command(for: key) {
            run(command)
            return
        }
        if key == .escape && state.setup.list != nil {   // a review list: esc goes back, as in review
            state.quitting = true
            return
        }
        if case .char(let c) = key, let d = state.focusedDimension, let label = d.label(hotkey: c) {
            choose(label.key, on: d)
            return
        }
        state.notice = Notice("\(key.name): no such key here (\(state.setup.keymap.hint(.help)) lists every key)")
    }

    mutating func run(_ command: Command) {
        switch command {
        case .accept: acceptFocused()
        case .acceptAll: acceptAll()
        case .next: move(by: 1)
        case .previous: move(by: -1)
        case .first: if !state.visible.isEmpty { show(index: 0) }
        case .last: if !state.visible.isEmpty { show(index: state.visible.count - 1) }
        case .nextUnlabelled: nextUnlabelled()
        case .focusDown: state.focus = max(0, min(state.dimensions.count - 1, state.focus + 1))
        case .focusUp: state.focus = max(0, state.focus - 1)
        case .undo: undo()
        case .redo: redo()
        case .comment:
            guard state.current != nil else { return }
            state.mode = .comment(LineEditor())
        case .search: state.mode = .search(LineEditor(state.searchTerm))
        case .filter:
            guard state.setup.list == nil else {
                state.notice = Notice("filters work on your claimed queue; this review list stays as it is "
                                      + "(\(state.setup.keymap.hint(.nextUnlabelled)) next unfinished, \(state.setup.keymap.hint(.search)) search)")
                return
            }
            state.mode = .filterMenu
        case .guideline: state.mode = .guideline(scroll: 0)
        case .help: state.mode = .help(scroll: 0)
        case .zoom: if state.current != nil { state.mode = .zoom(scroll: 0) }
        case .scrollDown:
            let count = state.timeline.count
            state.contextScroll = max(0, min(count - 1, state.contextScroll + 5))
        case .scrollUp: state.contextScroll = max(0, state.contextScroll - 5)
        case .redraw: effects.append(.redraw)
        case .suspend: effects.append(.suspend)
        case .quit: state.quitting = true
        }
    }

    // MARK: Answers

    /// Refuses a change to a dimension the annotator adjudicated (on a review list).
    mutating func refuseAdjudicated(_ d: Dimension) -> Bool {
        guard state.isAdjudicated(d.key) else { return false }
        state.notice = Notice("you adjudicated \(d.key) on this sample: change it on the review screen's adjudication view", isError: true)
        return true
    }

    mutating func acceptFocused() {
        guard let cur = state.current, let d = state.focusedDimension else { return }
        if refuseAdjudicated(d) { return }
        guard state.setup.judge != nil else {
            state.notice = Notice("no judge has verdicts for this task: choose a label (\(hotkeyHint(d)))")
            return
        }
        guard state.judgeVisible else {
            state.notice = Notice("blind: choose a label (\(hotkeyHint(d))); the judge shows once every dimension is answered")
            return
        }
        guard let v = cur.verdicts[d.key] else {
            state.notice = Notice("no verdict on \(d.key): choose a label (\(hotkeyHint(d)))")
            return
        }
        guard let l = v.label, d.label(l) != nil else {
            state.notice = Notice("the judge's verdict on \(d.key) failed: choose a label (\(hotkeyHint(d)))", isError: true)
            return
        }
        if cur.labels[d.key] == l {
            state.notice = Notice("\(d.key): already \(l)")
            advanceFocus()
            return
        }
        apply(Change(samplePK: cur.stored.pk, sampleID: cur.stored.sample.id,
                     edits: [Edit(dimension: d.key, before: cur.labels[d.key], after: l)]), kind: .accept)
        advanceFocus()
    }

    mutating func acceptAll() {
        guard let cur = state.current else { return }
        if state.setup.judge == nil {
            state.notice = Notice("no judge has verdicts for this task: answer with the label keys")
            return
        }
        if !state.judgeVisible {
            state.notice = Notice("blind: answer every dimension with its label keys; the judge shows afterwards")
            return
        }
        var edits: [Edit] = []
        var stuck: [Int] = []
        for (i, d) in state.dimensions.enumerated() where cur.labels[d.key] == nil {
            if let l = cur.verdicts[d.key]?.label, d.label(l) != nil {
                edits.append(Edit(dimension: d.key, before: nil, after: l))
            } else {
                stuck.append(i)
            }
        }
        if !edits.isEmpty {
            apply(Change(samplePK: cur.stored.pk, sampleID: cur.stored.sample.id, edits: edits), kind: .accept)
        }
        if let first = stuck.first {
            state.focus = first
            let names = stuck.map { state.dimensions[$0].key }.joined(separator: ", ")
            state.notice = Notice("no usable verdict on \(names): choose \(stuck.count == 1 ? "a label" : "labels") yourself", isError: true)
        } else {
            move(by: 1)
        }
    }

    /// The annotator picked `labelKey` for dimension `d` with its hotkey.
    mutating func choose(_ labelKey: String, on d: Dimension) {
        guard let cur = state.current else { return }
        if refuseAdjudicated(d) { return }
        let before = cur.labels[d.key]
        if before == labelKey {
            state.notice = Notice("\(d.key): already \(labelKey)")
            advanceFocus()
            return
        }
        var kind = DecisionAction.label
        if state.judgeVisible, let judged = cur.verdicts[d.key]?.label {
            kind = judged == labelKey ? .accept : .override
        }
        apply(Change(samplePK: cur.stored.pk, sampleID: cur.stored.sample.id,
                     edits: [Edit(dimension: d.key, before: before, after: labelKey)]), kind: kind)
        advanceFocus()
    }

    /// Shows a change at once and sends it to the store; "saved" waits for `.recorded`.
    mutating func apply(_ change: Change, kind: DecisionAction) {
        let judgeShown = state.judgeVisible
        var decisions: [DecisionInput] = []
        for e in change.edits {
            var shownLabel: String?
            if judgeShown, state.current?.stored.pk == change.samplePK {
                shownLabel = state.current?.verdicts[e.dimension]?.label
            }
            decisions.append(DecisionInput(
                samplePK: change.samplePK, dimension: e.dimension, annotator: state.setup.annotator, role: .annotator,
                label: e.after, action: kind, judgeLabel: shownLabel,
                judgeVersionID: judgeShown ? state.setup.judge?.id : nil, rubricVersion: state.setup.rubric.version))
        }
        if state.current?.stored.pk == change.samplePK {
            for e in change.edits { state.current?.labels[e.dimension] = e.after }
        }
        let request = state.nextRequest
        state.nextRequest += 1
        state.pending[request] = PendingWrite(change: change, kind: kind)
        switch kind {
        case .undo: state.redoStack.append(inverse(change))
        case .redo: state.undoStack.append(change)
        default:
            state.undoStack.append(change)
            state.redoStack.removeAll()
        }
        effects.append(.record(request: request, samplePK: change.samplePK, decisions: decisions))
    }

    func inverse(_ c: Change) -> Change {
        Change(samplePK: c.samplePK, sampleID: c.sampleID,
               edits: c.edits.map { Edit(dimension: $0.dimension, before: $0.after, after: $0.before) })
    }

    mutating func undo() {
        guard let change = state.undoStack.popLast() else {
            state.notice = Notice("nothing to undo in this session")
            return
        }
        revisit(change.samplePK)
        apply(inverse(change), kind: .undo)
        state.notice = Notice("undone on \(change.sampleID): " + describe(inverse(change)))
        if state.current == nil { effects.append(.load(change.samplePK)) }
    }

    mutating func redo() {
        guard let change = state.redoStack.popLast() else {
            state.notice = Notice("nothing to redo")
            return
        }
        revisit(change.samplePK)
        apply(change, kind: .redo)
        state.notice = Notice("redone on \(change.sampleID): " + describe(change))
        if state.current == nil { effects.append(.load(change.samplePK)) }
    }

    /// Puts a sample back on screen for undo or redo; it loads after the write, so it shows
    /// the write's result.
    mutating func revisit(_ pk: Int64) {
        guard state.currentPK != pk else { return }
        state.currentPK = pk
        state.current = nil
        state.contextScroll = 0
        if let i = state.visible.firstIndex(of: pk) { state.position = i }
    }

    func describe(_ c: Change) -> String {
        c.edits.map { "\($0.dimension) \($0.before ?? "—") → \($0.after ?? "—")" }.joined(separator: ", ")
    }

    /// Moves focus to the next dimension without an answer (staying put when all have one).
    mutating func advanceFocus() {
        guard let cur = state.current else { return }
        let dims = state.dimensions
        for step in 1..<max(1, dims.count + 1) {
            let i = (state.focus + step) % dims.count
            if cur.labels[dims[i].key] == nil {
                state.focus = i
                return
            }
        }
    }

    func hotkeyHint(_ d: Dimension) -> String {
        d.labels.map { "\($0.hotkey) \($0.key)" }.joined(separator: ", ")
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmedSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\u{3000}" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\u{3000}" { s.removeLast() }
        return String(s)
    }
}
