// The verdict a judge-sft row teaches: per dimension the final label and a rationale.
import Domain
import Store

enum ExportRationale {
    /// Where a rationale's text is: in the sample's evidence, or the rubric's text for the label.
    enum Text {
        case evidence(EvidenceText)
        case label(String)
    }

    /// Who wrote a rationale, as the manifest names it.
    enum Source: String, CaseIterable {
        case human, judge, labelText = "label_text"
    }

    /// The rationale for the final label `l` of dimension `d`, and where it came from
    /// (a person, the judge, the rubric's label text), in this order of preference:
    /// 1. what a person who holds that label wrote about the dimension: the lead whose
    ///    adjudication it is first, then annotators, newest decision first; a comment given with
    ///    the decision, else their latest comment on the dimension;
    /// 2. the rationale of the judge version that decided the label, else of the newest version
    ///    that gave the same label;
    /// 3. the rubric's text for the label (e.g. "too broad").
    static func choose(_ e: SampleEvidence, task t: Int, dimension d: Int, label l: FinalLabel,
                       labeler: inout FinalLabeler, _ reader: ExportReader) -> (text: Text, source: Source) {
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
            if let c = p.comment, hasContent(c, in: e) { return (.evidence(c), .human) }
            if let c = e.comments.last(where: { $0.annotator == p.annotator && labeler.codes.dimension(t, $0.dimension, reader) == d }),
               hasContent(c.text, in: e) {
                return (.evidence(c.text), .human)
            }
        }
        var best: EvidenceVerdict?
        for v in e.verdicts where v.label >= 0 && hasContent(v.rationale, in: e) {
            guard labeler.codes.dimension(t, v.dimension, reader) == d, labeler.codes.label(t, d, v.label, reader) == l.label else { continue }
            if v.judgeVersionID == l.judgeVersionID { best = v; break }
            if let b = best, b.judgeVersionID >= v.judgeVersionID { continue }
            best = v
        }
        if let best { return (.evidence(best.rationale), .judge) }
        return (.label(labeler.codes.rubrics[t].dimensions[d].labels[l.label].text), .labelText)
    }

    /// Whether the text has anything but ASCII spaces, tabs and line breaks.
    static func hasContent(_ text: EvidenceText, in e: SampleEvidence) -> Bool {
        e.withBytes(text) { $0.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } }
    }
}

/// Writes the verdict JSON a judge should have answered (per dimension, in the rubric's order,
/// the final label and a rationale, see `ExportRationale`) already escaped as the content of
/// the assistant message: the JSON around the rationales is escaped once, when made, and a
/// rationale with nothing to escape is copied as it is. One per thread.
struct VerdictTarget {
    /// Per task, dimension and label, escaped: `"dim":{"label":"label","rationale":"`.
    private let entries: LabelFragments
    private var once: [UInt8] = []

    init(rubrics: [Rubric]) {
        entries = LabelFragments(rubrics: rubrics) { d, l in
            var json: [UInt8] = []
            JSONEscape.append(d.key, to: &json)
            json.append(contentsOf: #":{"label":"#.utf8)
            JSONEscape.append(l.key, to: &json)
            json.append(contentsOf: #","rationale":""#.utf8)
            var escaped: [UInt8] = []
            json.withUnsafeBufferPointer { JSONEscape.appendContent(utf8: $0, to: &escaped) }
            return escaped
        }
    }

    /// Replaces `out` with the escaped verdict of `j`; counts the rationales' sources.
    mutating func write(_ e: SampleEvidence, _ j: SampleJudgement, labeler: inout FinalLabeler, _ reader: ExportReader,
                        _ counts: inout ChunkCounts, to out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.append(UInt8(ascii: "{"))
        for (d, l) in j.labels.enumerated() {
            guard let l else { continue }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            let (rationale, source) = ExportRationale.choose(e, task: j.task, dimension: d, label: l, labeler: &labeler, reader)
            counts.rationaleSources[source.index] += 1
            entries.append(task: j.task, dimension: d, label: l.label, to: &out)
            switch rationale {
            case .evidence(let text): e.withBytes(text) { appendTwice($0, to: &out) }
            case .label(var text): text.withUTF8 { appendTwice($0, to: &out) }
            }
            out.append(contentsOf: #"\"}"#.utf8)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `text` escaped as a JSON string's content, escaped again (it sits in a JSON text
    /// that is itself a string); bytes that are not UTF-8 (a damaged store) are replaced first.
    private mutating func appendTwice(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if UTF8Check.firstInvalidOffset(text) != nil {
            let repaired = Array(String(decoding: text, as: UTF8.self).utf8)
            repaired.withUnsafeBufferPointer { appendTwice($0, to: &out) }
            return
        }
        if !JSONEscape.needsEscaping(text) { out.append(contentsOf: text); return }
        once.removeAll(keepingCapacity: true)
        JSONEscape.appendContent(utf8: text, to: &once)
        once.withUnsafeBufferPointer { JSONEscape.appendContent(utf8: $0, to: &out) }
    }
}

extension ExportRationale.Source {
    /// Position in `allCases`.
    var index: Int { self == .human ? 0 : self == .judge ? 1 : 2 }
}
