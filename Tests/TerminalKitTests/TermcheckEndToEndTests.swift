import Foundation
import Testing
import TerminalKit
import TestSupport

/// Drives the real ncurses backend through `termcheck` in a private tmux server.
@Suite struct TermcheckEndToEndTests {
    @Test func hostileTextIsShownNotObeyedAndWideTextLinesUp() throws {
        let hostile = "A\u{1B}]0;pwned\u{07}B\u{1B}[2J户外防水登山鞋"
        let tmux = try TmuxSession()
        defer { tmux.kill() }
        try tmux.start(command: [try builtProduct("termcheck").path, hostile], width: 60, height: 12)

        try tmux.waitFor("termcheck 终端  60x12")
        let screen = try tmux.capture().components(separatedBy: "\n")
        // Row 1 is the text as the sanitiser shows it, then `|` drawn at x = its display width:
        // if ncurses and tmux disagreed about any width, the `|` would not follow the text.
        #expect(screen[1] == "A␛]0;pwned␇B␛[2J户外防水登山鞋|")
        #expect(displayWidth("A␛]0;pwned␇B␛[2J") == 16)
        #expect(screen[1].hasPrefix("A␛]0;pwned␇B␛[2J户外"))
        #expect(screen[2] == "width 30")
        #expect(try tmux.paneTitle() != "pwned")
        #expect(try tmux.captureWithEscapes().components(separatedBy: "\n")[0].contains("\u{1B}["))
        #expect(!(try tmux.capture()).contains("\u{1B}"))

        try tmux.sendKeys("Up")
        try tmux.waitFor("last key: up")
        try tmux.sendLiteral("鞋子")
        try tmux.waitFor("input> 鞋子")
        #expect(try tmux.display("#{cursor_x},#{cursor_y}") == "11,4")   // "input> " + 4 columns
        // Raw mode: ctrl-c is a key, not a signal.
        for (key, name) in [("C-c", "ctrl-c"), ("Home", "home"), ("End", "end"), ("F5", "f5"),
                            ("PageDown", "pgdn"), ("BTab", "backtab"), ("Escape", "esc")] {
            try tmux.sendKeys(key)
            try tmux.waitFor("last key: \(name) ")
        }
        try tmux.sendKeys("BSpace")
        try tmux.waitFor("input> 鞋\n")

        try tmux.resize(width: 40, height: 10)
        try tmux.waitFor("termcheck 终端  40x10")
        try tmux.waitFor("last key: resize  resizes: 1")

        try tmux.sendKeys("q")
        let status = try tmux.waitForExit()
        let finalScreen = try tmux.capture()
        #expect(status == 0, "screen:\n\(finalScreen)")

        // The check above can fail: a program that does emit the OSC does get its title set.
        try tmux.run(["new-window", "-d", "-n", "control", "printf", "\u{1B}]2;pwned\u{07}"])
        try tmux.poll(description: "the control pane's title") {
            try tmux.run(["display-message", "-p", "-t", "main:control", "#{pane_title}"]) == "pwned\n"
        }
    }

    @Test func refusesToRunWithoutATerminal() throws {
        let result = try spawnProcess([try builtProduct("termcheck").path, "\u{1B}]0;pwned\u{07}"],
                                      env: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        #expect(result.status == 2)
        #expect(result.stderr == "termcheck: standard input is not a terminal; the workbench needs an interactive terminal (run it in a terminal or tmux, not with redirected input or output)\n")
        #expect(result.stdout.isEmpty)
    }
}
