"""XGBoost side of bench/parity_vs_xgboost.ts (run with /usr/bin/python3).

Trains XGBoost 1.7.4 (hist, 1 thread) on the CSV the TypeScript side wrote and prints the raw
margins of every row plus the node count of every tree, as one JSON line.
"""
import json
import sys

import numpy as np
import xgboost as xgb

path, p = sys.argv[1], json.loads(sys.argv[2])
a = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float32, missing_values="",
                  filling_values=np.nan)
y, X = a[:, 0], a[:, 1:]
params = {"objective": "binary:logistic", "tree_method": "hist", "nthread": 1, "max_bin": 256,
          "max_depth": p["max_depth"], "eta": p["learning_rate"], "reg_lambda": p["reg_lambda"],
          "reg_alpha": p["reg_alpha"], "min_child_weight": p["min_child_weight"],
          "gamma": p["gamma"], "scale_pos_weight": p["scale_pos_weight"]}
b = xgb.train(params, xgb.DMatrix(X, label=y), p["n_estimators"])
margin = b.predict(xgb.DMatrix(X), output_margin=True)
trees = json.loads(b.save_raw("json").decode())["learner"]["gradient_booster"]["model"]["trees"]
print(json.dumps({"margin": margin.tolist(), "nodes": [len(t["left_children"]) for t in trees]}))
