import Domain
import Store
import TerminalKit

/// The review screen's update: a pure function from the state and one action to the next
/// state and the effects the runtime must perform. It never reads a clock, a file or the store.
public func update(_ state: ReviewState, _ action: ReviewAction) -> (ReviewState, [ReviewEffect]) {
    var u = ReviewUpdater(state: state)
    u.handle(action)
    return (u.state, u.effects)
}

/// The effects that open the review screen: read the figures for the newest judge version.
public func reviewOpening(_ state: ReviewState) -> [ReviewEffect] { [.load(judgeVersionID: state.judge?.id)] }

struct ReviewUpdater {
    var state: ReviewState
    var effects: [ReviewEffect] = []

    mutating func handle(_ action: ReviewAction) {
        switch action {
        case .key(let key): self.key(key)
        case .resized(let w, let h): state.viewport = Viewport(width: w, height: h)
        case .loaded(let data): loaded(data)
        case .loadFailed(let message):
            state.loadError = message
            state.notice = Notice("could not read the figures: \(message)", isError: true)
        case .sampleLoaded(let s): sampleLoaded(s)
        case .sampleFailed(let pk, let message):
            if pk == state.currentPK { state.notice = Notice("could not read this sample: \(message)", isError: true) }
        case .recorded(let request):
            guard let p = state.pending.removeValue(forKey: request) else { return }
            state.savedCount += 1
            state.saveError = nil
            let c = p.change
            state.notice = Notice("saved: \(c.sampleID) \(c.dimension) → \(c.after?.label ?? "no adjudication")" + (p.isUndo ? " (undone)" : ""))
        case .recordFailed(let request, let message): recordFailed(request, message)
        case .labelClosed(let saved, let interrupted): labelClosed(saved: saved, interrupted: interrupted)
        case .labelFailed(let message): state.notice = Notice("could not open the label view: \(message)", isError: true)
        }
    }

    // MARK: Keys

    mutating func key(_ key: Key) {
        if case .resize = key { return }
        if key == .ctrl("c") {               // always quits: every adjudication shown as saved is on disk
            state.quitting = true
            return
        }
        state.notice = nil
        switch state.mode {
        case .reason(var editor, let dimension, let label):
            switch key {
            case .enter: submit(editor.text, dimension: dimension, label: label)
            case .escape: state.mode = .browse; state.notice = Notice("adjudication discarded: nothing saved")
            default: editor.handle(key); state.mode = .reason(editor, dimension: dimension, label: label)
            }
        case .help(let scroll):
            switch state.setup.keymap.request(for: key) {
            case .down?: state.mode = .help(scroll: scroll + 1)
            case .up?: state.mode = .help(scroll: max(0, scroll - 1))
            case .next?: state.mode = .help(scroll: scroll + max(1, state.viewport.height - 4))
            case .previous?: state.mode = .help(scroll: max(0, scroll - max(1, state.viewport.height - 4)))
            default: state.mode = .browse
            }
        case .browse:
            if let r = state.setup.keymap.request(for: key) {
                run(r)
            } else if state.view == .adjudicate, case .char(let c) = key, let d = state.focusedDimension, let l = d.label(hotkey: c) {
                askReason(dimension: d.key, label: l.key)
            } else {
                state.notice = Notice("\(key.name): no such key here (\(state.setup.keymap.hint(.help)) lists every key)")
            }
        }
    }

