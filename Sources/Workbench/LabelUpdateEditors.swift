import Domain
import Store
import TerminalKit

/// The label screen's update, continued: the comment, search and filter fields, the filter
/// menu and the full-body pages.
extension LabelUpdater {
    // MARK: Editors and menus

    mutating func submitComment(_ text: String) {
        let trimmed = text.trimmedSpaces
        guard let cur = state.current, !trimmed.isEmpty else {
            state.notice = Notice("empty comment: nothing saved")
            return
        }
        state.commentsPending += 1
        effects.append(.comment(samplePK: cur.stored.pk, dimension: state.focusedDimension?.key, text: trimmed))
    }

    mutating func submitSearch(_ text: String) {
        let term = text.trimmedSpaces
        state.searchTerm = term
        guard !term.isEmpty else { return }
        let v = state.visible
        var candidates: [Int64] = []
        if v.indices.contains(state.position) {
            candidates = Array(v[(state.position + 1)...]) + Array(v[..<state.position])
            if let pk = state.currentPK { candidates.append(pk) }
        } else {
            candidates = v
        }
        effects.append(.search(term: term, candidates: candidates))
    }

    mutating func filterMenuKey(_ key: Key) {
        var f = state.filter
        let km = state.setup.keymap
        switch key {
        case .escape, .enter, .char("q"):
            state.mode = .browse
            return
        case _ where km.command(for: key) == .filter:
            state.mode = .browse
            return
        case .char("u"): f.unlabelled.toggle()
        case .char("x"), .char("d"):
            if state.setup.blind {
                state.notice = Notice("blind: filters on the judge's answers would show them", isError: true)
                return
            }
            if state.setup.judge == nil {
                state.notice = Notice("no judge has verdicts for this task", isError: true)
                return
            }
            if key == .char("x") { f.judgeFailed.toggle() } else { f.disagreement.toggle() }
        case .char("l"):
            state.mode = .filterLabel(LineEditor(f.label ?? ""))
            return
        case .char("a"), .char("c"): f = QueueFilter()
        case .char(let c) where c.isASCII && c.isNumber:
            let i = Int(String(c)).map { $0 - 1 } ?? -1
            guard state.dimensions.indices.contains(i) else {
                state.notice = Notice("no dimension \(c)", isError: true)
                return
            }
            let key = state.dimensions[i].key
            f.dimension = f.dimension == key ? nil : key
            if f.dimension != nil { state.focus = i }
        default:
            state.notice = Notice("\(key.name): not a filter key (esc closes)")
            return
        }
        effects.append(.applyFilter(f))
    }

    mutating func submitFilterLabel(_ text: String) {
        let wanted = text.trimmedSpaces
        var f = state.filter
        if wanted.isEmpty {
            f.label = nil
        } else {
            let dims = f.dimension.flatMap { k in state.dimensions.first { $0.key == k } }.map { [$0] } ?? state.dimensions
            let labels = dims.flatMap(\.labels)
            guard let match = labels.first(where: { $0.key == wanted }) ?? labels.first(where: { $0.text == wanted }) else {
                var known: [String] = []
                for l in labels.map(\.key) where !known.contains(l) { known.append(l) }
                state.notice = Notice("no label “\(wanted)” (labels: \(known.joined(separator: ", ")))", isError: true)
                return
            }
            f.label = match.key
        }
        effects.append(.applyFilter(f))
    }

    mutating func pageKey(_ key: Key, scroll: Int, opener: Command, _ make: (Int) -> Mode) {
        let command = state.setup.keymap.command(for: key)
        if key == .escape || command == .quit || command == opener || key == .char("q") {
            state.mode = .browse
            return
        }
        var s = scroll
        switch command {
        case .focusDown?: s += 1
        case .focusUp?: s -= 1
        case .scrollDown?, .nextUnlabelled?: s += max(1, state.viewport.height - 4)
        case .scrollUp?: s -= max(1, state.viewport.height - 4)
        case .first?: s = 0
        case .last?: s = Int.max / 2
        default:
            if key == .enter { state.mode = .browse; return }
            state.notice = Notice("\(key.name): esc closes this page; \(state.setup.keymap.hint(.focusDown))/\(state.setup.keymap.hint(.focusUp)) scroll")
            return
        }
        state.mode = make(s)
        clampOverlayScroll()
    }

    mutating func clampOverlayScroll() {
        let w = state.viewport.width - 2
        let visibleRows = max(1, state.viewport.height - 3)
        func clamp(_ s: Int, _ lines: Int) -> Int { max(0, min(s, lines - visibleRows)) }
        switch state.mode {
        case .help(let s): state.mode = .help(scroll: clamp(s, Pages.help(state, width: w).count))
        case .guideline(let s): state.mode = .guideline(scroll: clamp(s, Pages.guideline(state, width: w).count))
        case .zoom(let s): state.mode = .zoom(scroll: clamp(s, Pages.zoom(state, width: w).count))
        default: break
        }
    }
}
