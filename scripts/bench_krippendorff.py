#!/usr/bin/env python3
"""Time the `krippendorff` Python package on the synthetic data of `recjudge bench stats`.

The generator is the one documented on `StatsBenchmark` (Sources/Stats/StatsBenchmark.swift),
reimplemented here with numpy so both sides rate identical data:

    x(j)  = SplitMix64 output j (0-based) for `seed`: mix(seed + (j + 1) * 0x9E3779B97F4A7C15)
    item i, b = i * (raters + 1):   truth = x(b) mod categories
    rater r, x = x(b + 1 + r):      missing   if (x & 0xFFFF)         < round(missing_rate * 65536)
                                    truth     elif ((x >> 16) & 0xFFFF) < round(agreement * 65536)
                                    else (x >> 32) mod categories

Usage (release build of the Swift side for comparison: `recjudge bench stats`):
    python3 scripts/bench_krippendorff.py [--items 1000000] [--raters 3] [--categories 5]
        [--agreement 0.7] [--missing-rate 0.05] [--seed 42] [--repetitions 5]

Needs numpy and krippendorff (pip install krippendorff numpy). Prints the median time of
`krippendorff.alpha(reliability_data, value_domain=range(categories), level_of_measurement=...)`
per level and the α values (which must equal the Swift figures: same data, same formula).
"""

import argparse
import statistics
import time

import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)


def splitmix64(seed: int, indices: np.ndarray) -> np.ndarray:
    """SplitMix64 outputs at stream positions `indices` (uint64 array) for `seed`."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + (indices.astype(np.uint64) + np.uint64(1)) * GAMMA
        z = (z ^ (z >> np.uint64(30))) * MIX1
        z = (z ^ (z >> np.uint64(27))) * MIX2
        return z ^ (z >> np.uint64(31))


def synthetic_codes(items, raters, categories, agreement, missing_rate, seed):
    """Codes as an (items, raters) int64 array, -1 for a missing rating."""
    missing = np.uint64(int(round(missing_rate * 65536)))
    agree = np.uint64(int(round(agreement * 65536)))
    k = np.uint64(categories)
    base = np.arange(items, dtype=np.uint64) * np.uint64(raters + 1)
    truth = splitmix64(seed, base) % k
    offsets = np.arange(1, raters + 1, dtype=np.uint64)
    x = splitmix64(seed, base[:, None] + offsets[None, :])
    mask16 = np.uint64(0xFFFF)
    codes = np.where(((x >> np.uint64(16)) & mask16) < agree, truth[:, None], (x >> np.uint64(32)) % k)
    codes = codes.astype(np.int64)
    codes[(x & mask16) < missing] = -1
    return codes


def reliability_data(codes: np.ndarray) -> np.ndarray:
    """The package's input: raters × items floats, NaN for missing."""
    data = codes.T.astype(np.float64)
    data[data < 0] = np.nan
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--raters", type=int, default=3)
    parser.add_argument("--categories", type=int, default=5)
    parser.add_argument("--agreement", type=float, default=0.7)
    parser.add_argument("--missing-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--levels", default="nominal,ordinal,interval")
    args = parser.parse_args()

    import krippendorff

    started = time.perf_counter()
    codes = synthetic_codes(args.items, args.raters, args.categories, args.agreement,
                            args.missing_rate, args.seed)
    data = reliability_data(codes)
    print(f"items {args.items} raters {args.raters} categories {args.categories} "
          f"missing {args.missing_rate} (generated in {time.perf_counter() - started:.3f} s)")
    from importlib.metadata import version
    print(f"krippendorff {version('krippendorff')}, numpy {np.__version__}")
    domain = list(range(args.categories))
    for level in args.levels.split(","):
        times, value = [], None
        for _ in range(args.repetitions):
            started = time.perf_counter()
            value = krippendorff.alpha(reliability_data=data, value_domain=domain, level_of_measurement=level)
            times.append(time.perf_counter() - started)
        print(f"alpha {level:8s} median {statistics.median(times):.4f} s over {args.repetitions} = {value!r}")


if __name__ == "__main__":
    main()
