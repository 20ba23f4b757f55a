"""Writes Tests/SluiceModelTests/ML/TreeEnsembleReferenceCases.swift: random tree-ensemble nodes covering every node mode,
missing-value tracking, aggregate function, post-transform, base-value count, label type and the
binary-classifier special cases, with the outputs onnxruntime computes for them.

Run with the tooling venv (onnx, onnxruntime, numpy):  python Tests/Generators/make_tree_cases.py
"""
import math
import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

MODES = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"]
rng = np.random.default_rng(20261123)
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SluiceModelTests", "ML", "TreeEnsembleReferenceCases.swift")


def random_tree(depth, n_features, modes, missing, pool, member=False):
    """A nested tree: ('leaf',) or (mode, feature, threshold, tracks, true, false[, members])."""
    if depth == 0 or (depth < 3 and rng.random() < 0.25):
        return ("leaf",)
    feature = int(rng.integers(n_features))
    mode = str(rng.choice(modes))
    threshold = float(rng.choice(pool[feature]))
    tracks = int(rng.random() < missing)
    true = random_tree(depth - 1, n_features, modes, missing, pool, member)
    false = random_tree(depth - 1, n_features, modes, missing, pool, member)
    if member and mode == "BRANCH_MEMBER":
        members = sorted({float(v) for v in rng.choice(pool[feature], size=int(rng.integers(1, 4)))})
        return (mode, feature, threshold, tracks, true, false, members)
    return (mode, feature, threshold, tracks, true, false)


def flatten_v3(trees, votes_for_leaf, shuffle):
    """nodes_* and votes in the opset 1-3 layout; node ids optionally shuffled within a tree."""
    nodes = {k: [] for k in ["treeids", "nodeids", "featureids", "modes", "values", "truenodeids",
                             "falsenodeids", "missing"]}
    votes = {k: [] for k in ["treeids", "nodeids", "ids", "weights"]}
    for tree_id, tree in enumerate(trees):
        flat = []

        def visit(node):
            index = len(flat)
            flat.append(None)
            if node[0] == "leaf":
                flat[index] = (node, None, None)
            else:
                t = visit(node[4])
                f = visit(node[5])
                flat[index] = (node, t, f)
            return index
        visit(tree)
        ids = list(range(len(flat)))
        if shuffle:
            rng.shuffle(ids)
        for index, (node, t, f) in enumerate(flat):
            nodes["treeids"].append(tree_id)
            nodes["nodeids"].append(ids[index])
            if node[0] == "leaf":
                nodes["featureids"].append(0); nodes["modes"].append("LEAF"); nodes["values"].append(0.0)
                nodes["truenodeids"].append(0); nodes["falsenodeids"].append(0); nodes["missing"].append(0)
                for target, weight in votes_for_leaf():
                    votes["treeids"].append(tree_id); votes["nodeids"].append(ids[index])
                    votes["ids"].append(target); votes["weights"].append(weight)
            else:
                nodes["featureids"].append(node[1]); nodes["modes"].append(node[0]); nodes["values"].append(node[2])
                nodes["truenodeids"].append(ids[t]); nodes["falsenodeids"].append(ids[f]); nodes["missing"].append(node[3])
    return nodes, votes


def rows(pool, n_rows, nan):
    x = np.empty((n_rows, len(pool)), dtype=np.float64)
    for r in range(n_rows):
        for f in range(len(pool)):
            u = rng.random()
            if u < nan:
                x[r, f] = np.nan
            elif u < 0.55:
                x[r, f] = rng.choice(pool[f])
            else:
                x[r, f] = rng.normal()
    return x


def pools(n_features, dtype):
    return [np.round(rng.normal(size=4), 2).astype(dtype) for _ in range(n_features)]


def run(node, x, outputs, opset, xtype):
    graph = helper.make_graph(
        [node], "case", [helper.make_tensor_value_info("X", xtype, [None, x.shape[1]])],
        [helper.make_tensor_value_info(name, t, None) for name, t in outputs])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19), helper.make_opsetid("ai.onnx.ml", opset)])
    model.ir_version = 10
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return session.run(None, {"X": x})


def swift_real(v, double=False):
    v = float(v)
    if math.isnan(v):
        return ".nan"
    if math.isinf(v):
        return ".infinity" if v > 0 else "-.infinity"
    return repr(v) if double else repr(float(np.float32(v)))


