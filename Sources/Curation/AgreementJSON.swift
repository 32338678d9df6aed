// `recjudge stats --json`: the report as JSON, in a documented schema that only grows.
import Stats

extension AgreementReport {
    /// The schema's name and version. A new field may appear within a version; a field is
    /// never renamed, removed or given another meaning without a new version.
    public static let jsonSchema = "recjudge.stats/1"

    /// The schema, as printed by `recjudge stats --schema`.
    public static let jsonSchemaDescription = """
    recjudge.stats/1 — the JSON written by `recjudge stats --json`

    Top level
      schema        "recjudge.stats/1"
      session       the session's name
      options       {task, judge, annotator: string|null; by: "week"|"judge-version"|null;
                     consensus: {minimumAgreement: number, minimumAnnotators: int, adjudicationDecides: bool};
                     confidence: number; bootstrap: {replicates: int, maxItems: int, seed: int}; idleSeconds: number}
      tasks         [TASK], in the session's rubric order

    TASK
      task, rubricVersion, samples (samples of the task in the store),
      ignoredLabels (current labels whose dimension or label the rubric no longer has),
      dimensions    [DIMENSION]: the rubric's dimensions in order, then "every dimension passes" (all: true)
      annotators    [ANNOTATOR]
      groups        [GROUP] (empty without --by)

    DIMENSION
      dimension     the dimension's key ("all" for every dimension passes)
      all           true for "every dimension passes": pass/fail per sample, failing as soon as one
                    dimension fails and passing when every dimension passes
      items         items (samples) with at least one human label
      consensusItems, consensusSources {adjudicated, unanimous, majority, single} (empty object for all)
      labels        [{label, passes, ratings (current annotator labels), consensus (items)}], rubric order
      passRate      FIGURE: share of consensus items that pass
      humans        {annotators: [string], pairableItems, percentAgreement, krippendorffsAlpha (nominal),
                     fleissKappa, gwetsAC1: FIGURE, pairs: [{first, second, items, percentAgreement, cohensKappa}]}
      judges        [JUDGE], oldest version first

    JUDGE (one judge version against the human consensus; pass is the positive class)
      judge, version (16 hex digits), kind, model (string|null), rubricVersion, createdAt (ISO 8601, UTC)
      verdicts, failedVerdicts (int; null for all), referenceItems (items with a consensus), comparedItems
      coverage, accuracy, precision, recall, f1, cohensKappa, falseFailureRate, specificity: FIGURE (pass/fail)
      confusion     {labels: ["pass", "fail"], rows: [[TP, FN], [FP, TN]]} — rows consensus, columns judge
      labelConfusion {labels: [...], rows: [[...]]} over every label; labelAccuracy, labelKappa: FIGURE

    ANNOTATOR
      annotator, items (samples with a current label of theirs), labels, decisions (log rows),
      actions {accept|override|label|import|adjudicate|undo|redo: int}, adjudications,
      timedItems, secondsPerItem {median, mean: number|null},
      consensusItems, consensusAgreement: FIGURE — pooled over dimensions, against the consensus of
                    the other annotators (and any adjudication)
      dimensions    [{dimension, all, labels, consensusItems, consensusAgreement, consensusKappa: FIGURE,
                      judges: [{version, items, agreement, kappa: FIGURE}]}]

    GROUP
      by ("week" | "judge-version"), key ("2025-W25" | a version), detail (the week's Monday | the judge's name),
      dimensions [DIMENSION] over the group's items only

    FIGURE
      value         number, or null when the statistic is undefined (never 0 or 1 in its place)
      undefined     null, or why: "noPairedItems" | "singleCategory" | "unequalRatingCounts" | "emptyDenominator"
      lower, upper  the interval at `confidence`, or null
      interval      "wilson" | "bootstrap" | null
    """

    /// The report as JSON text (UTF-8, two-space indented, one trailing newline). Every
    /// control, C1 and bidi scalar in a string is escaped, so the text is safe on a terminal.
    public func json() -> String {
        var out = ""
        jsonValue().write(into: &out, indent: 0)
        out.append("\n")
        return out
    }

