import Testing
import TerminalKit

@Suite struct StyleTests {
    @Test func autoModeFollowsTheTerminalAndNoColor() {
        #expect(ColorMode.auto.resolved(terminalColors: 256, environment: [:]) == .colors256)
        #expect(ColorMode.auto.resolved(terminalColors: 8, environment: [:]) == .colors8)
        #expect(ColorMode.auto.resolved(terminalColors: 0, environment: [:]) == .monochrome)
        #expect(ColorMode.auto.resolved(terminalColors: 256, environment: ["NO_COLOR": "1"]) == .monochrome)
        #expect(ColorMode.auto.resolved(terminalColors: 256, environment: ["NO_COLOR": ""]) == .colors256)
    }

    @Test func explicitModesAreCappedByTheTerminal() {
        #expect(ColorMode.colors256.resolved(terminalColors: 8, environment: [:]) == .colors8)
        #expect(ColorMode.colors8.resolved(terminalColors: 256, environment: ["NO_COLOR": "1"]) == .colors8)
        #expect(ColorMode.colors8.resolved(terminalColors: 2, environment: [:]) == .monochrome)
        #expect(ColorMode.monochrome.resolved(terminalColors: 256, environment: [:]) == .monochrome)
    }

    @Test func paletteColoursDegradeToBasicOnes() {
        #expect(Color.indexed(196).basic == .red)
        #expect(Color.indexed(46).basic == .green)
        #expect(Color.indexed(21).basic == .blue)
        #expect(Color.indexed(9).basic == .red)
        #expect(Color.indexed(3).basic == .yellow)
        #expect(Color.indexed(255).basic == .white)
        #expect(Color.indexed(233).basic == .black)
        #expect(Color.cyan.basic == .cyan)
        #expect(Color.default.paletteIndex == -1)
        #expect(Color.indexed(200).paletteIndex == 200)
    }

    @Test func withoutColourStylesStayDistinguishable() {
        let highlight = Style(foreground: .black, background: .cyan)
        #expect(highlight.adapted(to: .monochrome) == Style(reverse: true))
        #expect(Style(foreground: .red).adapted(to: .monochrome) == Style(bold: true))
        #expect(Style(foreground: .indexed(240)).adapted(to: .monochrome) == Style(dim: true))
        #expect(Style(underline: true).adapted(to: .monochrome) == Style(underline: true))
        #expect(Style(foreground: .indexed(196), background: .indexed(21)).adapted(to: .colors8)
                == Style(foreground: .red, background: .blue))
        #expect(highlight.adapted(to: .colors256) == highlight)
    }
}
