"""Reference values for Sluice's TreeSHAP (`Tests/SluiceModelTests/ML/TreeSHAPReferenceTests.swift`).

Writes two fixtures to `Tests/Fixtures/explanations/`:

- `tree-shap.json`: for every example tree model in `Models/`, the covers its ONNX nodes are given
  (in Sluice's order: branches and leaves numbered apart, in the order of the ONNX node lists),
  the rows of `Models/references/<model>.json`, and the `shap` package's SHAP values and expected
  value for those rows. ONNX files carry no covers and the original scikit-learn, XGBoost and
  LightGBM objects are not kept, so the covers are counted here from synthetic reference rows
  (drawn around the reference rows' per-column mean and spread), plus one per leaf so that no node
  has an empty cover; `shap` is handed the ONNX trees with exactly those covers (its custom-tree
  dictionary), so the comparison is of the algorithm, on the models' very trees.
- `tree-covers.json`: a GradientBoostingRegressor (no subsampling, so every tree sees every
  training row) with its trees as scikit-learn stores them (children, feature, threshold) and
  `n_node_samples`, and its training rows: counting those rows through the trees must give
  `n_node_samples`.

Run with Models/requirements.txt's numpy, onnx and scikit-learn, and shap, in a virtualenv:
    python3 -m venv .venv && .venv/bin/pip install numpy==2.4.6 onnx==1.23.2 scikit-learn==1.9.1 shap==0.51.0
    .venv/bin/python Tests/Generators/make_tree_shap_fixture.py
"""
import json
from pathlib import Path

import numpy as np
import onnx
import shap
from onnx import helper
from sklearn.ensemble import GradientBoostingRegressor

REPOSITORY = Path(__file__).resolve().parent.parent.parent
HERE = REPOSITORY / "Tests" / "Fixtures" / "explanations"
MODELS = REPOSITORY / "Models"
TREE_MODELS = [
    "random-forest-classifier", "random-forest-regressor", "gradient-boosting-classifier",
    "hist-gradient-boosting-classifier", "hist-gradient-boosting-regressor", "xgboost-binary",
    "xgboost-multiclass", "xgboost-regressor", "lightgbm-classifier", "lightgbm-regressor",
]
REFERENCE_ROWS = 2000


def tree_node(model: onnx.ModelProto) -> onnx.NodeProto:
    return next(node for node in model.graph.node if node.op_type in ("TreeEnsembleClassifier", "TreeEnsembleRegressor"))


