// termcheck: a tiny full-screen program for the terminal toolkit's end-to-end tests.
//
//   termcheck [TEXT...]
//
// Row 0 is a title bar with the terminal size, row 1 shows TEXT (sanitised) followed by `|`,
// row 2 its display width, row 3 the name of the last key, row 4 a line editor fed by the
// keys typed. `q` quits with status 0; ctrl-z suspends (job control). Errors opening the
// terminal exit with status 2, lost input with 3. Nothing from the arguments is ever written
// to the terminal except through the grid.
import CursesBackend
import TerminalKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func printError(_ message: String) {
    let line = "termcheck: " + message + "\n"
    var bytes = Array(line.utf8)
    _ = write(2, &bytes, bytes.count)
}

struct Model {
    var text: String
    var lastKey = "none"
    var editor = LineEditor()
    var resizes = 0
}

func render(_ model: Model, width: Int, height: Int) -> (Grid, cursor: (x: Int, y: Int)) {
    var grid = Grid(width: width, height: height)
    let title = Style(foreground: .black, background: .cyan, bold: true)
    grid.fill(Rect(x: 0, y: 0, width: width, height: 1), style: title)
    grid.put(" termcheck 终端  \(width)x\(height)", x: 0, y: 0, style: title)
    let used = grid.put(model.text, x: 0, y: 1)
    grid.put("|", x: used, y: 1, style: Style(foreground: .yellow, bold: true))
    grid.put("width \(displayWidth(model.text))", x: 0, y: 2)
    grid.put("last key: \(model.lastKey)  resizes: \(model.resizes)", x: 0, y: 3)
    let prompt = "input> "
    let field = model.editor.visibleWindow(width: max(1, width - prompt.count))
    grid.put(prompt + field.text, x: 0, y: 4)
    grid.put("q quits", x: 0, y: 5, style: Style(dim: true))
    return (grid, (prompt.count + field.cursorColumn, 4))
}

@MainActor
func main() -> Int32 {
    let terminal: CursesTerminal
    do {
        terminal = try CursesTerminal()
    } catch {
        printError("\(error)")
        return 2
    }
    defer { terminal.close() }
    var model = Model(text: CommandLine.arguments.dropFirst().joined(separator: " "))
    while true {
        let (width, height) = terminal.size
        let (grid, cursor) = render(model, width: width, height: height)
        terminal.draw(grid)
        terminal.showCursor(at: cursor)
        switch terminal.readKey(timeoutMilliseconds: -1) {
        case .timeout:
            continue
        case .endOfInput:
            terminal.close()
            printError("input closed")
            return 3
        case .key(.char("q")):
            return 0
        case .key(.ctrl("z")):
            model.lastKey = "ctrl-z"
            terminal.suspend()
        case .key(let key):
            if case .resize = key { model.resizes += 1 }
            model.lastKey = key.name
            model.editor.handle(key)
        }
    }
}

exit(main())