def swift_attribute(value):
    if isinstance(value, str):
        return f'.string("{value}")'
    if isinstance(value, bool) or isinstance(value, (int, np.integer)):
        return f".int({int(value)})"
    if isinstance(value, float):
        return f".float({swift_real(value)})"
    if isinstance(value, np.ndarray):
        if value.dtype == np.float64:
            return f".tensor(Tensor(shape: [{len(value)}], doubles: [{', '.join(swift_real(v, True) for v in value)}]))"
        if value.dtype == np.float32:
            return f".tensor(Tensor(shape: [{len(value)}], floats: [{', '.join(swift_real(v) for v in value)}]))"
        return f".tensor(Tensor(shape: [{len(value)}], int64s: [{', '.join(str(int(v)) for v in value)}]))"
    if all(isinstance(v, str) for v in value):
        return ".strings([" + ", ".join(f'"{v}"' for v in value) + "])"
    if all(isinstance(v, (int, np.integer)) for v in value):
        return ".ints([" + ", ".join(str(int(v)) for v in value) + "])"
    return ".floats([" + ", ".join(swift_real(v) for v in value) + "])"


def swift_tensor(array):
    shape = list(array.shape)
    if array.dtype == np.float32:
        return f"Tensor(shape: {shape}, floats: [{', '.join(swift_real(v) for v in array.ravel())}])"
    if array.dtype == np.float64:
        return f"Tensor(shape: {shape}, doubles: [{', '.join(swift_real(v, True) for v in array.ravel())}])"
    if array.dtype == np.int64:
        return f"Tensor(shape: {shape}, int64s: [{', '.join(str(int(v)) for v in array.ravel())}])"
    return f"Tensor(shape: {shape}, strings: [{', '.join(chr(34) + str(v) + chr(34) for v in array.ravel())}])"


cases = []


def add(name, op_type, opset, attributes, x, xtype, outputs, reference_attributes=None):
    node = helper.make_node(op_type, ["X"], [o for o, _ in outputs], domain="ai.onnx.ml",
                            **(reference_attributes or attributes))
    try:
        expected = run(node, x, outputs, opset, xtype)
    except Exception as error:  # noqa: BLE001
        print(f"skipped {name}: {str(error)[-160:]}", file=sys.stderr)
        return
    cases.append((name, op_type, opset, attributes, x, expected))


def legacy_attributes(prefix, nodes, votes, as_tensor):
    a = {
        "nodes_treeids": nodes["treeids"], "nodes_nodeids": nodes["nodeids"], "nodes_featureids": nodes["featureids"],
        "nodes_modes": nodes["modes"], "nodes_truenodeids": nodes["truenodeids"],
        "nodes_falsenodeids": nodes["falsenodeids"], "nodes_missing_value_tracks_true": nodes["missing"],
        f"{prefix}_treeids": votes["treeids"], f"{prefix}_nodeids": votes["nodeids"], f"{prefix}_ids": votes["ids"],
    }
    if as_tensor:
        a["nodes_values_as_tensor"] = numpy_helper.from_array(np.array(nodes["values"], dtype=np.float64), "v")
        a[f"{prefix}_weights_as_tensor"] = numpy_helper.from_array(np.array(votes["weights"], dtype=np.float64), "w")
    else:
        a["nodes_values"] = [float(v) for v in nodes["values"]]
        a[f"{prefix}_weights"] = [float(w) for w in votes["weights"]]
    return a


