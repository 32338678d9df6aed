import Foundation
import Domain
import TerminalKit
import Yams

/// Both screens' keymaps, as a keymap file sets them.
public struct Keymaps: Sendable, Equatable {
    /// The label screen's (`bind:`).
    public var label: Keymap
    /// The review screen's (`review:`).
    public var review: ReviewKeymap

    public init(label: Keymap = Keymap(), review: ReviewKeymap = ReviewKeymap()) {
        self.label = label; self.review = review
    }
}

/// Reads keymap files:
///
/// ```yaml
/// # ~/.config/recjudge/keys.yaml (or keys.yaml in a session folder)
/// bind:                      # the label screen
///   accept: a                # one key
///   next: [n, down]          # several keys
///   redo: none               # unbind (also: [])
/// review:                    # the review screen
///   label_view: O
///   conflicts: [c, x]
/// ```
///
/// Names are those of `Keymap.table` (label commands) and `ReviewKeymap.table` (review
/// requests); `_` may stand for `-`. Key names are those of `Key(name:)`. A key given to a
/// name leaves the one that had it before on that screen. Any problem — unknown section or
/// name, unknown key name, one key for two names of the same screen in one file — is an
/// `InputError` naming the file and line, and nothing of that file is applied.
public enum KeymapFile {
    /// The file's sections: `bind` for the label screen (its historical name), `review`.
    static let sections = ["bind", "review"]

    /// The user's keymap file: `$XDG_CONFIG_HOME/recjudge/keys.yaml`, else
    /// `~/.config/recjudge/keys.yaml`.
    public static func userPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            return (xdg as NSString).appendingPathComponent("recjudge/keys.yaml")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".config/recjudge/keys.yaml")
    }

    /// `keymaps` with the bindings of each existing file applied in order (later files win).
    /// Files that do not exist are skipped.
    public static func loadAll(_ paths: [String], onto keymaps: Keymaps = Keymaps()) throws -> Keymaps {
        var maps = keymaps
        for path in paths where FileManager.default.fileExists(atPath: path) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw InputError(file: path, line: nil, message: "cannot read: \(error.localizedDescription)")
            }
            maps = try apply(text, file: path, to: maps)
        }
        return maps
    }

    /// The label screen's keymap from files (see `loadAll`).
    public static func load(_ paths: [String], onto keymap: Keymap = Keymap()) throws -> Keymap {
        try loadAll(paths, onto: Keymaps(label: keymap)).label
    }

    /// `keymap` with the `bind:` section of one file's text applied (the whole file is checked).
    public static func apply(_ text: String, file: String, to keymap: Keymap) throws -> Keymap {
        try apply(text, file: file, to: Keymaps(label: keymap)).label
    }

    /// `keymaps` with every section of one file's text applied.
    public static func apply(_ text: String, file: String, to keymaps: Keymaps) throws -> Keymaps {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let e as YamlError {
            throw InputError(yaml: e, file: file)
        } catch {
            throw InputError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
        guard let root else { return keymaps }          // an empty file binds nothing
        guard case .mapping(let top) = root else {
            throw InputError(file: file, line: root.mark?.line, message: "expected a mapping with a 'bind' or 'review' key")
        }
        var maps = keymaps
        var seen: [String: Int?] = [:]
        for (k, v) in top {
            let section = k.string ?? ""
            guard sections.contains(section) else {
                throw InputError(file: file, line: k.mark?.line, field: section,
                                 message: "unknown key '\(k.string ?? "?")' (a keymap file has 'bind' for the label screen and 'review')")
            }
            if let earlier = seen[section] {
                throw InputError(file: file, line: k.mark?.line, field: section,
                                 message: "'\(section)' appears twice\(earlier.map { " (first on line \($0))" } ?? "")")
            }
            seen[section] = k.mark?.line
            if section == "bind" {
                for (command, keys) in try bindings(v, section: section, file: file, kind: "command", names: Command.allCases.map(\.rawValue),
                                                    parse: { Command(rawValue: $0) }) {
                    maps.label.bind(command, to: keys)
                }
            } else {
                for (request, keys) in try bindings(v, section: section, file: file, kind: "review request",
                                                    names: ReviewRequest.allCases.map(\.rawValue), parse: { ReviewRequest(rawValue: $0) }) {
                    maps.review.bind(request, to: keys)
                }
            }
        }
        return maps
    }

    /// The `name: keys` lines of one section, checked, in file order.
    private static func bindings<Name: Hashable>(_ node: Node, section: String, file: String, kind: String, names: [String],
                                                 parse: (String) -> Name?) throws -> [(Name, [Key])] {
        if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return [] }
        guard case .mapping(let binds) = node else {
            throw InputError(file: file, line: node.mark?.line, field: section, message: "expected \(kind): key lines under '\(section)'")
        }
        var out: [(Name, [Key])] = []
        var givenBy: [Key: (String, Int?)] = [:]
        for (ck, cv) in binds {
            let at = ck.mark?.line
            let name = (ck.string ?? "").replacingOccurrences(of: "_", with: "-")
            guard let parsed = parse(name) else {
                throw InputError(file: file, line: at, field: "\(section).\(ck.string ?? "?")",
                                 message: "unknown \(kind) '\(ck.string ?? "?")' (\(kind)s: \(names.joined(separator: ", ")))")
            }
            var keys: [Key] = []
            for (keyName, keyLine) in try keyNames(cv, file: file, field: "\(section).\(name)") {
                let key: Key
                do { key = try Key(name: keyName) } catch let e as KeyNameError {
                    throw InputError(file: file, line: keyLine ?? at, field: "\(section).\(name)", message: e.description)
                }
                if let (other, otherLine) = givenBy[key], other != name {
                    throw InputError(file: file, line: keyLine ?? at, field: "\(section).\(name)",
                                     message: "key '\(key.name)' is also bound to '\(other)'\(otherLine.map { " on line \($0)" } ?? "")")
                }
                givenBy[key] = (name, keyLine ?? at)
                keys.append(key)
            }
            out.append((parsed, keys))
        }
        return out
    }

    /// The key names of a binding value: a scalar, a list of scalars, or `none` / `[]`.
    private static func keyNames(_ node: Node, file: String, field: String) throws -> [(String, Int?)] {
        switch node {
        case .scalar(let s):
            if s.string.lowercased() == "none" && s.style == .plain { return [] }
            return [(s.string, node.mark?.line)]
        case .sequence(let seq):
            return try seq.map { item in
                guard case .scalar(let s) = item else {
                    throw InputError(file: file, line: item.mark?.line, field: field, message: "expected a key name")
                }
                return (s.string, item.mark?.line)
            }
        default:
            throw InputError(file: file, line: node.mark?.line, field: field, message: "expected a key name or a list of key names")
        }
    }
}
