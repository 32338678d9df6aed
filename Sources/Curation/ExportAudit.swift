// What stands behind a recorded export: its rows' label sources and the agreement of the
// humans who labelled those samples (`recjudge export SESSION --show ID`, `--list`).
import Foundation
import Domain
import Stats
import Store

/// One recorded export as `--list` shows it.
public struct ExportSummary: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var out: String
    public var createdAt: Double
    /// Rows written (from the manifest; a pair is one row).
    public var rows: Int
    /// Samples recorded (a pair records two).
    public var samples: Int

    /// Every export of the store, oldest first.
    public static func all(store: Store) throws -> [ExportSummary] {
        try store.exports().map { e in
            let manifest = try? JSONParser.parse(e.manifest)
            let rows = manifest?[path: "counts.rows"]?.int ?? e.samples
            return ExportSummary(id: e.id, kind: e.kind, out: e.out, createdAt: e.createdAt, rows: rows, samples: e.samples)
        }
    }
}

/// The agreement behind one export, per task and dimension, computed from the store now over
/// the samples the export recorded.
public struct ExportAudit: Sendable {
    public struct Dimension: Sendable, Equatable {
        public var task: String
        public var dimension: String
        /// Samples of the export with a recorded final label on the dimension.
        public var labelled: Int
        /// Recorded final labels by source (adjudicated, unanimous, majority, single, judge).
        public var sources: [String: Int]
        /// Samples with at least one annotator label now.
        public var humanItems: Int
        /// Samples with at least two annotator labels now.
        public var pairedItems: Int
        /// Mean share of agreeing annotator pairs per item (Ratings.percentAgreement).
        public var percentAgreement: Estimate
        /// Krippendorff's α, nominal (Ratings.krippendorffsAlpha).
        public var krippendorffsAlpha: Estimate
        /// Gwet's AC1 (Ratings.gwetsAC1).
        public var gwetsAC1: Estimate
    }

    public var export: StoredExport
    /// Samples recorded per split.
    public var splits: [String: Int]
    public var dimensions: [Dimension]
    /// Recorded rows whose labels could not be read (a damaged store), if any.
    public var unreadable: Int

    /// - Throws: `ExportError.unknownExport` when no export has `id`; store errors.
    public static func build(store: Store, session: SessionConfig, id: Int64) throws -> ExportAudit {
        guard let export = try store.export(id: id) else { throw ExportError.unknownExport(id) }
        var splits: [String: Int] = [:]
        var sources: [String: [String: Int]] = [:]   // "task\u{1F}dimension" → source → n
        var unreadable = 0
        try store.forEachExportRow(exportID: id) { row in
            splits[row.split, default: 0] += 1
            guard case .object(let labels)? = try? JSONParser.parse(row.labels) else { unreadable += 1; return }
            for (dimension, value) in labels.entries where !dimension.hasPrefix("$") {
                let source = value.array?.last?.string ?? "unknown"
                sources[row.task + "\u{1F}" + dimension, default: [:]][source, default: 0] += 1
            }
        }
        // Annotator labels on the export's samples, per task and dimension.
        struct Table { var items: [Int64: Int] = [:]; var raters: [Int32: Int] = [:]; var cells: [(Int, Int, Int32)] = [] }
        var tables: [String: Table] = [:]
        let rubrics = session.rubrics
        try store.readExport { reader in
            var codes = RubricCodes(rubrics: rubrics)
            try reader.forEachSample(EvidenceScan(tasks: rubrics.map(\.task), exportID: id)) { e in
                let t = codes.task(e.task, reader)
                guard t >= 0 else { return }
                for decision in e.decisions where decision.role == .annotator && decision.label >= 0 {
                    let d = codes.dimension(t, decision.dimension, reader)
                    guard d >= 0 else { continue }
                    let label = codes.label(t, d, decision.label, reader)
                    guard label >= 0 else { continue }
                    let key = rubrics[t].task + "\u{1F}" + rubrics[t].dimensions[d].key
                    var table = tables[key] ?? Table()
                    let item = table.items[e.pk] ?? table.items.count
                    table.items[e.pk] = item
                    let rater = table.raters[decision.annotator] ?? table.raters.count
                    table.raters[decision.annotator] = rater
                    table.cells.append((item, rater, Int32(label)))
                    tables[key] = table
                }
            }
        }
        var dimensions: [Dimension] = []
        for rubric in rubrics {
            for dim in rubric.dimensions {
                let key = rubric.task + "\u{1F}" + dim.key
                let recorded = sources[key] ?? [:]
                let table = tables[key] ?? Table()
                guard !recorded.isEmpty || !table.cells.isEmpty else { continue }
                var codes = [Int32](repeating: -1, count: table.items.count * table.raters.count)
                for (item, rater, label) in table.cells { codes[item * table.raters.count + rater] = label }
                var perItem = [Int](repeating: 0, count: table.items.count)
                for (item, _, _) in table.cells { perItem[item] += 1 }
                let itemIDs = table.items.sorted { $0.value < $1.value }.map { String($0.key) }
                let raterIDs = table.raters.sorted { $0.value < $1.value }.map { "r\($0.key)" }
                let ratings = try? Ratings(scale: LabelScale(dim.labels.map(\.key)), itemIDs: itemIDs, raterIDs: raterIDs, codes: codes)
                let none = Estimate.undefined(.noPairedItems)
                dimensions.append(Dimension(
                    task: rubric.task, dimension: dim.key, labelled: recorded.values.reduce(0, +), sources: recorded,
                    humanItems: table.items.count, pairedItems: perItem.filter { $0 >= 2 }.count,
                    percentAgreement: ratings?.percentAgreement() ?? none,
                    krippendorffsAlpha: ratings?.krippendorffsAlpha() ?? none,
                    gwetsAC1: ratings?.gwetsAC1() ?? none))
            }
        }
        return ExportAudit(export: export, splits: splits, dimensions: dimensions, unreadable: unreadable)
    }

