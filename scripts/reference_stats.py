#!/usr/bin/env python3
"""Expected values for Tests/StatsTests, computed with the reference Python libraries.

Writes Tests/StatsTests/Fixtures/reference_stats.json. The Swift tests recompute every value
with the Stats module and compare (tolerance 1e-9); CI runs no Python, the JSON is committed.

How it was run (record the versions printed into the JSON's "packages" when re-running):
    pip install scikit-learn statsmodels krippendorff irrCAC pandas scipy numpy
    python3 scripts/reference_stats.py            # from the repository root, shared/ beside it
Last run with Python 3.11.7, scikit-learn 1.9.1, statsmodels 0.15.0, krippendorff 0.9.0,
irrCAC 0.4.4, scipy 1.12.0, numpy 1.26.4, pandas 2.3.3.

What is computed, per case (null = undefined: the library raised, returned NaN, or refused):
  multi   percent agreement and Gwet's AC1: irrCAC CAC(ratings, categories=labels).gwet()
          ("pa" and the coefficient); Fleiss' κ: statsmodels fleiss_kappa on the items ×
          labels count table (null unless every rated item has the same number m ≥ 2 of
          ratings: statsmodels asserts that); Krippendorff's α: krippendorff.alpha on
          raters × items with NaN for missing, value_domain = label positions (nominal,
          ordinal) or the scale values (interval).
  pairs   over items both raters labelled: sklearn cohen_kappa_score(labels=labels,
          weights=None/"linear"/"quadratic"); Scott's π as statsmodels fleiss_kappa of the
          two raters; scipy spearmanr and kendalltau (τ-b) on the scale values; share of
          equal labels.
  judges  over items with a reference label: sklearn accuracy_score, precision_score /
          recall_score / f1_score (labels=[positive], average=None, zero_division=NaN),
          confusion_matrix(labels=labels) on items with both labels; coverage = items with
          both / items with a reference; false-failure rate = FN / (TP + FN); specificity =
          TN / (TN + FP) (definitions, computed with numpy).
Real data (shared/data, read only): PandaLM (three annotators, two judges against the
annotators' majority) and the HANNA user study (six binary flags, raters = position within
each item's three rows). Synthetic: the generator of scripts/bench_krippendorff.py.
"""

import importlib.metadata
import json
import math
import sys
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import krippendorff
from irrCAC.raw import CAC
from scipy.stats import kendalltau, spearmanr
from sklearn.metrics import (accuracy_score, cohen_kappa_score, confusion_matrix, f1_score,
                             precision_score, recall_score)
from statsmodels.stats.inter_rater import fleiss_kappa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_krippendorff import synthetic_codes  # noqa: E402

warnings.simplefilter("ignore")
ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "Tests" / "StatsTests" / "Fixtures" / "reference_stats.json"