def regressor_cases():
    for index, (aggregate, transform, targets, base, modes, missing, as_tensor) in enumerate([
        ("SUM", "NONE", 1, 0, ["BRANCH_LEQ"], 0.0, False),
        ("SUM", "NONE", 1, 1, ["BRANCH_LT"], 0.4, False),
        ("AVERAGE", "NONE", 1, 1, MODES, 0.3, False),
        ("MIN", "NONE", 1, 0, MODES, 0.3, False),
        ("MAX", "NONE", 1, 1, MODES, 0.3, False),
        ("SUM", "PROBIT", 1, 0, ["BRANCH_GTE"], 0.0, False),
        ("SUM", "LOGISTIC", 1, 1, ["BRANCH_GT"], 0.0, False),
        ("SUM", "NONE", 3, 3, MODES, 0.3, False),
        ("AVERAGE", "SOFTMAX", 3, 3, MODES, 0.3, False),
        ("MIN", "LOGISTIC", 3, 0, ["BRANCH_EQ", "BRANCH_NEQ"], 0.5, False),
        ("MAX", "SOFTMAX_ZERO", 3, 3, MODES, 0.2, False),
        ("SUM", "PROBIT", 2, 2, MODES, 0.2, False),
        ("SUM", "NONE", 2, 1, MODES, 0.2, False),
        ("AVERAGE", "NONE", 2, 2, MODES, 0.3, True),
        ("SUM", "NONE", 1, 1, MODES, 0.3, True),
    ]):
        n_features = 4
        double = as_tensor
        pool = pools(n_features, np.float64 if double else np.float32)
        trees = [random_tree(3, n_features, modes, missing, pool) for _ in range(4)]
        sparse = aggregate in ("MIN", "MAX") or transform == "NONE"

        def votes():
            chosen = range(targets) if not sparse or rng.random() < 0.5 else [int(rng.integers(targets))]
            return [(t, float(np.round(rng.normal(), 3))) for t in chosen]
        nodes, vote_lists = flatten_v3(trees, votes, shuffle=index % 2 == 1)
        a = legacy_attributes("target", nodes, vote_lists, as_tensor)
        a.update(n_targets=targets, aggregate_function=aggregate, post_transform=transform)
        if base:
            values = [float(np.round(rng.normal(), 3)) for _ in range(base)]
            if as_tensor:
                a["base_values_as_tensor"] = numpy_helper.from_array(np.array(values, dtype=np.float64), "b")
            else:
                a["base_values"] = values
        x = rows(pool, 10, 0.15).astype(np.float64 if double else np.float32)
        add(f"regressor {aggregate} {transform} targets={targets} base={base} modes={len(modes)}"
            + (" double" if double else ""), "TreeEnsembleRegressor", 3 if as_tensor else 1, a, x,
            TensorProto.DOUBLE if double else TensorProto.FLOAT, [("Y", TensorProto.FLOAT)])


def classifier_cases():
    specs = [
        # (classes, label kind, transform, base count, vote style, modes, double)
        (3, "int", "NONE", 0, "all", MODES, False),
        (3, "string", "SOFTMAX", 3, "all", ["BRANCH_LEQ"], False),
        (4, "int", "LOGISTIC", 0, "sparse", MODES, False),
        (3, "int", "SOFTMAX_ZERO", 0, "sparse", MODES, False),
        (3, "string", "PROBIT", 3, "all", MODES, False),
        (3, "int", "SOFTMAX", 2, "sparse", MODES, False),
        (3, "int", "SOFTMAX", 3, "all", MODES, True),
        (2, "int", "NONE", 0, "class0-positive", ["BRANCH_LEQ"], False),
        (2, "string", "NONE", 0, "class0-positive", MODES, False),
        (2, "int", "LOGISTIC", 0, "class0-mixed", ["BRANCH_LT"], False),
        (2, "int", "LOGISTIC", 1, "class0-mixed", MODES, False),
        (2, "int", "NONE", 1, "class0-mixed", MODES, False),
        (2, "int", "SOFTMAX", 0, "class0-mixed", MODES, False),
        (2, "int", "PROBIT", 0, "class0-positive", MODES, False),
        (2, "int", "LOGISTIC", 2, "class0-mixed", MODES, False),
        (2, "string", "LOGISTIC", 1, "class1-mixed", MODES, False),
        (2, "int", "NONE", 0, "both", MODES, False),
        (2, "int", "SOFTMAX", 2, "both", MODES, False),
        (2, "string", "LOGISTIC", 1, "both", MODES, False),
        (2, "int", "NONE", 0, "sparse", MODES, False),
        (2, "int", "LOGISTIC", 1, "class0-mixed", MODES, True),
    ]
    for index, (classes, kind, transform, base, style, modes, double) in enumerate(specs):
        n_features = 3
        pool = pools(n_features, np.float64 if double else np.float32)
        trees = [random_tree(3, n_features, modes, 0.3, pool) for _ in range(3)]

        def votes():
            if style == "all":
                return [(c, float(np.round(rng.random(), 3))) for c in range(classes)]
            if style == "sparse":
                chosen = sorted(set(int(c) for c in rng.integers(classes, size=2)))
                return [(c, float(np.round(rng.normal(), 3))) for c in chosen]
            if style == "both":
                return [(c, float(np.round(rng.random(), 3))) for c in range(2)]
            target = 1 if style.startswith("class1") else 0
            weight = rng.random() * 0.45 if style.endswith("positive") else rng.normal()
            return [(target, float(np.round(weight, 3)))]
        nodes, vote_lists = flatten_v3(trees, votes, shuffle=index % 2 == 0)
        a = legacy_attributes("class", nodes, vote_lists, double)
        a["post_transform"] = transform
        if kind == "int":
            a["classlabels_int64s"] = [0, 1] if classes == 2 else [int(v) for v in 10 * np.arange(classes) + 3]
        else:
            a["classlabels_strings"] = [f"class-{c}" for c in range(classes)]
        if base:
            values = [float(np.round(rng.normal() * 0.5, 3)) for _ in range(base)]
            if double:
                a["base_values_as_tensor"] = numpy_helper.from_array(np.array(values, dtype=np.float64), "b")
            else:
                a["base_values"] = values
        x = rows(pool, 10, 0.15).astype(np.float64 if double else np.float32)
        label_type = TensorProto.INT64 if kind == "int" else TensorProto.STRING
        add(f"classifier classes={classes} {kind} {transform} base={base} {style}" + (" double" if double else ""),
            "TreeEnsembleClassifier", 3 if double else 1, a, x, TensorProto.DOUBLE if double else TensorProto.FLOAT,
            [("Y", label_type), ("Z", TensorProto.FLOAT)])