    func jsonValue() -> JSONOut {
        let o = options
        return .object([
            ("schema", .string(Self.jsonSchema)),
            ("session", .string(session)),
            ("options", .object([
                ("task", .optional(o.task)), ("judge", .optional(o.judge)), ("annotator", .optional(o.annotator)),
                ("by", .optional(o.grouping?.rawValue)),
                ("consensus", .object([("minimumAgreement", .number(o.consensus.minimumAgreement)),
                                       ("minimumAnnotators", .int(o.consensus.minimumAnnotators)),
                                       ("adjudicationDecides", .bool(o.consensus.adjudicationDecides))])),
                ("confidence", .number(o.confidence)),
                ("bootstrap", .object([("replicates", .int(o.bootstrapReplicates)), ("maxItems", .int(o.bootstrapMaxItems)),
                                       ("seed", .raw(String(o.seed)))])),
                ("idleSeconds", .number(o.idleSeconds)),
            ])),
            ("tasks", .array(tasks.map(Self.json))),
        ])
    }

    static func json(_ t: TaskAgreement) -> JSONOut {
        .object([
            ("task", .string(t.task)), ("rubricVersion", .int(t.rubricVersion)), ("samples", .int(t.samples)),
            ("ignoredLabels", .int(t.ignoredLabels)),
            ("dimensions", .array(t.dimensions.map(json))),
            ("annotators", .array(t.annotators.map(json))),
            ("groups", .array(t.groups.map { g in
                .object([("by", .string(g.grouping.rawValue)), ("key", .string(g.key)), ("detail", .string(g.detail)),
                         ("dimensions", .array(g.dimensions.map(json)))])
            })),
        ])
    }

    static func json(_ d: DimensionAgreement) -> JSONOut {
        .object([
            ("dimension", .string(d.dimension)), ("all", .bool(d.isAll)), ("items", .int(d.items)),
            ("consensusItems", .int(d.consensusItems)),
            ("consensusSources", .object(HumanConsensus.Source.allCases.compactMap { s in
                d.consensusSources[s].map { (s.rawValue, .int($0)) }
            })),
            ("labels", .array(d.labels.map {
                .object([("label", .string($0.label)), ("passes", .bool($0.passes)), ("ratings", .int($0.ratings)),
                         ("consensus", .int($0.consensus))])
            })),
            ("passRate", json(d.passRate)),
            ("humans", .object([
                ("annotators", .array(d.humans.annotators.map(JSONOut.string))),
                ("pairableItems", .int(d.humans.pairableItems)),
                ("percentAgreement", json(d.humans.percentAgreement)),
                ("krippendorffsAlpha", json(d.humans.krippendorffsAlpha)),
                ("fleissKappa", json(d.humans.fleissKappa)),
                ("gwetsAC1", json(d.humans.gwetsAC1)),
                ("pairs", .array(d.humans.pairs.map {
                    .object([("first", .string($0.first)), ("second", .string($0.second)), ("items", .int($0.items)),
                             ("percentAgreement", json($0.percentAgreement)), ("cohensKappa", json($0.cohensKappa))])
                })),
            ])),
            ("judges", .array(d.judges.map(json))),
        ])
    }

    static func json(_ j: JudgeAgreement) -> JSONOut {
        let v = j.judge
        return .object([
            ("judge", .string(v.judge)), ("version", .string(v.version)), ("kind", .string(v.kind)),
            ("model", .optional(v.model)), ("rubricVersion", .int(v.rubricVersion)),
            ("createdAt", .string(isoTime(v.createdAt))),
            ("verdicts", .int(j.verdicts)), ("failedVerdicts", j.failedVerdicts.map(JSONOut.int) ?? .null),
            ("referenceItems", .int(j.referenceItems)), ("comparedItems", .int(j.comparedItems)),
            ("coverage", json(j.coverage)), ("accuracy", json(j.accuracy)), ("precision", json(j.precision)),
            ("recall", json(j.recall)), ("f1", json(j.f1)), ("cohensKappa", json(j.cohensKappa)),
            ("falseFailureRate", json(j.falseFailureRate)), ("specificity", json(j.specificity)),
            ("confusion", .object([
                ("labels", .array([.string("pass"), .string("fail")])),
                ("rows", .array([.array([.int(j.truePositives), .int(j.falseNegatives)]),
                                 .array([.int(j.falsePositives), .int(j.trueNegatives)])])),
            ])),
            ("labelConfusion", .object([
                ("labels", .array(j.labelConfusion.labels.map(JSONOut.string))),
                ("rows", .array(j.labelConfusion.rows.map { .array($0.map(JSONOut.int)) })),
            ])),
            ("labelAccuracy", json(j.labelAccuracy)), ("labelKappa", json(j.labelKappa)),
        ])
    }

