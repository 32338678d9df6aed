#!/usr/bin/env python3
"""Convert the PandaLM human test set into recjudge samples, labels and verdicts.

Usage (from the repository root, shared/ beside it):

    python3 scripts/convert_pandalm.py ../shared/data/pandalm Tests/CurationTests/Fixtures

Python 3 standard library only; the output is deterministic (same input, same bytes).

Source: WeOpenML/PandaLM @ 3871806e72b4, data/ (Apache-2.0), as kept in shared/data/pandalm:
testset-v1.json (999 pairs, each with three named annotators' preference: 0 tie, 1 the first
response is better, 2 the second), gpt-3.5-turbo-testset-v1.json and
pandalm-7b-testset-v1.json (two judges' verdicts with reasons). Published: pairwise Cohen's
kappa annotator1-2 0.8520, 1-3 0.8789, 2-3 0.8617; Krippendorff's alpha (nominal) 0.8642;
majority labels 105 tie / 422 first / 472 second.

Writes, into the output folder (one JSON object per line, UTF-8, LF):

  pandalm.samples.jsonl    task "pairwise" (rubric Tests/CurationTests/Fixtures/pairwise.yaml),
                           id "pandalm-<idx>", user {"id": "pandalm"}, output {pair, instruction,
                           input, response1, response2}, generator {"model": cmp_key}, and the
                           upstream fields under "pandalm" (kept by the importer as extra fields).
  pandalm.labels.jsonl     for `recjudge import SESSION FILE --labels`: one line per annotator
                           and pair, annotator "annotator1".."annotator3", dimension "preference",
                           label tie / first / second.
  pandalm.verdicts.gpt-3.5-turbo.jsonl, pandalm.verdicts.pandalm-7b.jsonl
                           for `recjudge import SESSION FILE --verdicts JUDGE` (a replay judge):
                           label and the judge's reason as rationale.

Mapping decisions (each printed when run):
  * labels: 0 -> tie, 1 -> first, 2 -> second; GPT-3.5's "Tie" -> tie, "1"/"2" -> first/second.
  * GPT-3.5's 25 "garbage" verdicts (unparsed upstream) are left out: a replay judge cannot
    import a failed verdict, and leaving it out counts it as not covered, as upstream does.
  * Six responses are JSON booleans upstream (true where the model answered "True"); they
    become the text "True". Empty responses stay empty (the fields are optional in the rubric).
"""
import json
import os
import sys

LABELS = {0: "tie", 1: "first", 2: "second"}
GPT = {"Tie": "tie", "1": "first", "2": "second"}
DIMENSION = "preference"


def text(value):
    """Upstream text fields, with the few booleans turned back into the word they were."""
    if isinstance(value, bool):
        return "True" if value else "False"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(rows)} lines to {path}")


def main(source, out):
    def load(name):
        with open(os.path.join(source, name), encoding="utf-8") as f:
            return json.load(f)

    humans = load("testset-v1.json")
    gpt = {row["idx"]: row for row in load("gpt-3.5-turbo-testset-v1.json")}
    panda = {row["idx"]: row for row in load("pandalm-7b-testset-v1.json")}
    if len({row["idx"] for row in humans}) != len(humans):
        sys.exit("testset-v1.json repeats an idx")

    samples, labels, gpt_verdicts, panda_verdicts = [], [], [], []
    skipped_gpt, booleans = 0, 0
    for row in humans:
        idx = row["idx"]
        sample = f"pandalm-{idx}"
        output = {"pair": f"{row['cmp_key']} #{idx}"}
        for field in ("instruction", "input", "response1", "response2"):
            if isinstance(row[field], bool):
                booleans += 1
            output[field] = text(row[field])
        samples.append({
            "id": sample, "task": "pairwise", "user": {"id": "pandalm"}, "output": output,
            "generator": {"model": row["cmp_key"]},
            "pandalm": {"idx": idx, "motivation_app": row.get("motivation_app")},
        })
        for annotator in ("annotator1", "annotator2", "annotator3"):
            labels.append({"sample": sample, "annotator": annotator, "dimension": DIMENSION,
                           "label": LABELS[row[annotator]]})
        verdict = gpt.get(idx)
        if verdict is not None and verdict["gpt_result"] in GPT:
            gpt_verdicts.append({"sample": sample, "dimension": DIMENSION, "label": GPT[verdict["gpt_result"]],
                                 "rationale": verdict.get("gpt_reason") or ""})
        else:
            skipped_gpt += 1
        verdict = panda.get(idx)
        if verdict is not None and verdict["pandalm_result"] in LABELS:
            panda_verdicts.append({"sample": sample, "dimension": DIMENSION,
                                   "label": LABELS[verdict["pandalm_result"]],
                                   "rationale": verdict.get("pandalm_reason") or ""})

    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "pandalm.samples.jsonl"), samples)
    write(os.path.join(out, "pandalm.labels.jsonl"), labels)
    write(os.path.join(out, "pandalm.verdicts.gpt-3.5-turbo.jsonl"), gpt_verdicts)
    write(os.path.join(out, "pandalm.verdicts.pandalm-7b.jsonl"), panda_verdicts)
    print(f"left out {skipped_gpt} GPT-3.5 verdicts that upstream could not parse; "
          f"turned {booleans} boolean texts into words")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