    mutating func run(_ r: ReviewRequest) {
        switch r {
        case .open: open()
        case .samples: listCell()
        case .back: back()
        case .conflicts: openConflicts()
        case .labelView: openLabelView()
        case .down: move(1)
        case .up: move(-1)
        case .left: if state.view == .heatMap { state.cellColumn = max(0, state.cellColumn - 1) }
        case .right:
            if state.view == .heatMap, let m = state.heatMap { state.cellColumn = min(m.columns.count - 1, state.cellColumn + 1) }
        case .next: step(1)
        case .previous: step(-1)
        case .acceptJudge:
            guard state.view == .adjudicate, let d = state.focusedDimension else { return }
            guard let l = state.current?.review.verdicts[d.key]?.label else {
                state.notice = Notice("the judge has no label on \(d.key): choose one (\(hotkeys(d)))")
                return
            }
            askReason(dimension: d.key, label: l)
        case .undo: undo()
        case .version:
            guard !state.setup.judges.isEmpty else {
                state.notice = Notice("no judge has verdicts for \(state.setup.task)")
                return
            }
            state.judgeIndex = ((state.judgeIndex ?? -1) + 1) % state.setup.judges.count
            effects.append(.load(judgeVersionID: state.judge?.id))
            if let pk = state.currentPK, state.view == .adjudicate { effects.append(.loadSample(pk, judgeVersionID: state.judge?.id)) }
            if let j = state.judge { state.notice = Notice("judge \(j.judge) \(j.version.prefix(8))") }
        case .trend: state.trendByWeek.toggle()
        case .reload:
            effects.append(.load(judgeVersionID: state.judge?.id))
            state.notice = Notice("recomputing the figures…")
        case .help: state.mode = .help(scroll: 0)
        case .redraw: effects.append(.redraw)
        case .suspend: effects.append(.suspend)
        case .quit: state.quitting = true
        }
    }

    func hotkeys(_ d: Dimension) -> String { d.labels.map { "\($0.hotkey) \($0.key)" }.joined(separator: ", ") }

    // MARK: Views

    mutating func open() {
        switch state.view {
        case .table:
            guard state.data != nil else { return }
            state.view = .heatMap
            // Start on the busiest disagreement: the largest off-diagonal cell, else the first.
            if let m = state.heatMap {
                var best = (0, 0, -1)
                for (r, row) in m.counts.enumerated() {
                    for (c, n) in row.enumerated() where r != c && n > best.2 { best = (r, c, n) }
                }
                (state.cellRow, state.cellColumn) = best.2 > 0 ? (best.0, best.1) : (0, 0)
            }
        case .heatMap:
            openLabelView()
        case .queue:
            guard let q = state.queue, q.samplePKs.indices.contains(state.queuePosition) else { return }
            state.view = .adjudicate
            focusOn(q.dimension)
            load(q.samplePKs[state.queuePosition])
        case .adjudicate:
            state.notice = Notice("choose the final label with its key, or \(state.setup.keymap.hint(.acceptJudge)) for the judge's")
        }
    }

    /// The focused heat-map cell's samples as a list, to adjudicate them.
    mutating func listCell() {
        guard state.view == .heatMap, let data = state.data, let m = state.heatMap else {
            state.notice = Notice("\(state.setup.keymap.hint(.samples)) lists a heat-map cell's samples: open a row's heat map first")
            return
        }
        let q = ReviewRules.cell(m, row: state.cellRow, column: state.cellColumn, items: data.items,
                                 dimension: state.focusedRowDimension, dimensions: state.setup.dimensions,
                                 settle: state.setup.settleUnanimous)
        show(q, from: .heatMap)
    }

    mutating func openConflicts() {
        guard let data = state.data, state.view == .table || state.view == .heatMap else { return }
        let q = ReviewRules.conflicts(data.items, dimension: state.focusedRowDimension, dimensions: state.setup.dimensions,
                                      settle: state.setup.settleUnanimous)
        show(q, from: state.view)
    }

    mutating func show(_ q: ReviewQueue, from: ReviewView) {
        state.queue = q
        state.queuePosition = 0
        state.queueFrom = from
        state.view = .queue
        if q.samplePKs.isEmpty {
            state.notice = Notice(q.settledHidden > 0 ? "nothing to adjudicate: \(q.settledHidden) unanimous sample(s) settled themselves"
                                                      : "no samples here")
        }
    }

    /// The samples on screen, in the label view: a heat-map cell's (every sample behind it,
    /// the settled ones too: the count on the cell), or the queue's from the focused one on.
    mutating func openLabelView() {
        let list: SampleList
        switch state.view {
        case .table:
            state.notice = Notice("open a heat-map cell (\(state.setup.keymap.hint(.open))) or a conflict queue "
                                  + "(\(state.setup.keymap.hint(.conflicts))) first: \(state.setup.keymap.hint(.labelView)) opens its samples")
            return
        case .heatMap:
            guard let m = state.heatMap, m.rows.indices.contains(state.cellRow), m.columns.indices.contains(state.cellColumn) else { return }
            list = SampleList(title: ReviewRules.cellTitle(m, row: state.cellRow, column: state.cellColumn, dimension: state.focusedRowDimension),
                              samplePKs: m.samples[state.cellRow][state.cellColumn])
        case .queue, .adjudicate:
            guard let q = state.queue else { return }
            list = SampleList(title: q.title, samplePKs: q.samplePKs, start: state.queuePosition)
        }
        guard !list.samplePKs.isEmpty else {
            state.notice = Notice("no samples here to open")
            return
        }
        effects.append(.openLabel(list))
    }

