#!/usr/bin/env python3
"""Trains Sluice's example models on synthetic data, exports them to ONNX and writes reference outputs.

Every model is exported the way its users export it: through skl2onnx, onnxmltools or (emulated)
torch.onnx.export, at the converter's default opsets and options, except where noted. For each model
the script writes `<name>.onnx`, `references/<name>.json` (fixed input rows and every output as
computed by onnxruntime's CPU provider) and a line block in `operators.txt` (the op census).

Run from the repository root with the pinned requirements installed:

    python Models/make_models.py

The script is deterministic: the seeds are fixed and training is single-threaded, so running it
again reproduces the same files.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import lightgbm
import multi_input_models
import numpy as np
import onnx
import onnxruntime
import xgboost
from onnx import TensorProto, helper, numpy_helper
from onnxmltools import convert_lightgbm, convert_xgboost
from onnxmltools.convert.common.data_types import FloatTensorType as MLFloatTensorType
import skl2onnx.common.tree_ensemble
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    IsolationForest,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, Normalizer, OneHotEncoder, StandardScaler

MODELS_DIR = Path(__file__).resolve().parent
REFERENCES_DIR = MODELS_DIR / "references"
SEED = 20261123
REFERENCE_ROWS = 20
# skl2onnx's default ai.onnx opset, spelled out where an ai.onnx.ml opset has to be named.
DEFAULT_OPSET = skl2onnx.get_latest_tested_opset_version()

# name -> (family, description); filled by `export`, written to operators.txt.
CATALOGUE: dict[str, tuple[str, str]] = {}




def _patch_skl2onnx_missing_flags() -> None:
    """skl2onnx 1.20 passes Python bools for HistGradientBoosting's nodes_missing_value_tracks_true,
    which protobuf 7 rejects in an ints attribute. Casting them to int produces the very model that
    older protobuf versions let through."""
    original = skl2onnx.common.tree_ensemble.add_node

    def add_node(*args, nodes_missing_value_tracks_true=0, **kwargs):
        return original(*args, nodes_missing_value_tracks_true=int(nodes_missing_value_tracks_true), **kwargs)

    skl2onnx.common.tree_ensemble.add_node = add_node


_patch_skl2onnx_missing_flags()


# ---------------------------------------------------------------------------------------------
# Synthetic data


def regression_data(n_features: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = make_regression(n_samples=600, n_features=n_features, n_informative=n_features - 2,
                           noise=5.0, random_state=seed)
    return x.astype(np.float32), y.astype(np.float32)


def classification_data(n_features: int, n_classes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = make_classification(n_samples=600, n_features=n_features, n_informative=n_features - 2,
                               n_redundant=1, n_classes=n_classes, n_clusters_per_class=1,
                               random_state=seed)
    return x.astype(np.float32), y


def with_missing(x: np.ndarray, fraction: float, seed: int, columns: list[int] | None = None) -> np.ndarray:
    """A copy of `x` with a fraction of the entries of `columns` (all when None) set to NaN."""
    rng = np.random.default_rng(seed)
    x = x.copy()
    columns = list(range(x.shape[1])) if columns is None else columns
    mask = rng.random((x.shape[0], len(columns))) < fraction
    sub = x[:, columns]
    sub[mask] = np.nan
    x[:, columns] = sub
    return x


def reference_rows(x: np.ndarray, *, missing: bool, edges: list[np.ndarray] | None = None) -> np.ndarray:
    """REFERENCE_ROWS float32 rows: held-out-like rows from `x`, edge rows, and NaN rows when `missing`.

    The default edges are all zeros, ten times the largest magnitude seen (positive and negative)
    and values near zero, so kernels are checked away from the training distribution too.
    """
    span = float(np.nanmax(np.abs(x)))
    width = x.shape[1]
    if edges is None:
        edges = [np.zeros(width), np.full(width, 10 * span), np.full(width, -10 * span), np.full(width, 1e-7)]
    rows = [np.asarray(edge, dtype=np.float64) for edge in edges]
    if missing:
        one_missing = np.array(x[-1], dtype=np.float64)
        one_missing[0] = np.nan
        rows.append(one_missing)
        rows.append(np.full(width, np.nan))
        half_missing = np.array(x[-2], dtype=np.float64)
        half_missing[::2] = np.nan
        rows.append(half_missing)
    taken = REFERENCE_ROWS - len(rows)
    body = x[:taken].astype(np.float64)
    # Rounding keeps the JSON short; float32 then makes every value exactly representable.
    return np.vstack([np.round(body, 4), np.array(rows)]).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Export, references and census


def export(name: str, family: str, description: str, model: onnx.ModelProto, inputs: np.ndarray | dict) -> None:
    """Saves `model`, runs it with onnxruntime on `inputs` (the rows of its single input, or a dict of
    rows by input name for a model with several) and writes its reference JSON."""
    make_reproducible(model, name)
    onnx.checker.check_model(model, full_check=True)
    path = MODELS_DIR / f"{name}.onnx"
    onnx.save_model(model, path)
    CATALOGUE[name] = (family, description)

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    if not isinstance(inputs, dict):
        (input_meta,) = session.get_inputs()
        inputs = {input_meta.name: inputs}
    results = session.run(None, inputs)
    outputs = [{"name": meta.name, **describe_output(meta.type, value)}
               for meta, value in zip(session.get_outputs(), results)]
    reference = {
        "model": path.name,
        "family": family,
        "producer": f"{model.producer_name} {model.producer_version}",
        "onnxruntime": onnxruntime.__version__,
        "note": "NaN is written as null; map keys are JSON strings, typed by the output's type.",
        "inputs": [{"name": meta.name, "type": meta.type[len("tensor("):-1], "shape": list(inputs[meta.name].shape),
                    "data": json_values(inputs[meta.name])} for meta in session.get_inputs()],
        "outputs": outputs,
    }
    REFERENCES_DIR.mkdir(exist_ok=True)
    with open(REFERENCES_DIR / f"{name}.json", "w") as file:
        json.dump(reference, file, indent=1, allow_nan=False)
        file.write("\n")
    print(f"{name:34} {path.stat().st_size / 1024:7.1f} KiB  outputs: {', '.join(o['name'] for o in outputs)}")


def make_reproducible(model: onnx.ModelProto, name: str) -> None:
    """Replaces what the converters randomize (a uuid graph name, the order of opset imports, which
    comes from a set) so the same script writes the same bytes."""
    if re.fullmatch(r"[0-9a-f]{32}", model.graph.name):
        model.graph.name = name
    imports = sorted(model.opset_import, key=lambda entry: entry.domain)
    del model.opset_import[:]
    model.opset_import.extend(imports)


def describe_output(onnx_type: str, value) -> dict:
    if onnx_type.startswith("seq(map("):
        key_type = onnx_type[len("seq(map("):].split(",")[0]
        return {"type": f"map({key_type},float)", "shape": [len(value)],
                "data": [{str(key): json_number(v) for key, v in row.items()} for row in value]}
    array = np.asarray(value)
    element = onnx_type[len("tensor("):-1]
    return {"type": element, "shape": list(array.shape), "data": json_values(array)}


def json_values(array: np.ndarray):
    if array.dtype.kind in "fc":
        return np.vectorize(json_number, otypes=[object])(array).tolist() if array.size else array.tolist()
    if array.dtype.kind in "iub":
        return array.astype(np.int64).tolist()
    return array.astype(str).tolist()


def json_number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


NOTABLE_ATTRIBUTES = {"post_transform", "aggregate_function", "axis", "transA", "transB", "to", "norm",
                      "approximate", "keepdims", "select_last_index", "zeros", "allowzero", "n_targets"}


def notable_attributes(node: onnx.NodeProto) -> set[str]:
    """The attribute values that decide which kernel path a node takes, as `name=value` words."""
    words = set()
    for attribute in node.attribute:
        value = helper.get_attribute_value(attribute)
        if attribute.name in NOTABLE_ATTRIBUTES:
            words.add(f"{attribute.name}={value.decode() if isinstance(value, bytes) else value}")
        elif attribute.name == "nodes_modes":
            words.add("modes=" + ",".join(sorted({mode.decode() for mode in value})))
        elif attribute.name == "nodes_missing_value_tracks_true" and any(value):
            words.add("missing_value_tracks_true")
        elif attribute.name in ("base_values", "base_values_as_tensor") and len(value) > 0:
            words.add("base_values")
        elif attribute.name.startswith("classlabels_"):
            words.add("labels=" + attribute.name[len("classlabels_"):])
        elif attribute.name.startswith(("keys_", "values_")):
            words.add(attribute.name)
    return words


def write_census() -> None:
    """Writes operators.txt: per model its opset imports and (domain, op, opset) rows, then the union."""
    used_by: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    lines = [
        "# Operator census of Sluice's example models (generated by make_models.py; do not edit).",
        "# Per model: opset imports, then one `domain op opset` row per distinct operator it uses,",
        "# with the attribute values that matter to its kernel (union over the model's nodes).",
        "",
    ]
    for name in sorted(CATALOGUE):
        model = onnx.load(MODELS_DIR / f"{name}.onnx")
        opsets = {(entry.domain or "ai.onnx"): entry.version for entry in model.opset_import}
        imports = ", ".join(f"{domain} {version}" for domain, version in sorted(opsets.items()))
        lines.append(f"{name}.onnx  [{CATALOGUE[name][0]}]  opsets: {imports}")
        notes: dict[tuple[str, str], set[str]] = defaultdict(set)
        for node in model.graph.node:
            notes[(node.domain or "ai.onnx", node.op_type)].update(notable_attributes(node))
        for domain, op in sorted(notes):
            key = (domain, op, opsets[domain])
            used_by[key].append(name)
            lines.append(f"  {domain:11} {op:24} {opsets[domain]:3}  {' '.join(sorted(notes[(domain, op)]))}".rstrip())
        lines.append("")
    lines.append("# Union: domain op opset  <- models")
    for (domain, op, opset), names in sorted(used_by.items()):
        lines.append(f"{domain:11} {op:24} {opset:3}  <- {', '.join(names)}")
    (MODELS_DIR / "operators.txt").write_text("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------
# scikit-learn models (skl2onnx)


def float_input(name: str, width: int) -> list:
    return [(name, FloatTensorType([None, width]))]


def sklearn_models() -> None:
    x, y = regression_data(8, SEED)
    model = LinearRegression().fit(x[100:], y[100:])
    export("linear-regression", "linear", "LinearRegression, 8 features",
           to_onnx(model, initial_types=float_input("features", 8)), reference_rows(x, missing=False))

    x, y = classification_data(10, 2, SEED + 1)
    model = LogisticRegression(max_iter=500).fit(x[100:], y[100:])
    export("logistic-binary", "linear", "LogisticRegression, 2 classes, 10 features; default ZipMap (int keys)",
           to_onnx(model, initial_types=float_input("features", 10)), reference_rows(x, missing=False))

    x, y = classification_data(6, 4, SEED + 2)
    model = LogisticRegression(max_iter=1000).fit(x[100:], y[100:])
    export("logistic-multiclass", "linear", "LogisticRegression, 4 classes, 6 features; zipmap=False",
           to_onnx(model, initial_types=float_input("features", 6), options={"zipmap": False}),
           reference_rows(x, missing=False))

    x, y = classification_data(12, 3, SEED + 3)
    model = MLPClassifier(hidden_layer_sizes=(32, 16), max_iter=400, random_state=SEED).fit(x[100:], y[100:])
    export("mlp-classifier", "mlp", "MLPClassifier (32, 16) relu, 3 classes, 12 features; zipmap=False",
           to_onnx(model, initial_types=float_input("features", 12), options={"zipmap": False}),
           reference_rows(x, missing=False))

    x, y = regression_data(10, SEED + 4)
    model = MLPRegressor(hidden_layer_sizes=(24,), activation="tanh", max_iter=800,
                         random_state=SEED).fit(x[100:], y[100:] / 100)
    export("mlp-regressor", "mlp", "MLPRegressor (24,) tanh, 10 features",
           to_onnx(model, initial_types=float_input("features", 10)), reference_rows(x, missing=False))

    pipeline_models()
    forest_models()
    boosting_models()

    x, _ = classification_data(8, 2, SEED + 12)
    model = IsolationForest(n_estimators=25, max_samples=128, random_state=SEED).fit(x[100:])
    # skl2onnx refuses its default ai.onnx.ml opset for IsolationForest and asks for 3 by name.
    export("isolation-forest", "tree-ensemble", "IsolationForest, 25 trees, 8 features; ai.onnx.ml opset 3",
           to_onnx(model, initial_types=float_input("features", 8), target_opset={"": DEFAULT_OPSET, "ai.onnx.ml": 3}),
           reference_rows(x, missing=False))


def pipeline_models() -> None:
    # Columns 0-5 numeric with missing values; 6 and 7 categorical codes 0-3 (float-coded, as users
    # feed them through a single float input).
    x, y = classification_data(6, 2, SEED + 5)
    rng = np.random.default_rng(SEED + 5)
    codes = rng.integers(0, 4, size=(x.shape[0], 2)).astype(np.float32)
    y = (y + (codes[:, 0] == 3)) % 2
    x = np.hstack([with_missing(x, 0.05, SEED + 5), codes])
    pre = ColumnTransformer([
        ("numeric", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]),
         [0, 1, 2, 3, 4, 5]),
        ("categorical", OneHotEncoder(handle_unknown="ignore"), [6, 7]),
    ])
    model = Pipeline([("pre", pre), ("classify", LogisticRegression(max_iter=500))]).fit(x[100:], y[100:])
    edges = [np.array([0, 0, 0, 0, 0, 0, 0, 0]), np.array([50, -50, 50, -50, 50, -50, 3, 2]),
             np.array([1, 1, 1, 1, 1, 1, 7, -1])]
    export("pipeline-classifier", "pipeline",
           "SimpleImputer+StandardScaler on 6 columns, OneHotEncoder on 2, LogisticRegression; zipmap=False",
           to_onnx(model, initial_types=float_input("features", 8), options={"zipmap": False}),
           reference_rows(x, missing=True, edges=edges))

    x, y = regression_data(7, SEED + 6)
    x = with_missing(x, 0.05, SEED + 6)
    model = Pipeline([
        ("impute", SimpleImputer(strategy="mean")),
        ("minmax", MinMaxScaler()),
        ("normalize", Normalizer(norm="l2")),
        ("scale", StandardScaler()),
        ("regress", Ridge(alpha=0.5)),
    ]).fit(x[100:], y[100:])
    export("pipeline-regressor", "pipeline",
           "SimpleImputer, MinMaxScaler, Normalizer(l2), StandardScaler, Ridge; 7 features",
           to_onnx(model, initial_types=float_input("features", 7)), reference_rows(x, missing=True))


def forest_models() -> None:
    x, y = classification_data(8, 3, SEED + 7)
    labels = np.array(["bronze", "silver", "gold"])[y]
    model = RandomForestClassifier(n_estimators=15, max_depth=6, random_state=SEED).fit(x[100:], labels[100:])
    export("random-forest-classifier", "tree-ensemble",
           "RandomForestClassifier, 15 trees depth 6, string labels; default ZipMap (string keys)",
           to_onnx(model, initial_types=float_input("features", 8)), reference_rows(x, missing=False))

    x, y = regression_data(8, SEED + 8)
    model = RandomForestRegressor(n_estimators=15, max_depth=6, random_state=SEED).fit(x[100:], y[100:])
    export("random-forest-regressor", "tree-ensemble", "RandomForestRegressor, 15 trees depth 6",
           to_onnx(model, initial_types=float_input("features", 8)), reference_rows(x, missing=False))


def boosting_models() -> None:
    x, y = classification_data(8, 3, SEED + 9)
    model = GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=SEED).fit(x[100:], y[100:])
    export("gradient-boosting-classifier", "tree-ensemble",
           "GradientBoostingClassifier, 20 rounds x 3 classes depth 3; zipmap=False",
           to_onnx(model, initial_types=float_input("features", 8), options={"zipmap": False}),
           reference_rows(x, missing=False))

    x, y = classification_data(8, 2, SEED + 10)
    x = with_missing(x, 0.1, SEED + 10)
    model = HistGradientBoostingClassifier(max_iter=25, max_leaf_nodes=15, random_state=SEED).fit(x[100:], y[100:])
    export("hist-gradient-boosting-classifier", "tree-ensemble",
           "HistGradientBoostingClassifier, 25 rounds, trained with NaN; zipmap=False",
           to_onnx(model, initial_types=float_input("features", 8), options={"zipmap": False}),
           reference_rows(x, missing=True))

    x, y = regression_data(8, SEED + 11)
    x = with_missing(x, 0.1, SEED + 11)
    model = HistGradientBoostingRegressor(max_iter=25, max_leaf_nodes=15, random_state=SEED).fit(x[100:], y[100:])
    export("hist-gradient-boosting-regressor", "tree-ensemble",
           "HistGradientBoostingRegressor, 25 rounds, trained with NaN",
           to_onnx(model, initial_types=float_input("features", 8)), reference_rows(x, missing=True))


# ---------------------------------------------------------------------------------------------
# XGBoost and LightGBM (onnxmltools)


def ml_input(width: int) -> list:
    return [("features", MLFloatTensorType([None, width]))]


def xgboost_models() -> None:
    params = dict(n_estimators=20, max_depth=4, learning_rate=0.3, n_jobs=1, random_state=SEED, tree_method="hist")
    x, y = classification_data(8, 2, SEED + 13)
    x = with_missing(x, 0.05, SEED + 13)
    model = xgboost.XGBClassifier(**params).fit(x[100:], y[100:])
    export("xgboost-binary", "tree-ensemble", "XGBClassifier binary:logistic, 20 rounds depth 4, trained with NaN",
           convert_xgboost(model, initial_types=ml_input(8)), reference_rows(x, missing=True))

    x, y = classification_data(8, 3, SEED + 14)
    model = xgboost.XGBClassifier(**params).fit(x[100:], y[100:])
    export("xgboost-multiclass", "tree-ensemble", "XGBClassifier multi:softprob, 3 classes, 20 rounds depth 4",
           convert_xgboost(model, initial_types=ml_input(8)), reference_rows(x, missing=True))

    x, y = regression_data(8, SEED + 15)
    model = xgboost.XGBRegressor(**params).fit(x[100:], y[100:])
    export("xgboost-regressor", "tree-ensemble", "XGBRegressor reg:squarederror, 20 rounds depth 4",
           convert_xgboost(model, initial_types=ml_input(8)), reference_rows(x, missing=True))


def lightgbm_models() -> None:
    params = dict(n_estimators=20, num_leaves=15, learning_rate=0.2, n_jobs=1, random_state=SEED,
                  deterministic=True, verbose=-1)
    x, y = classification_data(8, 3, SEED + 16)
    x = with_missing(x, 0.05, SEED + 16)
    model = lightgbm.LGBMClassifier(**params).fit(x[100:], y[100:])
    export("lightgbm-classifier", "tree-ensemble",
           "LGBMClassifier multiclass, 3 classes, 20 rounds, trained with NaN; default ZipMap (int keys)",
           convert_lightgbm(model, initial_types=ml_input(8)), reference_rows(x, missing=True))

    x, y = regression_data(8, SEED + 17)
    model = lightgbm.LGBMRegressor(**params).fit(x[100:], y[100:])
    export("lightgbm-regressor", "tree-ensemble", "LGBMRegressor, 20 rounds",
           convert_lightgbm(model, initial_types=ml_input(8)), reference_rows(x, missing=True))


# ---------------------------------------------------------------------------------------------
# PyTorch-style graphs (built with onnx.helper the way torch.onnx.export writes them)


def initializer(name: str, array: np.ndarray) -> TensorProto:
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32 if array.dtype.kind == "f" else array.dtype),
                                   name)


def torch_style_model(graph: onnx.GraphProto, opset: int) -> onnx.ModelProto:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="pytorch", producer_version="2.9.0")
    model.ir_version = 8 if opset <= 18 else 9
    return model


def torch_mlp() -> None:
    """A classifier head as torch 2.x exports it at opset 17: GELU decomposed into Erf, BatchNorm1d,
    LayerNorm, Dropout left in (eval mode), Linear as Gemm (transB=1) and as MatMul+Add."""
    rng = np.random.default_rng(SEED + 20)
    width, hidden, out = 12, 32, 16
    w = lambda rows, cols: (rng.standard_normal((rows, cols)) / math.sqrt(cols)).astype(np.float32)
    inits = [
        initializer("fc1.weight", w(hidden, width)),
        initializer("fc1.bias", rng.standard_normal(hidden) * 0.1),
        initializer("bn.weight", 1 + rng.standard_normal(hidden) * 0.1),
        initializer("bn.bias", rng.standard_normal(hidden) * 0.1),
        initializer("bn.running_mean", rng.standard_normal(hidden) * 0.2),
        initializer("bn.running_var", 0.5 + rng.random(hidden)),
        initializer("fc2.weight_t", w(hidden, out).reshape(hidden, out)),
        initializer("fc2.bias", rng.standard_normal(out) * 0.1),
        initializer("ln.weight", 1 + rng.standard_normal(out) * 0.1),
        initializer("ln.bias", rng.standard_normal(out) * 0.1),
        initializer("fc3.weight", w(3, out)),
        initializer("fc3.bias", rng.standard_normal(3) * 0.1),
        numpy_helper.from_array(np.array([-1, out], dtype=np.int64), "reshape.shape"),
        numpy_helper.from_array(np.array(1.4142135381698608, dtype=np.float32), "gelu.sqrt2"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "gelu.one"),
        numpy_helper.from_array(np.array(0.5, dtype=np.float32), "gelu.half"),
    ]
    nodes = [
        helper.make_node("Flatten", ["input"], ["flat"], name="/Flatten", axis=1),
        helper.make_node("Gemm", ["flat", "fc1.weight", "fc1.bias"], ["fc1"], name="/fc1/Gemm",
                         alpha=1.0, beta=1.0, transB=1),
        helper.make_node("BatchNormalization", ["fc1", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"],
                         ["bn"], name="/bn/BatchNormalization", epsilon=1e-5, momentum=0.9),
        helper.make_node("Relu", ["bn"], ["relu"], name="/Relu"),
        helper.make_node("Dropout", ["relu"], ["drop"], name="/dropout/Dropout"),
        helper.make_node("MatMul", ["drop", "fc2.weight_t"], ["fc2.mm"], name="/fc2/MatMul"),
        helper.make_node("Add", ["fc2.mm", "fc2.bias"], ["fc2"], name="/fc2/Add"),
        helper.make_node("LayerNormalization", ["fc2", "ln.weight", "ln.bias"], ["ln"],
                         name="/ln/LayerNormalization", axis=-1, epsilon=1e-5),
        helper.make_node("Div", ["ln", "gelu.sqrt2"], ["gelu.div"], name="/gelu/Div"),
        helper.make_node("Erf", ["gelu.div"], ["gelu.erf"], name="/gelu/Erf"),
        helper.make_node("Add", ["gelu.erf", "gelu.one"], ["gelu.add"], name="/gelu/Add"),
        helper.make_node("Mul", ["ln", "gelu.add"], ["gelu.mul"], name="/gelu/Mul"),
        helper.make_node("Mul", ["gelu.mul", "gelu.half"], ["gelu"], name="/gelu/Mul_1"),
        helper.make_node("Reshape", ["gelu", "reshape.shape"], ["reshaped"], name="/Reshape"),
        helper.make_node("Gemm", ["reshaped", "fc3.weight", "fc3.bias"], ["logits"], name="/fc3/Gemm",
                         alpha=1.0, beta=1.0, transB=1),
        helper.make_node("Softmax", ["logits"], ["output"], name="/Softmax", axis=1),
    ]
    graph = helper.make_graph(
        nodes, "main_graph",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", width])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 3])],
        inits,
    )
    x = rng.standard_normal((REFERENCE_ROWS, width)).astype(np.float32)
    export("torch-mlp", "mlp",
           "torch-style classifier, opset 17: Flatten, Gemm, BatchNormalization, Relu, Dropout, MatMul+Add, "
           "LayerNormalization, GELU as Erf, Reshape, Softmax",
           torch_style_model(graph, 17), reference_rows(x, missing=False))


def torch_mlp_gelu() -> None:
    """A regressor/scorer as newer torch exporters write it at opset 20, with the fused Gelu op."""
    rng = np.random.default_rng(SEED + 21)
    width, hidden = 10, 24
    inits = [
        initializer("fc1.weight_t", (rng.standard_normal((width, hidden)) / math.sqrt(width))),
        initializer("fc1.bias", rng.standard_normal(hidden) * 0.1),
        initializer("fc2.weight", rng.standard_normal((1, hidden)) / math.sqrt(hidden)),
        initializer("fc2.bias", rng.standard_normal(1) * 0.1),
    ]
    nodes = [
        helper.make_node("MatMul", ["input", "fc1.weight_t"], ["fc1.mm"], name="/fc1/MatMul"),
        helper.make_node("Add", ["fc1.mm", "fc1.bias"], ["fc1"], name="/fc1/Add"),
        helper.make_node("Gelu", ["fc1"], ["gelu"], name="/Gelu", approximate="none"),
        helper.make_node("Gemm", ["gelu", "fc2.weight", "fc2.bias"], ["logit"], name="/fc2/Gemm", transB=1),
        helper.make_node("Sigmoid", ["logit"], ["output"], name="/Sigmoid"),
    ]
    graph = helper.make_graph(
        nodes, "main_graph",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", width])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 1])],
        inits,
    )
    x = rng.standard_normal((REFERENCE_ROWS, width)).astype(np.float32)
    export("torch-mlp-gelu", "mlp", "torch-style scorer, opset 20: MatMul+Add, Gelu, Gemm, Sigmoid",
           torch_style_model(graph, 20), reference_rows(x, missing=False))


# ---------------------------------------------------------------------------------------------
# The fraud model of the streaming demo

FRAUD_FEATURES = ["amount"] + [f"features[{i}]" for i in range(16)] + ["merchant_risk", "hour", "account_age_days"]


def fraud_events(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic card transactions in FRAUD_FEATURES order, and whether each is fraud (~3%).

    The demo's event generator draws from the same distributions (see Models/README.md)."""
    amount = rng.lognormal(mean=3.5, sigma=1.2, size=count)
    vector = rng.standard_normal((count, 16))
    merchant_risk = rng.beta(2, 5, size=count)
    hour = rng.integers(0, 24, size=count).astype(np.float64)
    account_age_days = rng.exponential(700, size=count).round()
    night = (hour < 6).astype(np.float64)
    score = (0.9 * np.log1p(amount) + 4.0 * merchant_risk + 1.2 * night - 0.002 * account_age_days
             + 0.8 * vector[:, 0] - 0.6 * vector[:, 3] + 0.5 * vector[:, 7] * vector[:, 8] - 8.4)
    fraud = rng.random(count) < 1 / (1 + np.exp(-score))
    x = np.column_stack([amount, vector, merchant_risk, hour, account_age_days]).astype(np.float32)
    return x, fraud.astype(np.int64)


