import Foundation
import Domain
import TerminalKit
import Yams

/// Reads keymap files:
///
/// ```yaml
/// # ~/.config/recjudge/keys.yaml (or keys.yaml in a session folder)
/// bind:
///   accept: a                # one key
///   next: [n, down]          # several keys
///   redo: none               # unbind (also: [])
/// ```
///
/// Command names are those of `Keymap.table` (`_` may stand for `-`); key names are those of
/// `Key(name:)`. A key given to a command leaves the command that had it before. Any
/// problem — unknown command, unknown key name, one key for two commands in the same file —
/// is an `InputError` naming the file and line, and nothing of that file is applied.
public enum KeymapFile {
    /// The user's keymap file: `$XDG_CONFIG_HOME/recjudge/keys.yaml`, else
    /// `~/.config/recjudge/keys.yaml`.
    public static func userPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            return (xdg as NSString).appendingPathComponent("recjudge/keys.yaml")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".config/recjudge/keys.yaml")
    }

    /// `keymap` with the bindings of each existing file applied in order (later files win).
    /// Files that do not exist are skipped.
    public static func load(_ paths: [String], onto keymap: Keymap = Keymap()) throws -> Keymap {
        var map = keymap
        for path in paths where FileManager.default.fileExists(atPath: path) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw InputError(file: path, line: nil, message: "cannot read: \(error.localizedDescription)")
            }
            map = try apply(text, file: path, to: map)
        }
        return map
    }

    /// `keymap` with the bindings of one file's text applied.
    public static func apply(_ text: String, file: String, to keymap: Keymap) throws -> Keymap {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let e as YamlError {
            throw InputError(file: file, line: line(of: e), message: "not valid YAML: \(problem(of: e))")
        } catch {
            throw InputError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
        guard let root else { return keymap }          // an empty file binds nothing
        guard case .mapping(let top) = root else {
            throw InputError(file: file, line: root.mark?.line, message: "expected a mapping with a 'bind' key")
        }
        var map = keymap
        var givenBy: [Key: (Command, Int?)] = [:]
        for (k, v) in top {
            guard k.string == "bind" else {
                throw InputError(file: file, line: k.mark?.line, field: k.string ?? "",
                                 message: "unknown key '\(k.string ?? "?")' (a keymap file has only 'bind')")
            }
            if case .scalar(let s) = v, s.string.isEmpty || s.string == "~" || s.string == "null" { continue }
            guard case .mapping(let binds) = v else {
                throw InputError(file: file, line: v.mark?.line, field: "bind", message: "expected command: key lines under 'bind'")
            }
            for (ck, cv) in binds {
                let at = ck.mark?.line
                let name = (ck.string ?? "").replacingOccurrences(of: "_", with: "-")
                guard let command = Command(rawValue: name) else {
                    throw InputError(file: file, line: at, field: "bind.\(ck.string ?? "?")",
                                     message: "unknown command '\(ck.string ?? "?")' (commands: \(Command.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                var keys: [Key] = []
                for (keyName, keyLine) in try names(cv, file: file, field: "bind.\(name)") {
                    let key: Key
                    do { key = try Key(name: keyName) } catch let e as KeyNameError {
                        throw InputError(file: file, line: keyLine ?? at, field: "bind.\(name)", message: e.description)
                    }
                    if let (other, otherLine) = givenBy[key], other != command {
                        throw InputError(file: file, line: keyLine ?? at, field: "bind.\(name)",
                                         message: "key '\(key.name)' is also bound to '\(other.rawValue)'\(otherLine.map { " on line \($0)" } ?? "")")
                    }
                    givenBy[key] = (command, keyLine ?? at)
                    keys.append(key)
                }
                map.bind(command, to: keys)
            }
        }
        return map
    }

    /// The key names of a binding value: a scalar, a list of scalars, or `none` / `[]`.
    private static func names(_ node: Node, file: String, field: String) throws -> [(String, Int?)] {
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

    private static func line(of e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let m, _), .parser(_, _, let m, _), .composer(_, _, let m, _): return m.line
        default: return nil
        }
    }

    private static func problem(of e: YamlError) -> String {
        switch e {
        case .scanner(_, let p, _, _), .parser(_, let p, _, _), .composer(_, let p, _, _): return p
        case .reader(let p, _, _, _): return p
        default: return "\(e)"
        }
    }
}
