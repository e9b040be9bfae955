#!/usr/bin/python3
"""Generate the XGBoost conformance fixtures in lib/ml/testdata/ (run from the repo root).

    /usr/bin/python3 scripts/make_fixtures.py [path/to/bosch_numeric_700_ts.csv]

Writes, per dataset, `<name>.csv` (header = features + Response; the first `n_train` rows are
the training set, the rest the test set; empty field = missing) and `<name>_expected.json`
(XGBoost's params, test AUC / logloss, test probabilities, and the name of the model file XGBoost
saved as JSON). Deterministic: fixed seeds, one thread. Needs python3-xgboost 1.7.4 and numpy.

Datasets:
  synthetic  3,000 x 20, ~25 % missing (partly informative), ~5 % positives; 2,000 train.
  bosch700   the 700 real Bosch rows; columns at least 30 % present; every third row is test
             (keeps 1 of the 3 failures in the test set; a time split would leave none in train).
The synthetic set also gets an early-stopping model (more rounds, eta 0.3, stopped on the test
set) to check that importers honour best_iteration.
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb

OUT = "lib/ml/testdata"
DEFAULT_BOSCH = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "bosch_numeric_700_ts.csv"
)
PARAMS = {
    "objective": "binary:logistic",
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.1,
    "max_bin": 256,
    "base_score": 0.5,
    "min_child_weight": 1.0,
    "lambda": 1.0,
    "alpha": 0.0,
    "gamma": 0.0,
    "subsample": 1.0,
    "colsample_bytree": 1.0,
    "nthread": 1,
    "seed": 0,
    "eval_metric": ["logloss", "auc"],
}
ROUNDS = 50


def fmt(v: float) -> str:
    """Shortest text that reads back as the same float32 ('' for NaN)."""
    if np.isnan(v):
        return ""
    f = np.float32(v)
    for p in range(1, 10):
        s = f"{float(f):.{p}g}"
        if np.float32(float(s)) == f:
            return s
    return repr(float(f))


def write_csv(path: str, names, X: np.ndarray, y: np.ndarray) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(list(names) + ["Response"]) + "\n")
        for row, label in zip(X, y):
            out.write(",".join(fmt(v) for v in row) + f",{int(label)}\n")


def read_csv(path: str):
    """Parses a fixture back exactly as the tests do: decimal → float64 → float32."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        rows = [[float(v) if v != "" else np.nan for v in line.rstrip("\n").split(",")] for line in f]
    arr = np.array(rows, dtype=np.float64)
    return header[:-1], arr[:, :-1].astype(np.float32), arr[:, -1].astype(np.float32)


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """ROC AUC with average ranks for ties (Mann-Whitney)."""
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p), dtype=np.float64)
    sp = p[order]
    i = 0
    while i < len(sp):
        j = i
        while j + 1 < len(sp) and sp[j + 1] == sp[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    npos = float(y.sum())
    nneg = len(y) - npos
    return float((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def logloss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p.astype(np.float64), 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def synthetic():
    rng = np.random.default_rng(20240607)
    n, d = 3000, 20
    X = rng.normal(size=(n, d))
    X[:, 5] = rng.exponential(1.0, size=n)  # skewed feature
    X[:, 6] = rng.integers(0, 5, size=n)  # few distinct values (ties, exact thresholds)
    z = (
        -8.0
        + 2.0 * X[:, 0]
        - 1.6 * X[:, 1]
        + 1.0 * X[:, 2] * X[:, 3]
        + 1.2 * (X[:, 4] > 0.5)
        + 0.8 * X[:, 5]
        + 0.4 * X[:, 6]
    )
    missing = rng.random(size=(n, d)) < 0.25
    # Missingness of feature 7 carries signal, so the learned default direction matters.
    z += 1.5 * missing[:, 7]
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(np.float32)
    X = np.round(X, 4)
    X[missing] = np.nan
    names = [f"x{j}" for j in range(d)]
    return names, X, y, 2000


def bosch(path: str):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        rows = [line.rstrip("\n").split(",") for line in f if line.strip()]
    ri, ti = header.index("Response"), header.index("Timestamp")
    feats = [j for j in range(len(header)) if j not in (0, ri, ti)]  # drop Id, Response, Timestamp
    X = np.array([[float(r[j]) if r[j] != "" else np.nan for j in feats] for r in rows])
    y = np.array([float(r[ri]) for r in rows], dtype=np.float32)
    keep = (~np.isnan(X)).mean(axis=0) >= 0.30
    names = [header[j] for j, k in zip(feats, keep) if k]
    X = X[:, keep]
    test = np.arange(len(rows)) % 3 == 2
    order = np.concatenate([np.flatnonzero(~test), np.flatnonzero(test)])
    return names, X[order], y[order], int((~test).sum())


def make(name: str, names, X, y, n_train: int, early_stopping: bool = False) -> dict:
    csv_path = os.path.join(OUT, f"{name}.csv")
    write_csv(csv_path, names, X, y)
    names, X, y = read_csv(csv_path)
    dtrain = xgb.DMatrix(X[:n_train], label=y[:n_train], missing=np.nan, feature_names=names)
    dtest = xgb.DMatrix(X[n_train:], label=y[n_train:], missing=np.nan, feature_names=names)
    expected = {
        "dataset": f"{name}.csv",
        "n_train": n_train,
        "n_test": int(len(y) - n_train),
        "n_features": len(names),
        "positives_train": int(y[:n_train].sum()),
        "positives_test": int(y[n_train:].sum()),
        "xgboost_version": xgb.__version__,
        "params": {k: v for k, v in PARAMS.items() if k != "eval_metric"},
        "num_boost_round": ROUNDS,
    }
    booster = xgb.train(PARAMS, dtrain, ROUNDS)
    model_file = f"{name}_xgb_model.json"
    booster.save_model(os.path.join(OUT, model_file))
    p_test = booster.predict(dtest)
    p_train = booster.predict(dtrain)
    expected.update(
        {
            "model": model_file,
            "test_auc": auc(y[n_train:], p_test),
            "test_logloss": logloss(y[n_train:], p_test),
            "train_auc": auc(y[:n_train], p_train),
            "train_logloss": logloss(y[:n_train], p_train),
            "test_proba": [float(p) for p in p_test],
        }
    )
    if early_stopping:
        es_params = dict(PARAMS, eta=0.3, eval_metric="logloss")
        es = xgb.train(
            es_params,
            dtrain,
            500,
            evals=[(dtest, "test")],
            early_stopping_rounds=5,
            verbose_eval=False,
        )
        es_file = f"{name}_es_xgb_model.json"
        es.save_model(os.path.join(OUT, es_file))
        rounds = (0, es.best_iteration + 1)
        expected["early_stopping"] = {
            "model": es_file,
            "params": {k: v for k, v in es_params.items() if k != "eval_metric"},
            "best_iteration": es.best_iteration,
            "num_trees": es.num_boosted_rounds(),
            "test_proba": [float(p) for p in es.predict(dtest, iteration_range=rounds)],
        }
    with open(os.path.join(OUT, f"{name}_expected.json"), "w", encoding="utf-8") as out:
        json.dump(expected, out, indent=1)
    return expected


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    e = make("synthetic", *synthetic(), early_stopping=True)
    print("synthetic", {k: e[k] for k in ("test_auc", "test_logloss", "positives_test")})
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_BOSCH
    e = make("bosch700", *bosch(path))
    print("bosch700", {k: e[k] for k in ("n_features", "test_auc", "test_logloss", "positives_test")})


if __name__ == "__main__":
    main()