    /// Lines for a terminal (sanitise before printing: names come from data).
    public func text() -> [String] {
        let e = export
        let manifest = try? JSONParser.parse(e.manifest)
        var out = ["export \(e.id): \(e.kind) → \(e.out)",
                   "  created \(ExportManifest.iso8601(Date(timeIntervalSince1970: e.createdAt))); command: \(e.command)"]
        let rows = manifest?[path: "counts.rows"]?.int ?? e.samples
        out.append("  rows \(rows); samples recorded \(e.samples) (" + Split.allCases.map { "\($0.rawValue) \(splits[$0.rawValue] ?? 0)" }.joined(separator: ", ") + ")")
        if let trust = manifest?[path: "filters.trust_judge"]?.double {
            out.append("  judge labels allowed where agreement ≥ \(trust) over ≥ \(manifest?[path: "filters.min_human"]?.int ?? 0) samples")
        }
        if unreadable > 0 { out.append("  \(unreadable) recorded rows have unreadable labels") }
        out.append("  final labels by source, and the agreement of the annotators behind them (computed now):")
        func f(_ x: Estimate) -> String { x.value.map { String(format: "%.3f", $0) } ?? "undefined" }
        for d in dimensions {
            let src = LabelSource.allCases.map(\.rawValue).compactMap { s in d.sources[s].map { "\(s) \($0)" } }
                + d.sources.keys.filter { LabelSource(rawValue: $0) == nil }.sorted().map { "\($0) \(d.sources[$0] ?? 0)" }
            out.append("  \(d.task) / \(d.dimension): \(d.labelled) labels (\(src.isEmpty ? "none" : src.joined(separator: ", ")))")
            out.append("      humans: \(d.humanItems) samples labelled, \(d.pairedItems) by 2+; percent agreement \(f(d.percentAgreement)), "
                       + "Krippendorff's α \(f(d.krippendorffsAlpha)), Gwet's AC1 \(f(d.gwetsAC1))")
        }
        return out
    }

    /// The audit as JSON (estimates are numbers, or null with the reason beside them).
    public func json() -> String {
        func est(_ x: Estimate) -> JSONValue { x.value.map { .double($0) } ?? .null }
        func why(_ x: Estimate) -> JSONValue { x.undefinedReason.map { .string($0.rawValue) } ?? .null }
        let dims: [JSONValue] = dimensions.map { d in
            .object(JSONObject([
                ("task", .string(d.task)), ("dimension", .string(d.dimension)), ("labelled", .int(d.labelled)),
                ("sources", .object(JSONObject(d.sources.keys.sorted().map { ($0, .int(d.sources[$0] ?? 0)) }))),
                ("human_items", .int(d.humanItems)), ("paired_items", .int(d.pairedItems)),
                ("percent_agreement", est(d.percentAgreement)), ("percent_agreement_undefined", why(d.percentAgreement)),
                ("krippendorffs_alpha", est(d.krippendorffsAlpha)), ("krippendorffs_alpha_undefined", why(d.krippendorffsAlpha)),
                ("gwets_ac1", est(d.gwetsAC1)), ("gwets_ac1_undefined", why(d.gwetsAC1)),
            ]))
        }
        return JSONValue.object(JSONObject([
            ("export_id", .number(String(export.id))), ("kind", .string(export.kind)), ("out", .string(export.out)),
            ("command", .string(export.command)), ("samples", .int(export.samples)),
            ("splits", .object(JSONObject(Split.allCases.map { ($0.rawValue, .int(splits[$0.rawValue] ?? 0)) }))),
            ("dimensions", .array(dims)),
            ("manifest", (try? JSONParser.parse(export.manifest)) ?? .null),
        ])).pretty() + "\n"
    }
}
