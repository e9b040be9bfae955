"""XGBoost 1.7.4 side of bench/train_vs_xgboost.ts (run with /usr/bin/python3).

Reads the dataset file written by the TypeScript bench (JSON header line, then labels as uint8,
then float32 columns, column-major, NaN = missing), trains binary:logistic with tree_method=hist
on the first 80 % of rows and prints one JSON line: wall times and the test AUC.
"""
import json
import resource
import sys
import time

import numpy as np
import xgboost as xgb


def load(path):
    with open(path, "rb") as f:
        header = json.loads(f.readline())
        n, nf = header["nRows"], header["nFeatures"]
        y = np.frombuffer(f.read(n), dtype=np.uint8).astype(np.float32)
        cols = np.frombuffer(f.read(4 * n * nf), dtype=np.float32).reshape(nf, n)
    return np.ascontiguousarray(cols.T), y


def auc(y, s):
    order = np.argsort(s, kind="mergesort")
    s, y = s[order], y[order]
    # Average ranks for ties.
    _, inv, counts = np.unique(s, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    ranks = (ends - (counts - 1) / 2.0)[inv]
    npos = y.sum()
    nneg = len(y) - npos
    return float((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def main():
    path, threads, rounds, depth, eta = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    X, y = load(path)
    ntr = int(len(y) * 0.8)
    t0 = time.perf_counter()
    c0 = time.process_time()
    dtrain = xgb.DMatrix(X[:ntr], label=y[:ntr], nthread=threads)
    t1 = time.perf_counter()
    c1 = time.process_time()
    params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": depth, "eta": eta,
              "max_bin": 256, "nthread": threads, "eval_metric": "logloss"}
    booster = xgb.train(params, dtrain, rounds)
    t2 = time.perf_counter()
    c2 = time.process_time()
    p = booster.predict(xgb.DMatrix(X[ntr:], nthread=threads))
    print(json.dumps({"version": xgb.__version__, "dmatrix_s": t1 - t0, "train_s": t2 - t1,
                      "total_s": t2 - t0, "train_cpu_s": c2 - c1, "auc": auc(y[ntr:], p),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


main()