    static func json(_ a: AnnotatorAgreement) -> JSONOut {
        .object([
            ("annotator", .string(a.annotator)), ("items", .int(a.items)), ("labels", .int(a.labels)),
            ("decisions", .int(a.decisions)),
            ("actions", .object(a.actions.keys.sorted().map { ($0, .int(a.actions[$0] ?? 0)) })),
            ("adjudications", .int(a.adjudications)), ("timedItems", .int(a.timedItems)),
            ("secondsPerItem", .object([("median", a.medianSecondsPerItem.map(JSONOut.number) ?? .null),
                                        ("mean", a.meanSecondsPerItem.map(JSONOut.number) ?? .null)])),
            ("consensusItems", .int(a.consensusItems)), ("consensusAgreement", json(a.consensusAgreement)),
            ("dimensions", .array(a.dimensions.map { d in
                .object([
                    ("dimension", .string(d.dimension)), ("all", .bool(d.isAll)), ("labels", .int(d.labels)),
                    ("consensusItems", .int(d.consensusItems)), ("consensusAgreement", json(d.consensusAgreement)),
                    ("consensusKappa", json(d.consensusKappa)),
                    ("judges", .array(d.judges.map {
                        .object([("version", .string($0.version)), ("items", .int($0.items)),
                                 ("agreement", json($0.agreement)), ("kappa", json($0.kappa))])
                    })),
                ])
            })),
        ])
    }

    static func json(_ f: Figure) -> JSONOut {
        .object([
            ("value", f.value.map(JSONOut.number) ?? .null),
            ("undefined", f.estimate.undefinedReason.map { .string($0.rawValue) } ?? .null),
            ("lower", f.lower.map(JSONOut.number) ?? .null),
            ("upper", f.upper.map(JSONOut.number) ?? .null),
            ("interval", f.method == .none ? .null : .string(f.method.rawValue)),
        ])
    }

    /// "2025-06-18T10:00:00Z" for seconds since 1970 (whole seconds, UTC).
    static func isoTime(_ t: Double) -> String {
        guard t.isFinite, abs(t) < 1e13 else { return "" }
        let seconds = Int(t.rounded(.down))
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - day * 86_400
        let c = ISOWeeks.civil(day)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}

/// A JSON value being written: object keys keep their order.
indirect enum JSONOut {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    /// A number already formatted (e.g. a UInt64 seed).
    case raw(String)
    case string(String)
    case array([JSONOut])
    case object([(String, JSONOut)])

    static func optional(_ s: String?) -> JSONOut { s.map(JSONOut.string) ?? .null }

    func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d): out += d.isFinite ? "\(d)" : "null"
        case .raw(let text): out += text
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            // Arrays of numbers (confusion rows) stay on one line.
            if items.allSatisfy({ if case .int = $0 { return true }; return false }) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    item.write(into: &out, indent: indent)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                item.write(into: &out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let fields):
            guard !fields.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in fields.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                Self.writeString(key, into: &out)
                out += ": "
                value.write(into: &out, indent: indent + 1)
                out += i == fields.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// A JSON string; escapes quotes, backslashes and every scalar a terminal could act on
    /// (C0, DEL, C1, line and paragraph separators, bidi controls) as \uXXXX.
    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                let hex = String(v, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
