import Domain
import Store
import TerminalKit

/// The label screen's update, continued: moving through the queue and taking in the results
/// of the runtime's effects.
extension LabelUpdater {
    // MARK: Moving through the queue

    mutating func move(by delta: Int) {
        guard state.opened else { return }
        var target = state.position + delta
        if let pk = state.currentPK, state.visible.indices.contains(state.position), state.visible[state.position] != pk, delta > 0 {
            target = state.position       // the sample on screen is outside the view: its neighbour is next
        }
        if target >= state.visible.count {
            if state.claimsJoinView && !state.claiming {
                claimMore(then: .next)
            } else if !state.claiming {
                state.notice = Notice(state.setup.list != nil ? "last sample of this review list"
                                      : state.claimsJoinView ? "end of your queue: no more work in \(state.setup.task) for now"
                                      : "end of the filtered queue")
            }
            return
        }
        if target < 0 {
            state.notice = Notice("this is the first sample of the queue")
            return
        }
        show(index: target)
    }

    mutating func nextUnlabelled() {
        guard state.opened else { return }
        let v = state.visible
        if state.position + 1 < v.count, let i = (state.position + 1..<v.count).first(where: { !state.done.contains(v[$0]) }) {
            show(index: i)
        } else if state.claimsJoinView && !state.claiming {
            claimMore(then: .unlabelled)
        } else {
            wrapToUnlabelled()
        }
    }

    mutating func wrapToUnlabelled() {
        let v = state.visible
        if let i = v.indices.first(where: { !state.done.contains(v[$0]) && v[$0] != state.currentPK }) {
            show(index: i)
        } else {
            state.notice = Notice("every sample in this queue is finished")
        }
    }

    mutating func show(index i: Int) {
        guard state.visible.indices.contains(i) else { return }
        state.position = i
        let pk = state.visible[i]
        if state.currentPK != pk || state.current == nil {
            state.currentPK = pk
            state.current = nil
            state.contextScroll = 0
            effects.append(.load(pk))
        }
        var neighbours: [Int64] = []
        if i + 1 < state.visible.count { neighbours.append(state.visible[i + 1]) }
        if i > 0 { neighbours.append(state.visible[i - 1]) }
        if !neighbours.isEmpty { effects.append(.prefetch(neighbours)) }
        claimAheadIfNeeded()
    }

    mutating func claimMore(then advance: Advance) {
        state.claiming = true
        state.pendingAdvance = advance
        state.notice = Notice("claiming more work…")
        effects.append(.claim(count: state.setup.claimBatch, ahead: false))
    }

    mutating func claimAheadIfNeeded() {
        guard state.claimsJoinView, !state.exhausted, !state.claiming else { return }
        if state.visible.count - state.position - 1 <= state.setup.claimAhead {
            state.claiming = true
            effects.append(.claim(count: state.setup.claimBatch, ahead: true))
        }
    }

    // MARK: Results

    mutating func queueOpened(_ claimed: [Int64], _ done: Set<Int64>, _ exhausted: Bool) {
        state.opened = true
        state.claimed = claimed
        state.done = done
        state.visible = claimed
        state.exhausted = exhausted
        guard !claimed.isEmpty else {
            state.notice = Notice(state.setup.list != nil ? "no samples in this review list"
                                  : "no work for you in \(state.setup.task): every sample is assigned, or the task has none")
            return
        }
        if let list = state.setup.list {
            show(index: max(0, min(claimed.count - 1, list.start)))
            return
        }
        show(index: claimed.firstIndex { !done.contains($0) } ?? claimed.count - 1)
    }