    mutating func labelClosed(saved: Int, interrupted: Bool) {
        state.labelsSaved += saved
        if interrupted {
            state.quitting = true
            return
        }
        // The lead's labels change votes, references and statuses: read everything again.
        effects.append(.load(judgeVersionID: state.judge?.id))
        if state.view == .adjudicate, let pk = state.currentPK { effects.append(.loadSample(pk, judgeVersionID: state.judge?.id)) }
        state.notice = Notice("back from the label view: \(saved) change\(saved == 1 ? "" : "s") saved there; figures recomputed")
    }

    mutating func back() {
        switch state.view {
        case .adjudicate: state.view = .queue
        case .queue: state.view = state.queueFrom
        case .heatMap: state.view = .table
        case .table: state.notice = Notice("\(state.setup.keymap.hint(.quit)) quits")
        }
    }

    mutating func move(_ delta: Int) {
        switch state.view {
        case .table: state.row = max(0, min(state.rowDimensions.count - 1, state.row + delta))
        case .heatMap:
            if let m = state.heatMap { state.cellRow = max(0, min(m.rows.count - 1, state.cellRow + delta)) }
        case .queue:
            let n = state.queue?.samplePKs.count ?? 0
            state.queuePosition = max(0, min(n - 1, state.queuePosition + delta))
        case .adjudicate: state.focus = max(0, min(state.dimensions.count - 1, state.focus + delta))
        }
    }

    /// Next or previous sample of the queue (on the list, the same as down and up).
    mutating func step(_ delta: Int) {
        guard state.view == .adjudicate else { move(delta); return }
        guard let q = state.queue else { return }
        let target = state.queuePosition + delta
        guard q.samplePKs.indices.contains(target) else {
            state.notice = Notice(delta > 0 ? "last sample of this queue (\(q.samplePKs.count))" : "first sample of this queue")
            return
        }
        state.queuePosition = target
        focusOn(q.dimension)
        load(q.samplePKs[target])
    }

    /// Focuses `dimension`, or the first dimension in conflict on the queued sample.
    mutating func focusOn(_ dimension: String?) {
        if let dimension, let i = state.setup.dimensions.firstIndex(of: dimension) {
            state.focus = i
        } else if let q = state.queue, q.samplePKs.indices.contains(state.queuePosition),
                  let item = state.item(q.samplePKs[state.queuePosition]),
                  let i = state.setup.dimensions.firstIndex(where: { item.status($0) == .conflict }) {
            state.focus = i
        } else {
            state.focus = 0
        }
    }

    mutating func load(_ pk: Int64) {
        if state.currentPK != pk || state.current == nil {
            state.currentPK = pk
            state.current = nil
            effects.append(.loadSample(pk, judgeVersionID: state.judge?.id))
        }
    }

    // MARK: Adjudicating

    mutating func askReason(dimension: String, label: String) {
        guard state.current != nil else { return }
        state.mode = .reason(LineEditor(), dimension: dimension, label: label)
    }

    mutating func submit(_ text: String, dimension: String, label: String) {
        let reason = text.trimmedSpaces
        guard !reason.isEmpty else {
            state.notice = Notice("an adjudication needs a reason: type it, enter saves (esc cancels)", isError: true)
            return
        }
        state.mode = .browse
        guard let cur = state.current else { return }
        let change = AdjudicationChange(samplePK: cur.review.samplePK, sampleID: cur.stored.sample.id, dimension: dimension,
                                        before: cur.review.adjudications[dimension],
                                        after: StandingAdjudication(lead: state.setup.lead, label: label, reason: reason))
        write(change, action: .adjudicate, isUndo: false)
        state.undoStack.append(change)
        // On to the next dimension of this sample still in conflict and not adjudicated.
        let dims = state.setup.dimensions
        if let item = state.item(cur.review.samplePK),
           let next = dims.indices.first(where: { item.status(dims[$0]) == .conflict && !item.adjudicated(dims[$0]) }) {
            state.focus = next
        }
    }

