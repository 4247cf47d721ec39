#!/usr/bin/env python3
"""How long an M2 run would need to pass the token unigram (the paper's
"learned": 2% below it), extrapolated from its own validation curve.

Fits valid bits/token = p + q * ln(training seconds) over the second half of
the run's log.csv (least squares; the curve of a run still learning is close
to straight in log time there) and solves for the unigram criterion. An
estimate under that assumption, printed with it; a curve that is not falling
gets no estimate. Usage: scripts/budget-to-learn.py RUN_DIR [--json]"""
import json
import math
import sys


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    run = args[0]
    record = json.load(open(f"{run}/run.json"))
    rows = []
    with open(f"{run}/log.csv") as f:
        header = f.readline().strip().split(",")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            v = line.strip().split(",")
            if len(v) >= len(col) and float(v[col["seconds"]]) > 0:
                rows.append((float(v[col["seconds"]]), float(v[col["valid_bits_per_token"]])))
    target = 0.98 * record["unigram_bits_per_token"]
    out = {"run": run, "method": record["method"], "unigram_bits_per_token": record["unigram_bits_per_token"],
           "target_bits_per_token": target, "seconds_trained": rows[-1][0] if rows else 0,
           "best_bits_per_token": record["best"]["valid_bits_per_token"], "model": "p + q ln(seconds), 2nd half"}
    half = rows[len(rows) // 2:]
    if len(half) >= 3:
        xs, ys = [math.log(s) for s, _ in half], [y for _, y in half]
        n, mx, my = len(xs), sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        q = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx > 0 else 0.0
        p = my - q * mx
        out["slope_bits_per_e_fold"] = q
        if out["best_bits_per_token"] <= target:
            out["seconds_needed"] = next(s for s, y in rows if y <= target)
        elif q < 0:
            out["seconds_needed"] = math.exp((target - p) / q)
    if "--json" in sys.argv:
        print(json.dumps(out, indent=1))
        return
    print(f"{out['method']}: best {out['best_bits_per_token']:.4f} bits/token after {out['seconds_trained']:.0f} s; "
          f"learned means <= {target:.4f} (0.98 x unigram {out['unigram_bits_per_token']:.4f})")
    if "seconds_needed" in out:
        print(f"  about {out['seconds_needed'] / 60:.1f} minutes of training at this machine's speed "
              f"(fit: {out['model']}, slope {out['slope_bits_per_e_fold']:.4f} bits/token per e-fold of time)")
    else:
        print("  no estimate: the curve's second half is not falling (or too short)")


if __name__ == "__main__":
    main()