def fraud_mlp() -> None:
    """fraud-mlp.onnx: standardization, then a (32, 16) ReLU MLP trained by scikit-learn, written as
    torch.onnx.export writes an nn.Sequential(Linear, ReLU, Linear, ReLU, Linear, Sigmoid)."""
    rng = np.random.default_rng(SEED + 30)
    x, y = fraud_events(20000, rng)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    mlp = MLPClassifier(hidden_layer_sizes=(32, 16), max_iter=300, early_stopping=True,
                        random_state=SEED).fit((x - mean) / std, y)
    width = len(FRAUD_FEATURES)
    inits = [
        initializer("scaler.mean", mean),
        initializer("scaler.std", std),
    ]
    nodes = [
        helper.make_node("Sub", ["features", "scaler.mean"], ["centered"], name="/scaler/Sub"),
        helper.make_node("Div", ["centered", "scaler.std"], ["scaled"], name="/scaler/Div"),
    ]
    previous = "scaled"
    for index, (weight, bias) in enumerate(zip(mlp.coefs_, mlp.intercepts_)):
        layer = f"net.{2 * index}"
        inits += [initializer(f"{layer}.weight", weight.T), initializer(f"{layer}.bias", bias)]
        nodes.append(helper.make_node("Gemm", [previous, f"{layer}.weight", f"{layer}.bias"], [f"{layer}.out"],
                                      name=f"/{layer}/Gemm", alpha=1.0, beta=1.0, transB=1))
        previous = f"{layer}.out"
        if index < len(mlp.coefs_) - 1:
            nodes.append(helper.make_node("Relu", [previous], [f"relu{index}"], name=f"/net.{2 * index + 1}/Relu"))
            previous = f"relu{index}"
    nodes.append(helper.make_node("Sigmoid", [previous], ["fraud_probability"], name="/Sigmoid"))
    graph = helper.make_graph(
        nodes, "fraud_mlp",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", width])],
        [helper.make_tensor_value_info("fraud_probability", TensorProto.FLOAT, ["batch", 1])],
        inits,
    )
    graph.doc_string = "Inputs in order: " + ", ".join(FRAUD_FEATURES)
    model = torch_style_model(graph, 17)
    helper.set_model_props(model, {"features": ",".join(FRAUD_FEATURES)})

    test, _ = fraud_events(REFERENCE_ROWS, np.random.default_rng(SEED + 31))
    edge_vector = np.zeros(16)
    edges = [
        np.concatenate([[0.0], edge_vector, [0.0, 0.0, 0.0]]),
        np.concatenate([[25000.0], edge_vector + 3, [1.0, 3.0, 0.0]]),
        np.concatenate([[0.01], edge_vector - 3, [0.0, 23.0, 3650.0]]),
    ]
    export("fraud-mlp", "mlp", "fraud-style scorer: 20 features, Sub/Div scaler, Gemm+Relu (32, 16), Sigmoid",
           model, reference_rows(test, missing=False, edges=edges))


def main() -> None:
    np.random.seed(SEED)
    sklearn_models()
    xgboost_models()
    lightgbm_models()
    torch_mlp()
    torch_mlp_gelu()
    fraud_mlp()
    multi_input_models.column_transformer_models(export)
    multi_input_models.torch_two_input_model(export, torch_style_model, initializer)
    write_census()


if __name__ == "__main__":
    main()
