// README.md: the dataset card written beside the JSON Lines files.
import Domain

enum ExportCard {
    /// A Hugging Face style dataset card (YAML front matter with the splits, then prose) made
    /// from the manifest's facts.
    static func markdown(_ c: ManifestContext, _ t: ExportTally) -> String {
        let files = Split.allCases.compactMap { s in c.files[s].map { (s, $0) } }
        var out: [String] = []
        out.append("---")
        out.append("configs:")
        out.append("- config_name: default")
        out.append("  data_files:")
        for (s, f) in files { out.append("  - split: \(s.rawValue)\n    path: \(f)") }
        out.append("tags:\n- recjudge\n- \(c.kind.rawValue)")
        out.append("---")
        out.append("")
        out.append("# \(c.session): \(c.kind.rawValue) (recjudge export \(c.exportID))")
        out.append("")
        out.append(summary(c))
        out.append("")
        out.append("## Loading")
        out.append("")
        out.append("```python")
        out.append("from datasets import load_dataset")
        let mapping = files.map { "\"\($0.0.rawValue)\": \"\($0.1)\"" }.joined(separator: ", ")
        out.append("ds = load_dataset(\"json\", data_files={\(mapping)})")
        out.append("```")
        out.append("")
        out.append("## Format")
        out.append("")
        out.append(format(c))
        out.append("")
        out.append("## Contents")
        out.append("")
        out.append("| split | rows |")
        out.append("|---|---:|")
        for s in Split.allCases { out.append("| \(s.rawValue) | \(t.splits[s] ?? 0) |") }
        out.append("| all | \(t.rows) |")
        out.append("")
        for (i, rubric) in c.rubrics.enumerated() where t.tasks[i].rows > 0 {
            out.append("Task `\(rubric.task)` (rubric version \(rubric.version)): \(t.tasks[i].rows) rows. Final labels of the \(c.kind == .preference ? "paired samples" : "rows"):")
            out.append("")
            out.append("| dimension | " + "labels (count) |")
            out.append("|---|---|")
            for (d, dim) in rubric.dimensions.enumerated() {
                let cells = dim.labels.enumerated().map { "\($1.key) \(t.tasks[i].labels[d][$0])" }.joined(separator: " · ")
                out.append("| \(dim.key) | \(cells) |")
            }
            out.append("")
        }
        out.append("## Where the labels come from")
        out.append("")
        out.append("""
        A dimension's final label is a lead's adjudication if there is one; else the annotators' \
        consensus (at least \(c.options.rule.consensus.minimumAgreement) of the votes, at least \
        \(c.options.rule.consensus.minimumAnnotators) annotator(s)); else \(judgeRule(c)); else the \
        row is left out.
        """)
        out.append("")
        let sources = LabelSource.allCases.map { "\($0.rawValue) \(t.labelSources[$0] ?? 0)" }.joined(separator: " · ")
        out.append("Dimension labels by source: \(sources).")
        out.append("Rows by source: human \(t.rowsBySource["human"] ?? 0) · judge \(t.rowsBySource["judge"] ?? 0) · mixed \(t.rowsBySource["mixed"] ?? 0).")
        if c.kind == .judgeSFT {
            out.append("Rationales: human \(t.rationaleSources["human"] ?? 0) · judge \(t.rationaleSources["judge"] ?? 0) · label text \(t.rationaleSources["label_text"] ?? 0).")
        }
        if !t.leftOut.isEmpty {
            out.append("Left out: " + t.leftOut.keys.sorted().map { "\($0) \(t.leftOut[$0] ?? 0)" }.joined(separator: " · ") + ".")
        }
        out.append("")
        out.append("## Splits")
        out.append("")
        out.append("""
        By user: the first 8 bytes of SHA-256 of the user id decide the split (train \(c.options.split.train), \
        dev \(c.options.split.dev), test \(c.options.split.test)), so no user is in two splits and a user \
        keeps their split in every export with these shares.
        """)
        out.append("")
        out.append("## Provenance")
        out.append("")
        out.append("- Recorded in the session store as export \(c.exportID); `recjudge export SESSION --show \(c.exportID)` lists the agreement of the humans behind it.")
        out.append("- Command: `\(c.command)`")
        out.append("- Created: \(ExportManifest.iso8601(c.createdAt)); decisions up to id \(c.decisionsThrough).")
        out.append("- Source hash: \(c.sourceHash)")
        out.append("- Rubrics: " + c.rubrics.map { "\($0.task) v\($0.version)" }.joined(separator: ", "))
        let trusted = c.trust.entries.filter(\.trusted)
        if !trusted.isEmpty {
            out.append("- Trusted judge versions: " + trusted.map { "\($0.judge) \($0.version) on \($0.task)/\($0.dimension)" }.joined(separator: ", "))
        }
        out.append("")
        out.append("## Limitations")
        out.append("")
        out.append("""
        The outputs were written by generator models and graded by people and LLM judges; labels \
        carry their disagreements and mistakes. The prompts hold user profiles and behaviour \
        histories as the session stored them: check your data policy before sharing the set.
        """)
        out.append("")
        return out.joined(separator: "\n")
    }

    private static func summary(_ c: ManifestContext) -> String {
        switch c.kind {
        case .generatorSFT:
            return "Supervised fine-tuning data for the generators: for each sample whose every dimension finally passes, the generation prompt built from the user context and the output as the answer."
        case .judgeSFT:
            return "Supervised fine-tuning data for the judge: the judge prompt the rubric renders for a sample, and the final verdict (human-corrected where humans decided) as the answer."
        case .preference:
            return "Preference pairs for the generators: for the same user, task and prompt, an output whose every dimension passes (chosen) and one that fails (rejected)."
        }
    }

    private static func format(_ c: ManifestContext) -> String {
        var text: String
        switch c.kind {
        case .generatorSFT, .judgeSFT:
            text = "One JSON object per line with `messages`: a system, a user and an assistant message (the OpenAI chat fine-tuning format)."
            if c.kind == .judgeSFT {
                text += " The assistant message is a JSON object with one entry per dimension: `{\"label\": ..., \"rationale\": ...}`."
            }
        case .preference:
            text = c.options.preferenceFormat == .trl
                ? "One JSON object per line with `prompt` (system and user messages), `chosen` and `rejected` (one assistant message each): TRL's conversational preference format."
                : "One JSON object per line with `input.messages`, `preferred_output` and `non_preferred_output`: OpenAI's preference fine-tuning format."
        }
        if c.options.metadata { text += " Each line also has `metadata` (sample ids, task, round): drop it before uploading to OpenAI." }
        return text
    }

    private static func judgeRule(_ c: ManifestContext) -> String {
        guard let t = c.options.rule.trustJudge else { return "no judge label is used" }
        return "a judge version's label where its measured \(c.options.rule.trustOn.rawValue) agreement with the humans is at least \(t) over at least \(c.options.rule.minHuman) samples"
    }
}
