#!/usr/bin/python3
"""SHAP contributions with Python XGBoost for the TreeSHAP tests.

Usage: /usr/bin/python3 scripts/xgb_contribs.py MODEL.json DATA.csv

DATA.csv as for xgb_predict.py (header of feature names, feature columns only, empty = missing).
Prints {"xgboost": version, "contribs": [[c_0, ..., c_n-1, bias], ...], "margins": [...]} using
the trees up to the model's best_iteration when it is set.
"""
import json
import sys

from xgb_predict import load_csv


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    import numpy as np
    import xgboost as xgb

    booster = xgb.Booster()
    booster.load_model(sys.argv[1])
    matrix = xgb.DMatrix(load_csv(sys.argv[2]), missing=np.nan, feature_names=booster.feature_names)
    best = booster.attr("best_iteration")
    rounds = (0, int(best) + 1) if best is not None else (0, 0)
    contribs = booster.predict(matrix, pred_contribs=True, iteration_range=rounds)
    margins = booster.predict(matrix, output_margin=True, iteration_range=rounds)
    json.dump(
        {
            "xgboost": xgb.__version__,
            "contribs": [[float(v) for v in row] for row in contribs],
            "margins": [float(v) for v in margins],
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