class Ensemble:
    """The trees of a legacy TreeEnsembleClassifier/Regressor node, as Sluice reads them."""

    def __init__(self, node: onnx.NodeProto):
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        prefix = "class" if node.op_type == "TreeEnsembleClassifier" else "target"
        self.tree_ids = list(attributes["nodes_treeids"])
        self.node_ids = list(attributes["nodes_nodeids"])
        self.features = list(attributes["nodes_featureids"])
        self.modes = [m.decode() for m in attributes["nodes_modes"]]
        self.values = list(attributes["nodes_values"])
        self.true_ids = list(attributes["nodes_truenodeids"])
        self.false_ids = list(attributes["nodes_falsenodeids"])
        self.missing_true = list(attributes.get("nodes_missing_value_tracks_true", [0] * len(self.tree_ids)))
        self.average = attributes.get("aggregate_function", b"SUM") == b"AVERAGE"
        if prefix == "class":
            self.targets = len(attributes.get("classlabels_int64s", []) or attributes.get("classlabels_strings", []))
        else:
            self.targets = attributes["n_targets"]
        self.position = {(t, n): i for i, (t, n) in enumerate(zip(self.tree_ids, self.node_ids))}
        self.index = []  # per ONNX node: ("branch"|"leaf", Sluice index)
        branches = leaves = 0
        for mode in self.modes:
            if mode == "LEAF":
                self.index.append(("leaf", leaves))
                leaves += 1
            else:
                self.index.append(("branch", branches))
                branches += 1
        self.branch_count, self.leaf_count = branches, leaves
        self.votes = [np.zeros(self.targets) for _ in self.tree_ids]
        for target, tree, node, weight in zip(attributes[f"{prefix}_ids"], attributes[f"{prefix}_treeids"],
                                              attributes[f"{prefix}_nodeids"], attributes[f"{prefix}_weights"]):
            self.votes[self.position[(tree, node)]][target] += weight
        self.roots = [i for i in range(len(self.tree_ids)) if i == 0 or self.tree_ids[i] != self.tree_ids[i - 1]]

    def child(self, i: int, x: np.ndarray) -> int:
        value = np.float32(x[self.features[i]])
        threshold = np.float32(self.values[i])
        if np.isnan(value):
            goes_true = self.missing_true[i] == 1
        else:
            goes_true = {"BRANCH_LEQ": value <= threshold, "BRANCH_LT": value < threshold,
                         "BRANCH_GTE": value >= threshold, "BRANCH_GT": value > threshold}[self.modes[i]]
        target = self.true_ids[i] if goes_true else self.false_ids[i]
        return self.position[(self.tree_ids[i], target)]

    def covers(self, rows: np.ndarray) -> np.ndarray:
        """Rows reaching each ONNX node, plus one per leaf (and so plus its leaves below each branch)."""
        counts = np.zeros(len(self.tree_ids))
        for x in rows:
            for root in self.roots:
                i = root
                while self.modes[i] != "LEAF":
                    counts[i] += 1
                    i = self.child(i, x)
                counts[i] += 1
        for root in self.roots:
            self.add_leaf_counts(root, counts)
        return counts

    def add_leaf_counts(self, i: int, counts: np.ndarray) -> int:
        if self.modes[i] == "LEAF":
            counts[i] += 1
            return 1
        tree = self.tree_ids[i]
        added = sum(self.add_leaf_counts(self.position[(tree, c)], counts) for c in (self.true_ids[i], self.false_ids[i]))
        counts[i] += added
        return added

    def shap_trees(self, covers: np.ndarray) -> list[dict]:
        """Each tree in shap's custom-tree form: left = the true child, thresholds for `x <= t`."""
        scale = 1 / len(self.roots) if self.average else 1
        trees = []
        for root in self.roots:
            order, local = [], {}

            def visit(i):
                local[i] = len(order)
                order.append(i)
                if self.modes[i] != "LEAF":
                    tree = self.tree_ids[i]
                    visit(self.position[(tree, self.true_ids[i])])
                    visit(self.position[(tree, self.false_ids[i])])

            visit(root)
            left, right, default, features, thresholds = [], [], [], [], []
            values = np.zeros((len(order), self.targets))
            for j, i in enumerate(order):
                if self.modes[i] == "LEAF":
                    left.append(-1), right.append(-1), default.append(-1), features.append(-2), thresholds.append(0.0)
                    values[j] = self.votes[i] * scale
                    continue
                if self.modes[i] not in ("BRANCH_LEQ", "BRANCH_LT"):
                    raise ValueError(f"mode {self.modes[i]}")
                tree = self.tree_ids[i]
                t, f = local[self.position[(tree, self.true_ids[i])]], local[self.position[(tree, self.false_ids[i])]]
                left.append(t), right.append(f), default.append(t if self.missing_true[i] else f)
                features.append(self.features[i])
                threshold = np.float32(self.values[i])
                # x < t is x <= the float below t, for float32 x.
                thresholds.append(float(threshold if self.modes[i] == "BRANCH_LEQ" else np.nextafter(threshold, np.float32(-np.inf))))
            weights = np.array([covers[i] for i in order], dtype=np.float64)
            for j in reversed(range(len(order))):  # interior values: the cover-weighted mean of the children
                if left[j] >= 0:
                    values[j] = (values[left[j]] * weights[left[j]] + values[right[j]] * weights[right[j]]) / weights[j]
            trees.append({"children_left": np.array(left), "children_right": np.array(right),
                          "children_default": np.array(default), "features": np.array(features),
                          "thresholds": np.array(thresholds), "values": values, "node_sample_weight": weights})
        return trees

    def raw_scores(self, x: np.ndarray) -> np.ndarray:
        total = np.zeros(self.targets)
        for root in self.roots:
            i = root
            while self.modes[i] != "LEAF":
                i = self.child(i, x)
            total += self.votes[i]
        return total / len(self.roots) if self.average else total


