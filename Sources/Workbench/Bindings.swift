import TerminalKit

/// Keys ↔ the named requests of one screen: the defaults of its table, changed by user
/// bindings. A key runs at most one request; a request may have several keys or none.
/// Both screens' keymaps (`Keymap`, `ReviewKeymap`) keep their keys in one of these.
struct Bindings<Name: Hashable & Sendable>: Sendable, Equatable {
    /// The requests in table order (lookups prefer the earlier one when defaults collide).
    private let order: [Name]
    private(set) var keys: [Name: [Key]]
    private var lookup: [Key: Name] = [:]

    init(_ defaults: [(Name, [Key])]) {
        order = defaults.map(\.0)
        keys = Dictionary(defaults, uniquingKeysWith: { a, _ in a })
        rebuild()
    }

    func name(for key: Key) -> Name? { lookup[key] }

    func keys(for name: Name) -> [Key] { keys[name] ?? [] }

    /// Gives `name` exactly `keys` (none unbinds it). A key taken from another request leaves
    /// that request: the newest binding wins, as in tig.
    mutating func bind(_ name: Name, to newKeys: [Key]) {
        let taken = Set(newKeys)
        for (n, ks) in keys where n != name { keys[n] = ks.filter { !taken.contains($0) } }
        var unique: [Key] = []
        for k in newKeys where !unique.contains(k) { unique.append(k) }
        keys[name] = unique
        rebuild()
    }

    /// Label hotkeys that a binding takes: pressing them runs the request, so the label
    /// cannot be picked with its hotkey.
    func shadowed(_ dimensions: [DimensionHotkeys]) -> [(key: Key, name: Name, label: String, dimension: String)] {
        var out: [(key: Key, name: Name, label: String, dimension: String)] = []
        for d in dimensions {
            for (hotkey, label) in d.labels {
                let key = Key.char(hotkey)
                if let n = lookup[key] { out.append((key, n, label, d.dimension)) }
            }
        }
        return out
    }

    private mutating func rebuild() {
        lookup = [:]
        for n in order { for k in keys[n] ?? [] where lookup[k] == nil { lookup[k] = n } }
    }
}
