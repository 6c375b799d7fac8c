"""scikit-learn's GridSearchCV over the grid irisops tune swept, on the very folds it used (JSON on stdin)."""
import csv
import json
import sys

from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV

spec = json.load(sys.stdin)
with open(spec["data"], newline="") as f:
    rows = list(csv.DictReader(f))
features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
X = [[float(r[c]) for c in features] for r in rows]
y = [r["species"] for r in rows]

# max_features=None: every tree sees all four features, as irisops' default --max-features 1
search = GridSearchCV(
    RandomForestClassifier(random_state=spec["seed"], max_features=None),
    {"n_estimators": spec["n_estimators"], "max_depth": spec["max_depth"]},
    cv=[(f["train"], f["test"]) for f in spec["folds"]],
    scoring="accuracy",
    n_jobs=1,
)
search.fit(X, y)
print(json.dumps({"best_params": search.best_params_, "best_cv_accuracy_mean": float(search.best_score_)}))
