/// One possible answer on a dimension, e.g. `weak_relevance` (fails) on tag relevance.
public struct RubricLabel: Sendable, Equatable, Hashable {
    public var key: String
    public var text: String
    public var passes: Bool
    /// The key that picks this label in the workbench (one character).
    public var hotkey: Character
}

public struct RubricExample: Sendable, Equatable {
    public var label: String
    public var output: JSONValue
    public var note: String
}

/// A rubric dimension: a question, its ordered labels, a guideline and examples.
public struct Dimension: Sendable, Equatable {
    public var key: String
    public var question: String
    /// Labels in the rubric's order, which is the order weighted statistics use.
    public var labels: [RubricLabel]
    public var guideline: String
    public var examples: [RubricExample]

    public func label(_ key: String) -> RubricLabel? { labels.first { $0.key == key } }
    public func label(hotkey: Character) -> RubricLabel? { labels.first { $0.hotkey == hotkey } }
    public var passingLabels: [String] { labels.filter(\.passes).map(\.key) }
}

/// The fields of `output` a task's samples must and may carry (all text).
public struct OutputShape: Sendable, Equatable {
    public var required: [String]
    public var optional: [String]
    public var all: [String] { required + optional }
}

/// The judge prompt the rubric renders for a sample.
public struct JudgeTemplate: Sendable, Equatable {
    public var system: String
    public var prompt: String
}

/// A task's rubric, loaded from `rubrics/<task>.yaml`. A sample passes when every dimension passes.
public struct Rubric: Sendable, Equatable {
    public var task: String
    public var title: String
    public var version: Int
    /// Whether samples of this task must carry an `item` (explanations are about one item).
    public var needsItem: Bool
    public var output: OutputShape
    public var dimensions: [Dimension]
    public var judge: JudgeTemplate
    /// Where the rubric was read from (for messages).
    public var file: String

    public func dimension(named key: String) -> Dimension? { dimensions.first { $0.key == key } }

    /// The stable identity of the rubric's content, part of every judge version.
    public var fingerprint: String {
        var parts = ["\(task)", "\(version)", judge.system, judge.prompt]
        for d in dimensions {
            parts.append(d.key); parts.append(d.guideline)
            for l in d.labels { parts.append("\(l.key)=\(l.passes)") }
        }
        return SHA256.hex(parts.joined(separator: "\u{1F}"))
    }
}
