"""XGBoost 1.7.4 side of bench/model_quality.ts (run with /usr/bin/python3).

Input (written by the bench): a JSON header line {"n_window", "n_fit", "n_test", "n_features"},
then labels as uint8 for the n_window + n_test rows (training window, then test window, both in
time order), then float32 columns, column-major over the same rows (NaN = missing).

Trains the old service's parameters (binary:logistic, hist, 200 rounds, depth 5, eta 0.1, no
class weighting) twice: on the whole training window (the old service: threshold 0.5), and on
its first n_fit rows (so the threshold can be chosen on the same validation slice our trainer
uses). Writes float32 probabilities to the output path: test (whole-window model), validation
slice (fit model), test (fit model). Prints one JSON line with the version and timings.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def main():
    path, out, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path, "rb") as f:
        h = json.loads(f.readline())
        nw, nfit, nt, nf = h["n_window"], h["n_fit"], h["n_test"], h["n_features"]
        n = nw + nt
        y = np.frombuffer(f.read(n), dtype=np.uint8).astype(np.float32)
        cols = np.frombuffer(f.read(4 * n * nf), dtype=np.float32).reshape(nf, n)
    X = np.ascontiguousarray(cols.T)
    params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 5, "eta": 0.1,
              "max_bin": 256, "nthread": threads, "eval_metric": "logloss"}
    t0 = time.perf_counter()
    whole = xgb.train(params, xgb.DMatrix(X[:nw], label=y[:nw], nthread=threads), 200)
    fit = xgb.train(params, xgb.DMatrix(X[:nfit], label=y[:nfit], nthread=threads), 200)
    t1 = time.perf_counter()
    dtest = xgb.DMatrix(X[nw:], nthread=threads)
    parts = [whole.predict(dtest), fit.predict(xgb.DMatrix(X[nfit:nw], nthread=threads)),
             fit.predict(dtest)]
    with open(out, "wb") as f:
        for p in parts:
            f.write(np.asarray(p, dtype=np.float32).tobytes())
    print(json.dumps({"version": xgb.__version__, "train_s": t1 - t0}))


main()
