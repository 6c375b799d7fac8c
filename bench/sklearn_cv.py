"""scikit-learn's RandomForestClassifier on the very folds irisops used (read from stdin as JSON)."""
import csv
import json
import sys

from sklearn.ensemble import RandomForestClassifier

spec = json.load(sys.stdin)
with open(spec["data"], newline="") as f:
    rows = list(csv.DictReader(f))
features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
X = [[float(r[c]) for c in features] for r in rows]
y = [r["species"] for r in rows]


def score(train, test):
    model = RandomForestClassifier(n_estimators=100, max_depth=5, random_state=42)
    model.fit([X[i] for i in train], [y[i] for i in train])
    return float(model.score([X[i] for i in test], [y[i] for i in test]))


folds = [score(f["train"], f["test"]) for f in spec["folds"]]
print(json.dumps({"split_accuracy": score(spec["split"]["train"], spec["split"]["test"]), "cv_accuracies": folds,
                  "cv_accuracy_mean": sum(folds) / len(folds)}))
