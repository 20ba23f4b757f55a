"""Example models with several named inputs, for make_models.py: what a scikit-learn ColumnTransformer
exports (one input per column, numbers as float, categories as string) and a two-input torch network.

Each function trains (or builds) its models and hands them to make_models.export with a dict of
reference rows by input name."""

from __future__ import annotations

import numpy as np
import pandas as pd
from onnx import TensorProto, helper
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SEED = 20261206
NUMERIC = ["amount", "account_age_days"]
CATEGORICAL = ["country", "channel"]
COUNTRIES = ["FR", "DE", "US", "GB", "BR"]
CHANNELS = ["web", "store", "phone"]
REFERENCE_ROWS = 20


def transactions(count: int, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Transactions with two numbers and two categories; fraud is likelier for large phone amounts
    from BR and for young accounts."""
    frame = pd.DataFrame({
        "amount": rng.lognormal(3.5, 1.2, count).astype(np.float32),
        "account_age_days": rng.integers(0, 3650, count).astype(np.float32),
        "country": rng.choice(COUNTRIES, count),
        "channel": rng.choice(CHANNELS, count),
    })
    score = (0.01 * frame["amount"] - 0.002 * frame["account_age_days"] + 1.5 * (frame["country"] == "BR")
             + 1.0 * (frame["channel"] == "phone") + rng.normal(0, 1, count))
    return frame, np.where(score > 0.5, "fraud", "legit")


def initial_types() -> list:
    return ([(name, FloatTensorType([None, 1])) for name in NUMERIC]
            + [(name, StringTensorType([None, 1])) for name in CATEGORICAL])


def reference_inputs(frame: pd.DataFrame) -> dict:
    """Reference rows by input name, with an unseen category on the last row (one-hot all zeros)."""
    inputs = {name: frame[name].to_numpy(np.float32).reshape(-1, 1) for name in NUMERIC}
    inputs.update({name: frame[name].to_numpy(object).reshape(-1, 1) for name in CATEGORICAL})
    inputs["country"][-1, 0] = "XX"
    return inputs


def column_transformer_models(export) -> None:
    rng = np.random.default_rng(SEED)
    frame, labels = transactions(3000, rng)
    test, _ = transactions(REFERENCE_ROWS, np.random.default_rng(SEED + 1))
    for name, classifier, description in [
        ("column-transformer-logistic", LogisticRegression(max_iter=500),
         "ColumnTransformer: StandardScaler on 2 float inputs, OneHotEncoder on 2 string inputs; LogisticRegression; ZipMap"),
        ("column-transformer-boosting", GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=SEED),
         "ColumnTransformer: StandardScaler on 2 float inputs, OneHotEncoder on 2 string inputs; GradientBoosting (20 trees); ZipMap"),
    ]:
        pre = ColumnTransformer([
            ("numeric", StandardScaler(), NUMERIC),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ])
        model = Pipeline([("pre", pre), ("classify", classifier)]).fit(frame, labels)
        export(name, "pipeline", description, to_onnx(model, initial_types=initial_types()), reference_inputs(test))


def torch_two_input_model(export, torch_style_model, initializer) -> None:
    """A network with two float inputs, as torch.onnx.export writes a module whose forward takes
    (transaction, history): a Linear per input, Concat, ReLU, Linear, Sigmoid."""
    rng = np.random.default_rng(SEED + 2)
    widths = {"transaction": 6, "history": 4}
    inits = []
    nodes = []
    branches = []
    for name, width in widths.items():
        inits += [initializer(f"{name}_proj.weight", rng.normal(0, 0.5, (8, width)).astype(np.float32)),
                  initializer(f"{name}_proj.bias", rng.normal(0, 0.1, 8).astype(np.float32))]
        nodes.append(helper.make_node("Gemm", [name, f"{name}_proj.weight", f"{name}_proj.bias"], [f"{name}_hidden"],
                                      name=f"/{name}_proj/Gemm", alpha=1.0, beta=1.0, transB=1))
        branches.append(f"{name}_hidden")
    inits += [initializer("head.weight", rng.normal(0, 0.5, (1, 16)).astype(np.float32)),
              initializer("head.bias", np.array([0.1], dtype=np.float32))]
    nodes += [
        helper.make_node("Concat", branches, ["joined"], name="/Concat", axis=1),
        helper.make_node("Relu", ["joined"], ["activated"], name="/Relu"),
        helper.make_node("Gemm", ["activated", "head.weight", "head.bias"], ["logit"], name="/head/Gemm",
                         alpha=1.0, beta=1.0, transB=1),
        helper.make_node("Sigmoid", ["logit"], ["score"], name="/Sigmoid"),
    ]
    graph = helper.make_graph(
        nodes, "two_input_net",
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", width]) for name, width in widths.items()],
        [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["batch", 1])],
        inits,
    )
    test = np.random.default_rng(SEED + 3)
    inputs = {name: test.normal(0, 1, (REFERENCE_ROWS, width)).round(4).astype(np.float32) for name, width in widths.items()}
    export("torch-two-inputs", "mlp", "torch-style network with two float inputs: Gemm per input, Concat, Relu, Gemm, Sigmoid",
           torch_style_model(graph, 17), inputs)