def clean(x):
    """A float, or None for NaN / inf."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def guarded(f):
    """f(), or None when the library raises (its way of saying 'undefined')."""
    try:
        return clean(f())
    except (ValueError, ZeroDivisionError, AssertionError, IndexError):
        return None


class Case:
    """A table of ratings: items in first-appearance order, raters as given."""

    def __init__(self, name, labels, raters, ratings, values=None):
        self.name, self.labels, self.raters, self.ratings = name, labels, raters, ratings
        self.values = values if values is not None else list(range(len(labels)))
        self.items = list(dict.fromkeys(item for item, _, _ in ratings))
        self.table = {(item, rater): label for item, rater, label in ratings}

    def column(self, rater):
        return [self.table.get((item, rater)) for item in self.items]

    def codes(self, raters):
        """raters × items floats: label positions, NaN for missing."""
        index = {label: i for i, label in enumerate(self.labels)}
        return np.array([[index[l] if l is not None else np.nan for l in self.column(r)] for r in raters],
                        dtype=float)

    def counts(self, raters):
        """items × labels counts over items with at least one rating."""
        rows = []
        for item in self.items:
            row = [0] * len(self.labels)
            for rater in raters:
                label = self.table.get((item, rater))
                if label is not None:
                    row[self.labels.index(label)] += 1
            if sum(row) > 0:
                rows.append(row)
        return np.array(rows)


def fleiss(counts):
    sizes = set(counts.sum(axis=1).tolist())
    if len(sizes) != 1 or min(sizes) < 2:
        return None
    return guarded(lambda: fleiss_kappa(counts, method="fleiss"))


def multi(case, raters):
    frame = pd.DataFrame({r: [np.nan if l is None else l for l in case.column(r)] for r in raters}, dtype=object)
    gwet = None
    if frame.dropna(how="all").shape[0] > 0:
        gwet = CAC(frame, categories=case.labels, digits=15).gwet()["est"]
    codes = case.codes(raters)
    values = np.array(case.values, dtype=float)
    interval_data = np.where(np.isnan(codes), np.nan, values[np.nan_to_num(codes).astype(int)])
    positions = list(range(len(case.labels)))
    return {
        "percent_agreement": clean(gwet["pa"]) if gwet else None,
        "gwet_ac1": clean(gwet["coefficient_value"]) if gwet else None,
        "fleiss_kappa": fleiss(case.counts(raters)),
        "alpha_nominal": guarded(lambda: krippendorff.alpha(codes, value_domain=positions,
                                                            level_of_measurement="nominal")),
        "alpha_ordinal": guarded(lambda: krippendorff.alpha(codes, value_domain=positions,
                                                            level_of_measurement="ordinal")),
        "alpha_interval": guarded(lambda: krippendorff.alpha(interval_data, value_domain=case.values,
                                                             level_of_measurement="interval")),
    }


def pair(case, first, second):
    both = [(a, b) for a, b in zip(case.column(first), case.column(second)) if a is not None and b is not None]
    y1 = [a for a, _ in both]
    y2 = [b for _, b in both]
    value = dict(zip(case.labels, case.values))
    x1 = [value[a] for a in y1]
    x2 = [value[b] for b in y2]

    def kappa(weights):
        return guarded(lambda: cohen_kappa_score(y1, y2, labels=case.labels, weights=weights,
                                                 replace_undefined_by=np.nan))

    counts = np.array([[int(a == l) + int(b == l) for l in case.labels] for a, b in both]).reshape(-1, len(case.labels))
    return {
        "first": first, "second": second, "n": len(both),
        "percent_agreement": clean(np.mean([a == b for a, b in both])) if both else None,
        "cohen_kappa": kappa(None) if both else None,
        "cohen_kappa_linear": kappa("linear") if both else None,
        "cohen_kappa_quadratic": kappa("quadratic") if both else None,
        "scott_pi": fleiss(counts) if both else None,
        "spearman_rho": guarded(lambda: spearmanr(x1, x2).statistic) if len(both) >= 2 else None,
        "kendall_tau_b": guarded(lambda: kendalltau(x1, x2).statistic) if len(both) >= 2 else None,
    }


def judge(case, judge_rater, reference, positive):
    reference_labels = case.column(reference)
    judge_labels = case.column(judge_rater)
    ref = [r for r in reference_labels if r is not None]
    both = [(r, j) for r, j in zip(reference_labels, judge_labels) if r is not None and j is not None]
    y_true = [r for r, _ in both]
    y_pred = [j for _, j in both]
    tp = sum(r == positive and j == positive for r, j in both)
    fn = sum(r == positive and j != positive for r, j in both)
    fp = sum(r != positive and j == positive for r, j in both)
    tn = sum(r != positive and j != positive for r, j in both)

    def one_vs_rest(metric):
        return guarded(lambda: metric(y_true, y_pred, labels=[positive], average=None, zero_division=np.nan)[0])

    return {
        "judge": judge_rater, "reference": reference, "positive": positive,
        "reference_items": len(ref), "compared_items": len(both),
        "accuracy": guarded(lambda: accuracy_score(y_true, y_pred)) if both else None,
        "precision": one_vs_rest(precision_score) if both else None,
        "recall": one_vs_rest(recall_score) if both else None,
        "f1": one_vs_rest(f1_score) if both else None,
        "coverage": len(both) / len(ref) if ref else None,
        "false_failure_rate": fn / (tp + fn) if tp + fn else None,
        "specificity": tn / (tn + fp) if tn + fp else None,
        "confusion": confusion_matrix(y_true, y_pred, labels=case.labels).tolist() if both else
        [[0] * len(case.labels) for _ in case.labels],
    }


def describe(case, raters, pairs, judges):
    return {
        "name": case.name, "labels": case.labels, "values": case.values, "raters": case.raters,
        "ratings": [list(r) for r in case.ratings],
        "multi_raters": raters,
        "multi": multi(case, raters),
        "pairs": [pair(case, a, b) for a, b in pairs],
        "judges": [judge(case, j, r, p) for j, r, p in judges],
    }


def all_pairs(raters):
    return [(a, b) for i, a in enumerate(raters) for b in raters[i + 1:]]


def from_matrix(name, labels, raters, rows, values=None):
    """rows: one list per item, one label or None per rater."""
    ratings = [(f"item{i}", rater, label) for i, row in enumerate(rows) for rater, label in zip(raters, row)
               if label is not None]
    return Case(name, labels, raters, ratings, values)


def random_case(name, labels, raters, items, missing, seed, agreement=0.6, weights=None):
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(items):
        truth = rng.choice(len(labels), p=weights)
        row = []
        for _ in raters:
            if rng.random() < missing:
                row.append(None)
            elif rng.random() < agreement:
                row.append(labels[truth])
            else:
                row.append(labels[rng.choice(len(labels), p=weights)])
        rows.append(row)
    return from_matrix(name, labels, raters, rows)


def synthetic_cases():
    cases = []
    # The krippendorff package's docstring example (Krippendorff 2011, p. 3); label "5" unused.
    nan = None
    doc = [[nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
           [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
           [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4]]
    raters = ["A", "B", "C"]
    case = from_matrix("krippendorff-docstring", ["1", "2", "3", "4", "5"], raters,
                       [[None if d[u] is None else str(d[u]) for d in doc] for u in range(15)],
                       values=[1.0, 2.0, 3.0, 4.0, 5.0])
    cases.append(describe(case, raters, all_pairs(raters), []))

    # Ordered string labels with missing data (the package's ordinal example, 4 coders).
    vl, lo, mi, hi, vh = "very low", "low", "mid", "high", "very high"
    data = [[vl, lo, mi, mi, lo, vl, hi, vl, lo, nan, nan, nan],
            [vl, lo, mi, mi, lo, lo, hi, vl, lo, vh, nan, mi],
            [nan, mi, mi, mi, lo, mi, hi, lo, lo, vh, vl, nan],
            [vl, lo, mi, mi, lo, hi, hi, vl, lo, vh, vl, nan]]
    raters = ["c1", "c2", "c3", "c4"]
    case = from_matrix("ordered-strings", [vl, lo, mi, hi, vh], raters,
                       [[d[u] for d in data] for u in range(12)])
    cases.append(describe(case, raters, all_pairs(raters), []))

    # Pass/fail with three humans and a judge, missing ratings on both sides.
    raters = ["h1", "h2", "h3", "judge"]
    case = random_case("pass-fail-judge", ["fail", "pass"], raters, 60, 0.15, seed=11,
                       agreement=0.7, weights=[0.3, 0.7])
    cases.append(describe(case, raters[:3], all_pairs(raters),
                          [("judge", "h1", "pass"), ("judge", "h2", "pass"), ("h3", "h1", "fail")]))

    # Likert 1–7, two raters, complete, 6 and 7 unused: weighted κ depends on the full order.
    raters = ["r1", "r2"]
    case = random_case("likert-unused-labels", ["1", "2", "3", "4", "5", "6", "7"], raters, 40, 0.0, seed=5,
                       agreement=0.5, weights=[0.1, 0.2, 0.3, 0.25, 0.15, 0.0, 0.0])
    cases.append(describe(case, raters, all_pairs(raters), [("r2", "r1", "5")]))

    # Three ordered labels in a non-alphabetical order, three raters, complete (Fleiss defined),
    # numeric values unevenly spaced.
    raters = ["a", "b", "c"]
    case = random_case("complete-three-labels", ["poor", "fair", "excellent"], raters, 150, 0.0, seed=3,
                       agreement=0.55, weights=[0.2, 0.5, 0.3])
    case.values = [0.0, 1.0, 4.0]
    cases.append(describe(case, raters, all_pairs(raters), [("c", "a", "excellent")]))

    # Four labels (one unused), four raters, 15% missing: Fleiss refused, everything else defined.
    raters = ["a", "b", "c", "judge"]
    case = random_case("missing-four-labels", ["fail", "partial", "pass", "n/a"], raters, 200, 0.15, seed=23,
                       agreement=0.6, weights=[0.3, 0.2, 0.5, 0.0])
    cases.append(describe(case, raters[:3], all_pairs(raters), [("judge", "a", "pass")]))

    # One class only: chance-corrected coefficients are undefined, AC1 is not.
    raters = ["h1", "h2", "judge"]
    case = from_matrix("one-class", ["fail", "pass"], raters, [["pass"] * 3 for _ in range(10)])
    cases.append(describe(case, raters[:2], all_pairs(raters), [("judge", "h1", "pass"), ("judge", "h1", "fail")]))

    # The judge never passes: precision undefined, recall 0, F1 0.
    raters = ["human", "judge"]
    case = from_matrix("judge-never-passes", ["fail", "pass"], raters,
                       [["pass", "fail"], ["fail", "fail"], ["pass", "fail"], ["pass", None], ["fail", "fail"]])
    cases.append(describe(case, raters, all_pairs(raters), [("judge", "human", "pass")]))

    # No item has two ratings.
    raters = ["a", "b", "c"]
    case = from_matrix("no-pairs", ["x", "y", "z"], raters,
                       [["x", None, None], [None, "y", None], [None, None, "z"], ["y", None, None]])
    cases.append(describe(case, raters, all_pairs(raters), [("b", "a", "x")]))
    return cases


def pandalm():
    """Three annotators (0 tie, 1, 2) and two judges; judge verdicts 'Tie' → 0, 'garbage' → missing."""
    humans = json.loads((SHARED / "pandalm" / "testset-v1.json").read_text())
    gpt = json.loads((SHARED / "pandalm" / "gpt-3.5-turbo-testset-v1.json").read_text())
    panda = json.loads((SHARED / "pandalm" / "pandalm-7b-testset-v1.json").read_text())
    gpt_map = {"1": "1", "2": "2", "Tie": "0"}
    ratings = []
    for h, g, p in zip(humans, gpt, panda):
        item = str(h["idx"])
        votes = [str(h[f"annotator{i}"]) for i in (1, 2, 3)]
        for i, label in enumerate(votes, 1):
            ratings.append((item, f"annotator{i}", label))
        label, count = Counter(votes).most_common(1)[0]
        if count >= 2:
            ratings.append((item, "majority", label))
        if g["gpt_result"] in gpt_map:
            ratings.append((item, "gpt-3.5-turbo", gpt_map[g["gpt_result"]]))
        ratings.append((item, "pandalm-7b", str(p["pandalm_result"])))
    raters = ["annotator1", "annotator2", "annotator3", "majority", "gpt-3.5-turbo", "pandalm-7b"]
    case = Case("pandalm", ["0", "1", "2"], raters, ratings)
    result = describe(case, raters[:3], all_pairs(raters[:3]) + [("gpt-3.5-turbo", "majority")],
                      [("gpt-3.5-turbo", "majority", "1"), ("pandalm-7b", "majority", "2")])
    del result["ratings"]
    majority = Counter(case.column("majority"))
    result["majority_counts"] = {label: majority[label] for label in case.labels}
    return result


def hanna():
    frame = pd.read_csv(SHARED / "hanna" / "user_study.csv")
    flags = [c for c in frame.columns if c.startswith("Answer.")]
    raters = ["r1", "r2", "r3"]
    out = {}
    for flag in flags:
        ratings = [(f"item{row // 3}", raters[row % 3], str(int(frame[flag].iloc[row]))) for row in range(len(frame))]
        case = Case(flag, ["0", "1"], raters, ratings)
        result = describe(case, raters, all_pairs(raters), [])
        del result["ratings"]
        out[flag] = result
    return out


def synthetic():
    config = dict(items=2000, raters=3, categories=5, agreement=0.6, missing_rate=0.1, seed=7)
    codes = synthetic_codes(**config)
    data = codes.T.astype(float)
    data[data < 0] = np.nan
    domain = list(range(config["categories"]))
    return {
        "config": config,
        "codes": codes.reshape(-1).tolist(),
        "alpha": {level: float(krippendorff.alpha(data, value_domain=domain, level_of_measurement=level))
                  for level in ("nominal", "ordinal", "interval")},
    }


def main():
    packages = {name: importlib.metadata.version(name) for name in
                ("scikit-learn", "statsmodels", "krippendorff", "irrCAC", "scipy", "numpy", "pandas")}
    document = {
        "generated_by": "scripts/reference_stats.py",
        "python": sys.version.split()[0],
        "packages": packages,
        "cases": synthetic_cases(),
        "pandalm": pandalm(),
        "hanna": hanna(),
        "synthetic": synthetic(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=1, default=int) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)} with {len(document['cases'])} cases; packages {packages}")


if __name__ == "__main__":
    main()
