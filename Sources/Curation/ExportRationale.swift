// The rationale a judge-sft target gives for a final label.
import Store

enum ExportRationale {
    /// The rationale for the final label `l` of dimension `d`, and where it came from
    /// ("human", "judge" or "label_text"), in this order of preference:
    /// 1. what a person who holds that label wrote about the dimension: the lead whose
    ///    adjudication it is first, then annotators, newest decision first; a comment given with
    ///    the decision, else their latest comment on the dimension;
    /// 2. the rationale of the judge version that decided the label, else of the newest version
    ///    that gave the same label;
    /// 3. the rubric's text for the label (e.g. "too broad").
    static func choose(_ e: SampleEvidence, task t: Int, dimension d: Int, label l: FinalLabel,
                       labeler: inout FinalLabeler, _ reader: ExportReader) -> (text: String, source: String) {
        var people: [EvidenceDecision] = []
        for decision in e.decisions where decision.label >= 0 {
            guard labeler.codes.dimension(t, decision.dimension, reader) == d,
                  labeler.codes.label(t, d, decision.label, reader) == l.label else { continue }
            people.append(decision)
        }
        people.sort { a, b in
            let aLead = a.role == .lead && l.source == .adjudicated, bLead = b.role == .lead && l.source == .adjudicated
            return aLead != bLead ? aLead : a.time > b.time
        }
        for p in people {
            if let c = p.comment, hasContent(c) { return (c, "human") }
            if let c = e.comments.last(where: { $0.annotator == p.annotator && labeler.codes.dimension(t, $0.dimension, reader) == d }),
               hasContent(c.text) {
                return (c.text, "human")
            }
        }
        var best: EvidenceVerdict?
        for v in e.verdicts where v.label >= 0 && hasContent(v.rationale) {
            guard labeler.codes.dimension(t, v.dimension, reader) == d, labeler.codes.label(t, d, v.label, reader) == l.label else { continue }
            if v.judgeVersionID == l.judgeVersionID { best = v; break }
            if let b = best, b.judgeVersionID >= v.judgeVersionID { continue }
            best = v
        }
        if let best { return (best.rationale, "judge") }
        return (labeler.codes.rubrics[t].dimensions[d].labels[l.label].text, "label_text")
    }

    /// Whether the text has anything but ASCII spaces, tabs and line breaks.
    static func hasContent(_ text: String) -> Bool {
        text.utf8.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }
}
