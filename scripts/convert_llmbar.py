#!/usr/bin/env python3
"""Convert LLMBar sets with GPT-4 verdicts into recjudge samples, gold labels and verdicts.

Usage (from the repository root, shared/ beside it):

    python3 scripts/convert_llmbar.py ../shared/data/llmbar Tests/CurationTests/Fixtures

Python 3 standard library only; the output is deterministic.

Source: princeton-nlp/LLMBar @ 900616bff90b, Dataset/ (MIT), as kept in shared/data/llmbar.
Each converted set has dataset.json (input, output_1, output_2, gold label 1 or 2) and
evaluators/GPT-4/Vanilla_NoRules/result.json (GPT-4's winner with the outputs in order,
"swap = False", and swapped, "swap = True", already mapped back to the original numbering),
whose statistics.json publishes the accuracy in each order: Natural 92% / 95%, MT-Bench
79.5% / 82.5%. result.json is aligned with dataset.json by position (checked here).

Writes, per set (NAME = llmbar-natural, llmbar-mtbench), into the output folder:

  NAME.samples.jsonl       task "pairwise" (rubric Tests/CurationTests/Fixtures/pairwise.yaml),
                           id "NAME-<position>", user {"id": "llmbar"}, output {pair, instruction,
                           response1, response2}.
  NAME.labels.jsonl        the gold label as the decision of one annotator, "gold", for
                           `recjudge import SESSION FILE --labels` (1 -> first, 2 -> second).
  NAME.verdicts.gpt-4.jsonl, NAME.verdicts.gpt-4-swap.jsonl
                           GPT-4's verdict without and with the swap, each for its own replay
                           judge (`--verdicts gpt-4`, `--verdicts gpt-4-swap`). A missing winner
                           is left out (none is missing in these sets).
"""
import json
import os
import sys

SETS = [("llmbar-natural", "LLMBar/Natural"), ("llmbar-mtbench", "Processed/MT-Bench")]
LABELS = {1: "first", 2: "second", "1": "first", "2": "second"}
DIMENSION = "preference"


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(rows)} lines to {path}")


def convert(source, folder, name, out):
    base = os.path.join(source, folder)
    with open(os.path.join(base, "dataset.json"), encoding="utf-8") as f:
        dataset = json.load(f)
    with open(os.path.join(base, "evaluators/GPT-4/Vanilla_NoRules/result.json"), encoding="utf-8") as f:
        results = json.load(f)
    if len(dataset) != len(results):
        sys.exit(f"{folder}: {len(dataset)} items but {len(results)} results")
    samples, labels, plain, swapped = [], [], [], []
    for position, (item, result) in enumerate(zip(dataset, results)):
        if item["input"] != result["input"] or item["label"] != result["label"]:
            sys.exit(f"{folder}: result {position} is not about item {position}")
        sample = f"{name}-{position}"
        samples.append({"id": sample, "task": "pairwise", "user": {"id": "llmbar"},
                        "output": {"pair": f"{name} #{position}", "instruction": item["input"],
                                   "response1": item["output_1"], "response2": item["output_2"]}})
        labels.append({"sample": sample, "annotator": "gold", "dimension": DIMENSION, "label": LABELS[item["label"]]})
        final = result["results"][-1]
        for key, rows in (("swap = False", plain), ("swap = True", swapped)):
            winner = (final.get(key) or {}).get("winner")
            if winner in LABELS:
                rows.append({"sample": sample, "dimension": DIMENSION, "label": LABELS[winner]})
    write(os.path.join(out, f"{name}.samples.jsonl"), samples)
    write(os.path.join(out, f"{name}.labels.jsonl"), labels)
    write(os.path.join(out, f"{name}.verdicts.gpt-4.jsonl"), plain)
    write(os.path.join(out, f"{name}.verdicts.gpt-4-swap.jsonl"), swapped)


def main(source, out):
    os.makedirs(out, exist_ok=True)
    for name, folder in SETS:
        convert(source, folder, name, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
