#!/usr/bin/python3
"""Predict P(class 1) with Python XGBoost for the conformance tests.

Usage: /usr/bin/python3 scripts/xgb_predict.py MODEL.json DATA.csv

DATA.csv has a header row of feature names and only feature columns; an empty field is a
missing value. Prints a JSON object {"xgboost": version, "best_iteration": n|null,
"proba": [...]} to stdout. Predictions use the trees up to the model's best_iteration when it
is set (XGBoost's Booster.predict would otherwise use all trees).
"""
import json
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    import numpy as np
    import xgboost as xgb

    booster = xgb.Booster()
    booster.load_model(sys.argv[1])
    data = load_csv(sys.argv[2])
    matrix = xgb.DMatrix(data, missing=np.nan, feature_names=booster.feature_names)
    best = booster.attr("best_iteration")
    rounds = (0, int(best) + 1) if best is not None else (0, 0)
    proba = booster.predict(matrix, iteration_range=rounds)
    json.dump(
        {
            "xgboost": xgb.__version__,
            "best_iteration": int(best) if best is not None else None,
            "proba": [float(p) for p in proba],
        },
        sys.stdout,
    )
    return 0


def load_csv(path: str):
    """Reads a header + numeric CSV into float32 (empty → NaN), as the fixtures do."""
    import numpy as np

    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        rows = [
            [float(v) if v != "" else np.nan for v in line.rstrip("\n").split(",")]
            for line in f
            if line.strip()
        ]
    arr = np.array(rows, dtype=np.float64).reshape(len(rows), len(header))
    return arr.astype(np.float32)


if __name__ == "__main__":
    sys.exit(main())