def v5_cases():
    specs = [
        (1, "SUM", 0, MODES + ["BRANCH_MEMBER"], False),
        (2, "AVERAGE", 1, MODES + ["BRANCH_MEMBER"], False),
        (2, "MIN", 0, ["BRANCH_MEMBER", "BRANCH_LEQ"], False),
        (3, "MAX", 3, MODES, False),
        (1, "SUM", 4, ["BRANCH_LEQ"], False),
        (2, "SUM", 2, MODES + ["BRANCH_MEMBER"], True),
        (1, "AVERAGE", 0, MODES + ["BRANCH_MEMBER"], True),
    ]
    aggregates = {"AVERAGE": 0, "SUM": 1, "MIN": 2, "MAX": 3}
    mode_codes = {m: i for i, m in enumerate(MODES + ["BRANCH_MEMBER"])}
    for targets, aggregate, transform, modes, double in specs:
        dtype = np.float64 if double else np.float32
        n_features = 3
        pool = [np.concatenate([p, np.arange(6), [2.5, 63.0, 64.0, -1.0]]).astype(dtype) for p in pools(n_features, dtype)]
        trees = [random_tree(3, n_features, modes, 0.3, pool, member=True) for _ in range(4)]
        trees.append(("leaf",))
        nodes = {k: [] for k in ["featureids", "splits", "modes", "truenodeids", "falsenodeids", "trueleafs",
                                 "falseleafs", "missing"]}
        leaves = {"targetids": [], "weights": []}
        members = []
        roots = []

        def leaf():
            leaves["targetids"].append(int(rng.integers(targets)))
            leaves["weights"].append(float(np.round(rng.normal(), 3)))
            return len(leaves["weights"]) - 1

        def visit(node):
            index = len(nodes["featureids"])
            for k in nodes:
                nodes[k].append(0)
            nodes["featureids"][index] = node[1]
            nodes["splits"][index] = node[2]
            nodes["modes"][index] = mode_codes[node[0]]
            nodes["missing"][index] = node[3]
            if node[0] == "BRANCH_MEMBER":
                members.extend(node[6] + [float("nan")])
            for side, child in (("true", node[4]), ("false", node[5])):
                if child[0] == "leaf":
                    nodes[f"{side}nodeids"][index] = leaf()
                    nodes[f"{side}leafs"][index] = 1
                else:
                    nodes[f"{side}nodeids"][index] = visit(child)
            return index
        for tree in trees:
            if tree[0] == "leaf":
                # A one-leaf tree: onnxruntime reads the leaf at the root's own node index.
                index = len(nodes["featureids"])
                while len(leaves["weights"]) <= index:
                    leaf()
                for k in nodes:
                    nodes[k].append(0)
                nodes["trueleafs"][index] = nodes["falseleafs"][index] = 1
                nodes["truenodeids"][index] = nodes["falsenodeids"][index] = index
                roots.append(index)
            else:
                roots.append(visit(tree))
        # Member sets are listed in node order, so re-read them in that order.
        members = []
        for index, code in enumerate(nodes["modes"]):
            if code == 6:
                # onnxruntime implements membership only for small integers.
                members.extend(sorted({float(v) for v in rng.integers(0, 6, size=int(rng.integers(1, 4)))}) + [float("nan")])
        a = {
            "nodes_featureids": nodes["featureids"],
            "nodes_splits": numpy_helper.from_array(np.array(nodes["splits"], dtype=dtype), "s"),
            "nodes_modes": numpy_helper.from_array(np.array(nodes["modes"], dtype=np.uint8), "m"),
            "nodes_truenodeids": nodes["truenodeids"], "nodes_falsenodeids": nodes["falsenodeids"],
            "nodes_trueleafs": nodes["trueleafs"], "nodes_falseleafs": nodes["falseleafs"],
            "nodes_missing_value_tracks_true": nodes["missing"], "tree_roots": roots,
            "leaf_targetids": leaves["targetids"],
            "leaf_weights": numpy_helper.from_array(np.array(leaves["weights"], dtype=dtype), "l"),
            "n_targets": targets, "aggregate_function": aggregates[aggregate], "post_transform": transform,
        }
        if members:
            a["membership_values"] = numpy_helper.from_array(np.array(members, dtype=dtype), "mv")
        x = rows(pool, 10, 0.15).astype(dtype)
        # onnxruntime reads post_transform 1 as LOGISTIC and 2 as SOFTMAX, the reverse of the ONNX
        # specification (1 SOFTMAX, 2 LOGISTIC), which Sluice follows: ask it for the specified transform.
        reference_attributes = dict(a, post_transform={1: 2, 2: 1}.get(transform, transform))
        add(f"tree ensemble v5 targets={targets} {aggregate} transform={transform} modes={len(modes)}"
            + (" double" if double else ""), "TreeEnsemble", 5, a, x,
            TensorProto.DOUBLE if double else TensorProto.FLOAT,
            [("Y", TensorProto.DOUBLE if double else TensorProto.FLOAT)], reference_attributes=reference_attributes)