def rows_of(name: str) -> np.ndarray:
    reference = json.loads((MODELS / "references" / f"{name}.json").read_text())
    data = reference["inputs"][0]["data"]
    return np.array([[np.nan if v is None else v for v in row] for row in data], dtype=np.float32)


def tree_shap_fixture() -> list[dict]:
    rng = np.random.default_rng(20261207)
    fixtures = []
    for name in TREE_MODELS:
        ensemble = Ensemble(tree_node(onnx.load(MODELS / f"{name}.onnx")))
        rows = rows_of(name)
        finite = np.where(np.abs(rows) < 1e3, rows, np.nan)  # the edge rows (±10× the largest) would widen the spread
        mean, spread = np.nanmean(finite, axis=0), np.nanstd(finite, axis=0)
        reference = (mean + spread * rng.standard_normal((REFERENCE_ROWS, rows.shape[1]))).astype(np.float32)
        covers = ensemble.covers(reference)
        explainer = shap.TreeExplainer({"trees": ensemble.shap_trees(covers)}, feature_perturbation="tree_path_dependent")
        values = np.asarray(explainer.shap_values(rows.astype(np.float64), check_additivity=False))
        # shap returns rows × features for one output, rows × features × outputs for several.
        values = values.reshape(rows.shape[0], rows.shape[1], -1)
        expected = np.atleast_1d(explainer.expected_value)
        for r, x in enumerate(rows):
            assert np.allclose(values[r].sum(axis=0) + expected, ensemble.raw_scores(x), atol=1e-4), (name, r)
        fixtures.append({
            "model": f"{name}.onnx",
            "branch_covers": [covers[i] for i, (kind, _) in enumerate(ensemble.index) if kind == "branch"],
            "leaf_covers": [covers[i] for i, (kind, _) in enumerate(ensemble.index) if kind == "leaf"],
            "rows": [[None if np.isnan(v) else float(v) for v in row] for row in rows],
            "expected_values": [float(e) for e in expected],
            # [row][target][feature]
            "shap_values": [[[float(values[r, f, t]) for f in range(rows.shape[1])] for t in range(values.shape[2])]
                            for r in range(rows.shape[0])],
        })
    return fixtures


def tree_covers_fixture() -> dict:
    rng = np.random.default_rng(20261208)
    x = np.round(rng.standard_normal((300, 5)), 2).astype(np.float32)
    y = x[:, 0] * 2 - x[:, 1] + rng.standard_normal(300) * 0.1
    model = GradientBoostingRegressor(n_estimators=5, max_depth=3, subsample=1.0, random_state=7).fit(x, y)
    trees = []
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append({"children_left": tree.children_left.tolist(), "children_right": tree.children_right.tolist(),
                      "feature": tree.feature.tolist(), "threshold": tree.threshold.tolist(),
                      "n_node_samples": tree.n_node_samples.tolist()})
    return {"rows": x.tolist(), "trees": trees}


def main() -> None:
    (HERE / "tree-shap.json").write_text(json.dumps({"shap_version": shap.__version__, "models": tree_shap_fixture()}) + "\n")
    (HERE / "tree-covers.json").write_text(json.dumps(tree_covers_fixture()) + "\n")


if __name__ == "__main__":
    main()