    mutating func claimed(_ claim: Claim) {
        state.claiming = false
        let known = Set(state.claimed)
        let fresh = claim.samplePKs.filter { !known.contains($0) }
        state.claimed += fresh
        if state.claimsJoinView { state.visible += fresh }
        state.exhausted = claim.exhausted
        let advance = state.pendingAdvance
        state.pendingAdvance = nil
        if state.notice?.text == "claiming more work…" { state.notice = nil }
        switch advance {
        case .next?:
            if let first = fresh.first, let i = state.visible.firstIndex(of: first) {
                show(index: i)
            } else {
                state.notice = Notice("end of your queue: no more work in \(state.setup.task) for now")
            }
        case .unlabelled?:
            if let first = fresh.first, let i = state.visible.firstIndex(of: first) {
                show(index: i)
            } else {
                wrapToUnlabelled()
            }
        case nil:
            break
        }
    }

    mutating func loaded(_ sample: SampleForLabelling) {
        let pk = sample.stored.pk
        guard pk == state.currentPK else { return }
        var s = sample
        // Writes still in flight were made after this read began: show them on top, oldest first.
        for (_, p) in state.pending.sorted(by: { $0.key < $1.key }) where p.change.samplePK == pk {
            for e in p.change.edits { s.labels[e.dimension] = e.after }
        }
        let arriving = state.current?.stored.pk != pk
        if arriving { state.timeline = SampleText.timeline(s.stored.sample) }
        state.current = s
        if s.done { state.done.insert(pk) } else { state.done.remove(pk) }
        if arriving {
            state.focus = state.dimensions.firstIndex { s.labels[$0.key] == nil } ?? 0
            state.contextScroll = 0
        }
        if !s.held && !s.done && state.notice == nil && state.setup.list == nil {
            state.notice = Notice("your lease on this sample lapsed and it went to someone else; answers you give are still kept")
        }
    }

    mutating func recorded(_ request: Int, _ pk: Int64, _ done: Bool) {
        guard state.pending.removeValue(forKey: request) != nil else { return }
        state.savedCount += 1
        state.saveError = nil
        if done { state.done.insert(pk) } else { state.done.remove(pk) }
        if state.current?.stored.pk == pk {
            state.current?.done = done
            state.current?.held = true
        }
    }

    mutating func recordFailed(_ request: Int, _ message: String) {
        guard let p = state.pending.removeValue(forKey: request) else { return }
        state.saveError = message
        state.notice = Notice("NOT saved (\(describe(p.change))): \(message)", isError: true)
        if state.current?.stored.pk == p.change.samplePK {
            for e in p.change.edits { state.current?.labels[e.dimension] = e.before }
        }
        switch p.kind {
        case .undo:
            let original = inverse(p.change)
            if let i = state.redoStack.lastIndex(of: original) { state.redoStack.remove(at: i) }
            state.undoStack.append(original)
        case .redo:
            if let i = state.undoStack.lastIndex(of: p.change) { state.undoStack.remove(at: i) }
            state.redoStack.append(p.change)
        default:
            if let i = state.undoStack.lastIndex(of: p.change) { state.undoStack.remove(at: i) }
        }
    }

    mutating func filtered(_ filter: QueueFilter, _ pks: [Int64]) {
        state.filter = filter
        state.visible = pks
        if let pk = state.currentPK, let i = pks.firstIndex(of: pk) {
            state.position = i
        } else if !pks.isEmpty {
            show(index: 0)
        } else {
            state.position = 0
            state.notice = Notice("no sample of your queue matches this filter")
        }
    }

    mutating func searched(_ term: String, _ found: Int64?) {
        guard let found else {
            state.notice = Notice("“\(term)” is in no other sample of this queue")
            return
        }
        if found == state.currentPK {
            state.notice = Notice("“\(term)”: only this sample matches")
        } else if let i = state.visible.firstIndex(of: found) {
            show(index: i)
            state.notice = Notice("found “\(term)”")
        }
    }

    mutating func tick(_ now: Double) {
        let interval = Double(state.setup.policy.leaseMinutes) * 60 / 3
        if state.activeSinceRenewal && now - state.lastRenewal >= interval {
            state.activeSinceRenewal = false
            state.lastRenewal = now
            effects.append(.renewLeases)
        }
    }
}