def swift_attribute_value(value):
    if isinstance(value, onnx.TensorProto):
        array = numpy_helper.to_array(value)
        if array.dtype == np.uint8:
            array = array.astype(np.int64)
        return swift_attribute(array)
    return swift_attribute(value)


def write_cases(path, variable, cases, generator):
    """Writes the cases as a Swift array of OperatorReferenceCase named `variable`."""
    with open(path, "w") as out:
        out.write(f"// Generated by Tests/Generators/{generator} with onnxruntime {onnxruntime.__version__}; do not edit.\n")
        out.write("import SluiceKernels\nimport SluiceModel\n\n")
        out.write(f"let {variable}: [OperatorReferenceCase] = [\n")
        for name, op_type, opset, attributes, inputs, expected in cases:
            if not isinstance(inputs, list):
                inputs = [inputs]
            out.write("    OperatorReferenceCase(\n")
            out.write(f'        name: "{name}", opType: "{op_type}", opset: {opset},\n')
            if attributes:
                out.write("        attributes: [\n")
                for key in sorted(attributes):
                    out.write(f'            "{key}": {swift_attribute_value(attributes[key])},\n')
                out.write("        ],\n")
            else:
                out.write("        attributes: [:],\n")
            out.write(f"        inputs: [{', '.join(swift_tensor(np.asarray(x)) for x in inputs)}],\n")
            out.write("        expected: [\n")
            for array in expected:
                out.write(f"            {swift_tensor(np.asarray(array))},\n")
            out.write("        ]\n    ),\n")
        out.write("]\n")
    print(f"{len(cases)} cases", file=sys.stderr)

if __name__ == "__main__":
    regressor_cases()
    classifier_cases()
    v5_cases()
    write_cases(OUTPUT, "treeEnsembleReferenceCases", cases, "make_tree_cases.py")