    mutating func undo() {
        guard let change = state.undoStack.popLast() else {
            state.notice = Notice("nothing to undo in this session")
            return
        }
        let reverse = AdjudicationChange(samplePK: change.samplePK, sampleID: change.sampleID, dimension: change.dimension,
                                         before: change.after, after: change.before)
        write(reverse, action: .undo, isUndo: true)
        state.notice = Notice("undone on \(change.sampleID): \(change.dimension) back to \(change.before?.label ?? "no adjudication")")
    }

    /// Shows a change at once and sends it to the store; "saved" waits for `.recorded`.
    mutating func write(_ change: AdjudicationChange, action: DecisionAction, isUndo: Bool) {
        let judgeLabel = state.item(change.samplePK)?.judge(change.dimension)
            ?? (state.current?.review.samplePK == change.samplePK ? state.current?.review.verdicts[change.dimension]?.label : nil)
        let decision = DecisionInput(
            samplePK: change.samplePK, dimension: change.dimension, annotator: state.setup.lead, role: .lead,
            label: change.after?.label, action: action, judgeLabel: judgeLabel,
            judgeVersionID: judgeLabel == nil ? nil : state.judge?.id,
            comment: change.after?.reason ?? (isUndo ? "undo" : nil), rubricVersion: state.setup.rubric.version)
        apply(change.samplePK, change.dimension, change.after)
        let request = state.nextRequest
        state.nextRequest += 1
        state.pending[request] = PendingAdjudication(change: change, isUndo: isUndo)
        effects.append(.record(request: request, decisions: [decision]))
    }

    /// Puts an adjudication (or none) on the sample on screen and its item: an adjudication
    /// is the sample's reference label (the stats' consensus rule lets it decide).
    mutating func apply(_ pk: Int64, _ dimension: String, _ adjudication: StandingAdjudication?) {
        if state.current?.review.samplePK == pk { state.current?.review.adjudications[dimension] = adjudication }
        guard let i = state.data?.items.firstIndex(where: { $0.samplePK == pk }) else { return }
        state.data?.items[i].review.adjudications[dimension] = adjudication
        if let a = adjudication { state.data?.items[i].reference[dimension] = a.label }
    }

    mutating func recordFailed(_ request: Int, _ message: String) {
        guard let p = state.pending.removeValue(forKey: request) else { return }
        state.saveError = message
        state.notice = Notice("NOT saved (\(p.change.sampleID) \(p.change.dimension)): \(message)", isError: true)
        apply(p.change.samplePK, p.change.dimension, p.change.before)
        if p.isUndo {
            state.undoStack.append(AdjudicationChange(samplePK: p.change.samplePK, sampleID: p.change.sampleID,
                                                      dimension: p.change.dimension, before: p.change.after, after: p.change.before))
        } else if let i = state.undoStack.lastIndex(of: p.change) {
            state.undoStack.remove(at: i)
        }
    }

    // MARK: Results

    mutating func loaded(_ data: ReviewData) {
        state.data = data
        state.loadError = nil
        state.row = min(state.row, state.rowDimensions.count - 1)
        if let m = state.heatMap {
            state.cellRow = min(state.cellRow, m.rows.count - 1)
            state.cellColumn = min(state.cellColumn, m.columns.count - 1)
        }
        // Writes in flight were made after this read began: keep them on top.
        for (_, p) in state.pending.sorted(by: { $0.key < $1.key }) { apply(p.change.samplePK, p.change.dimension, p.change.after) }
        if state.notice?.text == "recomputing the figures…" { state.notice = nil }
    }

    mutating func sampleLoaded(_ s: SampleForReview) {
        guard s.review.samplePK == state.currentPK else { return }
        state.current = s
        if let i = state.data?.items.firstIndex(where: { $0.samplePK == s.review.samplePK }) {
            state.data?.items[i].review = s.review
            for (d, a) in s.review.adjudications { state.data?.items[i].reference[d] = a.label }
        }
        for (_, p) in state.pending.sorted(by: { $0.key < $1.key }) where p.change.samplePK == s.review.samplePK {
            apply(p.change.samplePK, p.change.dimension, p.change.after)
        }
    }
}
