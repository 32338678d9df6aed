/// Lays `text` out in lines of at most `width` columns, by display width.
///
/// The text is sanitised first, keeping its line breaks, which always start a new line.
/// Lines break at spaces (which are dropped at the break) and anywhere before or after a wide
/// character such as CJK, except before closing punctuation (`，。」)` …), which stays with the
/// character before it. A word longer than the line is cut where it reaches the edge. Leading
/// spaces of a paragraph are kept as indentation. Returns sanitised lines, ready to `put`; one
/// empty line for empty text and none when `width` < 1. Only a character wider than `width`
/// itself (a CJK character at width 1) makes a line wider than `width`.
public func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    let clean = Sanitizer.sanitize(text, keepingLineBreaks: true)
    var lines: [String] = []
    for paragraph in clean.split(separator: "\n", omittingEmptySubsequences: false) {
        wrapParagraph(Array(paragraph), width: width, into: &lines)
    }
    return lines
}

/// `text` sanitised onto one line and cut to at most `width` columns, ending in `ellipsis`
/// when anything was cut (without it when even the ellipsis does not fit). Whole characters
/// only: a wide character that does not fit is dropped, so the result may be a column short.
public func truncate(_ text: String, width: Int, ellipsis: String = "…") -> String {
    let clean = Sanitizer.sanitize(text)
    guard width > 0 else { return "" }
    if displayWidth(clean) <= width { return clean }
    let mark = Sanitizer.sanitize(ellipsis)
    let markWidth = displayWidth(mark)
    let room = markWidth <= width ? width - markWidth : width
    var result = ""
    var used = 0
    for character in clean {
        let w = sanitizedWidth(character)
        if used + w > room { break }
        result.append(character)
        used += w
    }
    return markWidth <= width ? result + mark : result
}

/// How `pad` places text in its field.
public enum TextAlignment: Sendable, Hashable {
    case left, right, center
}

/// `text` sanitised, truncated with an ellipsis if too wide, and padded with spaces to exactly
/// `width` columns (0 when `width` < 1). Centred text puts the odd space on the right.
public func pad(_ text: String, width: Int, alignment: TextAlignment = .left) -> String {
    guard width > 0 else { return "" }
    let fitted = truncate(text, width: width)
    let gap = width - displayWidth(fitted)
    switch alignment {
    case .left:
        return fitted + String(repeating: " ", count: gap)
    case .right:
        return String(repeating: " ", count: gap) + fitted
    case .center:
        return String(repeating: " ", count: gap / 2) + fitted + String(repeating: " ", count: gap - gap / 2)
    }
}

// MARK: - Wrapping

/// Punctuation that must not begin a line (kinsoku): it stays with the character before it.
private let noBreakBefore: Set<Character> = [
    "，", "。", "、", "：", "；", "！", "？", "）", "」", "』", "】", "》", "〉", "’", "”", "…", "～", "．", "·",
    ",", ".", ";", ":", "!", "?", ")", "]", "}",
]

private func wrapParagraph(_ characters: [Character], width: Int, into lines: inout [String]) {
    var line: [Character] = []
    var lineWidth = 0
    var breakAt: Int?      // a new line may start at this index of `line`
    var continuing = false // this line continues a wrapped paragraph

    func finish(_ chars: ArraySlice<Character>) {
        var text = String(chars)
        while text.last == " " { text.removeLast() }
        lines.append(text)
        continuing = true
    }

    for character in characters {
        let w = sanitizedWidth(character)
        if character == " " {
            if line.isEmpty && continuing { continue }
            if lineWidth + w <= width {
                line.append(character)
                lineWidth += w
                breakAt = line.count
            } else {
                finish(line[...])
                line = []
                lineWidth = 0
                breakAt = nil
            }
            continue
        }
        let wide = w >= 2
        if noBreakBefore.contains(character), breakAt == line.count {
            // Carry the previous wide character over with the punctuation instead.
            let previousIsWide = line.last.map { sanitizedWidth($0) >= 2 } ?? false
            breakAt = previousIsWide && line.count > 1 ? line.count - 1 : nil
        } else if wide && !line.isEmpty {
            breakAt = line.count
        }
        if lineWidth + w > width && !line.isEmpty {
            if let b = breakAt, b > 0 {
                finish(line[..<b])
                line = Array(line[b...])
                lineWidth = line.reduce(0) { $0 + sanitizedWidth($1) }
            } else {
                finish(line[...])
                line = []
                lineWidth = 0
            }
            breakAt = nil
            if lineWidth + w > width && !line.isEmpty {
                finish(line[...])
                line = []
                lineWidth = 0
            }
        }
        line.append(character)
        lineWidth += w
        if wide { breakAt = line.count }
    }
    if !line.isEmpty || !continuing {
        finish(line[...])
    }
}
