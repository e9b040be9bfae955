#!/usr/bin/python3
"""XGBoost `pred_contribs` fixtures for the TreeSHAP tests (run from the repo root).

    /usr/bin/python3 scripts/make_shap_fixtures.py

Reads the conformance fixtures that scripts/make_fixtures.py wrote (synthetic.csv, bosch700.csv
and their XGBoost models), trains two more models on the synthetic training rows — depth-1 stumps
(with base_score 0.2 and scale_pos_weight, so the bias is not just the trees) and deep trees
(max_depth 10, min_child_weight 0) — and writes `lib/ml/testdata/tree_shap_expected.json`:
per model, the model file, the fixture rows used, XGBoost 1.7.4's `pred_contribs=True` output
(last column = bias) and margins, over the trees up to best_iteration. Deterministic (fixed
seeds, one thread). Needs python3-xgboost 1.7.4 and numpy.
"""
import json
import os

import numpy as np
import xgboost as xgb

OUT = "lib/ml/testdata"
BASE = {
    "objective": "binary:logistic",
    "tree_method": "hist",
    "max_bin": 256,
    "lambda": 1.0,
    "alpha": 0.0,
    "gamma": 0.0,
    "subsample": 1.0,
    "colsample_bytree": 1.0,
    "nthread": 1,
    "seed": 0,
}


def read_csv(path: str):
    """As make_fixtures.py and the tests read it: decimal → float64 → float32, '' → NaN."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        rows = [[float(v) if v != "" else np.nan for v in line.rstrip("\n").split(",")] for line in f]
    arr = np.array(rows, dtype=np.float64)
    return header[:-1], arr[:, :-1].astype(np.float32), arr[:, -1].astype(np.float32)


def f32(v: float):
    """Shortest text that reads back as the same float32, as a JSON number."""
    f = np.float32(v)
    for p in range(1, 10):
        s = f"{float(f):.{p}g}"
        if np.float32(float(s)) == f:
            return float(s) if ("." in s or "e" in s) else int(s)
    return float(f)


def case(name, booster, model_file, names, X, rows):
    dm = xgb.DMatrix(X[rows], missing=np.nan, feature_names=names)
    best = booster.attr("best_iteration")
    rng = (0, int(best) + 1) if best is not None else (0, 0)
    contribs = booster.predict(dm, pred_contribs=True, iteration_range=rng)
    margins = booster.predict(dm, output_margin=True, iteration_range=rng)
    missing = int(np.isnan(X[rows]).sum())
    print(f"{name}: {len(rows)} rows, {len(names)} features, {missing} missing cells, "
          f"max |bias + sum - margin| = {np.abs(contribs.sum(axis=1) - margins).max():.2e}")
    return {
        "name": name,
        "model": model_file,
        "rows": [int(r) for r in rows],
        "contribs": [[f32(v) for v in row] for row in contribs],
        "margins": [f32(v) for v in margins],
    }


def main() -> None:
    cases = []
    s_names, s_X, s_y = read_csv(os.path.join(OUT, "synthetic.csv"))
    with open(os.path.join(OUT, "synthetic_expected.json"), encoding="utf-8") as f:
        s_exp = json.load(f)
    n_train = s_exp["n_train"]
    test_rows = np.arange(n_train, n_train + 150)
    dtrain = xgb.DMatrix(s_X[:n_train], label=s_y[:n_train], missing=np.nan, feature_names=s_names)

    for file in ("synthetic_xgb_model.json", "synthetic_es_xgb_model.json"):
        b = xgb.Booster()
        b.load_model(os.path.join(OUT, file))
        cases.append(case(file.replace("_xgb_model.json", ""), b, file, s_names, s_X, test_rows))

    stumps = xgb.train(
        dict(BASE, max_depth=1, eta=0.3, base_score=0.2, scale_pos_weight=4.0, min_child_weight=1.0),
        dtrain,
        40,
    )
    stumps.save_model(os.path.join(OUT, "shap_stumps_xgb_model.json"))
    cases.append(case("stumps", stumps, "shap_stumps_xgb_model.json", s_names, s_X, test_rows))

    deep = xgb.train(
        dict(BASE, max_depth=10, eta=0.3, base_score=0.5, min_child_weight=0.0), dtrain, 4
    )
    deep.save_model(os.path.join(OUT, "shap_deep_xgb_model.json"))
    cases.append(case("deep", deep, "shap_deep_xgb_model.json", s_names, s_X, test_rows))

    b_names, b_X, _ = read_csv(os.path.join(OUT, "bosch700.csv"))
    with open(os.path.join(OUT, "bosch700_expected.json"), encoding="utf-8") as f:
        b_exp = json.load(f)
    bosch = xgb.Booster()
    bosch.load_model(os.path.join(OUT, b_exp["model"]))
    b_rows = np.arange(b_exp["n_train"], b_exp["n_train"] + 60)
    cases.append(case("bosch700", bosch, b_exp["model"], b_names, b_X, b_rows))

    with open(os.path.join(OUT, "tree_shap_expected.json"), "w", encoding="utf-8") as out:
        json.dump({"xgboost_version": xgb.__version__, "cases": cases}, out, separators=(",", ":"))


if __name__ == "__main__":
    main()
