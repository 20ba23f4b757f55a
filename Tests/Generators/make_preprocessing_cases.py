"""Writes Tests/SluiceModelTests/ML/PreprocessingReferenceCases.swift: linear models and the
preprocessing operators of ai.onnx.ml, with the outputs onnxruntime computes for them.

Run with the tooling venv (onnx, onnxruntime, numpy):  python Tests/Generators/make_preprocessing_cases.py
"""
import os
import sys

import numpy as np
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_tree_cases import write_cases  # noqa: E402

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SluiceModelTests", "ML",
                      "PreprocessingReferenceCases.swift")
rng = np.random.default_rng(7)
TYPES = {np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.float64): TensorProto.DOUBLE,
         np.dtype(np.int64): TensorProto.INT64, np.dtype(np.int32): TensorProto.INT32}
cases = []


def onnx_type(array):
    return TYPES.get(array.dtype, TensorProto.STRING)


def add(name, op_type, opset, attributes, inputs, outputs):
    """outputs: ONNX element types of the node's outputs."""
    names = [f"X{i}" for i in range(len(inputs))]
    node = helper.make_node(op_type, names, [f"Y{i}" for i in range(len(outputs))], domain="ai.onnx.ml", **attributes)
    graph = helper.make_graph(
        [node], "case",
        [helper.make_tensor_value_info(n, onnx_type(x), list(x.shape)) for n, x in zip(names, inputs)],
        [helper.make_tensor_value_info(f"Y{i}", t, None) for i, t in enumerate(outputs)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19), helper.make_opsetid("ai.onnx.ml", opset)])
    model.ir_version = 10
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    try:
        session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        expected = session.run(None, dict(zip(names, inputs)))
    except Exception as error:  # noqa: BLE001
        print(f"skipped {name}: {str(error)[-200:]}", file=sys.stderr)
        return
    cases.append((name, op_type, opset, attributes, inputs, expected))


def features(rows, columns, nan=0.0):
    x = rng.normal(size=(rows, columns)).astype(np.float32)
    x[rng.random(size=x.shape) < nan] = np.nan
    return x


def reals(count):
    return [float(np.float32(v)) for v in np.round(rng.normal(size=count), 3)]


# LinearClassifier: multi-class, binary with two rows, binary with one row, labels int and string.
for classes, rows_of_coefficients, labels, transform in [
    (3, 3, "int", "SOFTMAX"), (3, 3, "string", "NONE"), (4, 4, "int", "LOGISTIC"), (3, 3, "int", "SOFTMAX_ZERO"),
    (3, 3, "int", "PROBIT"), (2, 2, "int", "LOGISTIC"), (2, 2, "string", "LOGISTIC"),
    (2, 1, "int", "LOGISTIC"), (2, 1, "string", "NONE"), (2, 1, "int", "NONE"), (2, 1, "int", "PROBIT"),
]:
    f = 5
    a = {"coefficients": reals(rows_of_coefficients * f), "intercepts": reals(rows_of_coefficients),
         "post_transform": transform, "multi_class": 0}
    if labels == "int":
        a["classlabels_ints"] = [int(v) for v in 2 * np.arange(classes) + 1]
        label_type = TensorProto.INT64
    else:
        a["classlabels_strings"] = [f"label-{c}" for c in range(classes)]
        label_type = TensorProto.STRING
    add(f"linear classifier {classes} labels {rows_of_coefficients} rows {labels} {transform}", "LinearClassifier", 1,
        a, [features(9, f)], [label_type, TensorProto.FLOAT])
add("linear classifier on int64 input", "LinearClassifier", 1,
    {"coefficients": reals(6), "intercepts": reals(2), "classlabels_ints": [0, 1], "post_transform": "LOGISTIC"},
    [rng.integers(-5, 5, size=(4, 3)).astype(np.int64)], [TensorProto.INT64, TensorProto.FLOAT])
add("linear classifier with 20 features (SIMD lanes and tail)", "LinearClassifier", 1,
    {"coefficients": reals(3 * 20), "intercepts": reals(3), "classlabels_ints": [0, 1, 2], "post_transform": "SOFTMAX"},
    [features(6, 20)], [TensorProto.INT64, TensorProto.FLOAT])

# LinearRegressor.
for targets, transform in [(1, "NONE"), (1, "PROBIT"), (1, "LOGISTIC"), (3, "NONE"), (3, "SOFTMAX"), (2, "LOGISTIC")]:
    add(f"linear regressor {targets} targets {transform}", "LinearRegressor", 1,
        {"coefficients": reals(targets * 11), "intercepts": reals(targets), "targets": targets,
         "post_transform": transform}, [features(7, 11)], [TensorProto.FLOAT])
add("linear regressor without intercepts", "LinearRegressor", 1, {"coefficients": reals(4)},
    [features(3, 4)], [TensorProto.FLOAT])

# Normalizer.
for norm in ["MAX", "L1", "L2"]:
    x = features(6, 4)
    x[1] = 0
    x[2] = -np.abs(x[2])
    add(f"normalizer {norm}", "Normalizer", 1, {"norm": norm}, [x], [TensorProto.FLOAT])
add("normalizer L2 of int64", "Normalizer", 1, {"norm": "L2"}, [rng.integers(-4, 4, size=(3, 3)).astype(np.int64)],
    [TensorProto.FLOAT])
add("normalizer L1 of one row", "Normalizer", 1, {"norm": "L1"}, [features(1, 5)[0]], [TensorProto.FLOAT])

# Scaler.
add("scaler per feature", "Scaler", 1, {"offset": reals(4), "scale": reals(4)}, [features(5, 4, nan=0.1)],
    [TensorProto.FLOAT])
add("scaler broadcast", "Scaler", 1, {"offset": reals(1), "scale": reals(1)}, [features(5, 3)], [TensorProto.FLOAT])
add("scaler of double", "Scaler", 1, {"offset": reals(3), "scale": reals(3)}, [features(2, 3).astype(np.float64)],
    [TensorProto.FLOAT])

# Imputer.
add("imputer of NaN", "Imputer", 1, {"imputed_value_floats": reals(4), "replaced_value_float": float("nan")},
    [features(6, 4, nan=0.3)], [TensorProto.FLOAT])
x = np.round(features(6, 4), 0)
add("imputer of a value", "Imputer", 1, {"imputed_value_floats": reals(1), "replaced_value_float": 0.0},
    [x], [TensorProto.FLOAT])
add("imputer of int64", "Imputer", 1, {"imputed_value_int64s": [7, 8, 9], "replaced_value_int64": -1},
    [rng.integers(-2, 2, size=(5, 3)).astype(np.int64)], [TensorProto.INT64])

# OneHotEncoder.
add("one-hot of int64", "OneHotEncoder", 1, {"cats_int64s": [1, 3, 5], "zeros": 1},
    [rng.integers(0, 6, size=(4, 2)).astype(np.int64)], [TensorProto.FLOAT])
add("one-hot of strings", "OneHotEncoder", 1, {"cats_strings": ["a", "b", "c"], "zeros": 1},
    [np.array([["a", "c"], ["z", "b"]], dtype=object)], [TensorProto.FLOAT])
add("one-hot of float", "OneHotEncoder", 1, {"cats_int64s": [0, 1, 2]},
    [np.array([[0.0, 1.7], [2.0, -0.5]], dtype=np.float32)], [TensorProto.FLOAT])
add("one-hot of known int64 with zeros=0", "OneHotEncoder", 1, {"cats_int64s": [4, 2], "zeros": 0},
    [np.array([[2], [4], [2]], dtype=np.int64)], [TensorProto.FLOAT])

# LabelEncoder, opsets 1, 2 and 4.
add("label encoder v1 strings to indices", "LabelEncoder", 1, {"classes_strings": ["x", "y", "z"], "default_int64": 42},
    [np.array(["y", "q", "x", "z"], dtype=object)], [TensorProto.INT64])
add("label encoder v1 indices to strings", "LabelEncoder", 1, {"classes_strings": ["x", "y", "z"], "default_string": "?"},
    [np.array([2, 0, 7, -1], dtype=np.int64)], [TensorProto.STRING])
add("label encoder v2 int64 to float", "LabelEncoder", 2, {"keys_int64s": [1, 5, 6], "values_floats": [1.0, 4.0, 2.5]},
    [np.array([[1], [6], [3], [5]], dtype=np.int64)], [TensorProto.FLOAT])
add("label encoder v2 string to int64 with default", "LabelEncoder", 2,
    {"keys_strings": ["a", "b"], "values_int64s": [10, 20], "default_int64": -7},
    [np.array(["b", "a", "c"], dtype=object)], [TensorProto.INT64])
add("label encoder v2 float to string", "LabelEncoder", 2,
    {"keys_floats": [0.5, -0.0, float("nan")], "values_strings": ["half", "zero", "missing"], "default_string": "other"},
    [np.array([0.5, 0.0, np.nan, 3.0], dtype=np.float32)], [TensorProto.STRING])
add("label encoder v4 float to string, NaN key",  "LabelEncoder", 4,
    {"keys_floats": [0.5, -0.0, float("nan")], "values_strings": ["half", "zero", "missing"], "default_string": "other"},
    [np.array([0.5, 0.0, np.nan, 3.0], dtype=np.float32)], [TensorProto.STRING])
add("linear classifier 2 labels 1 rows int SOFTMAX", "LinearClassifier", 1,
    {"coefficients": reals(3), "intercepts": reals(1), "classlabels_ints": [0, 1], "post_transform": "SOFTMAX"},
    [features(4, 3)], [TensorProto.INT64, TensorProto.FLOAT])
add("label encoder v2 float to float default", "LabelEncoder", 2,
    {"keys_floats": [1.0, 2.0], "values_floats": [10.0, 20.0]},
    [np.array([2.0, 9.0], dtype=np.float32)], [TensorProto.FLOAT])
add("label encoder v4 tensors int64 to double", "LabelEncoder", 4,
    {"keys_tensor": numpy_helper.from_array(np.array([3, 4], dtype=np.int64), "k"),
     "values_tensor": numpy_helper.from_array(np.array([0.25, 0.5], dtype=np.float64), "v"),
     "default_tensor": numpy_helper.from_array(np.array([-1.5], dtype=np.float64), "d")},
    [np.array([4, 3, 9], dtype=np.int64)], [TensorProto.DOUBLE])
add("label encoder v4 lists string to string", "LabelEncoder", 4,
    {"keys_strings": ["a"], "values_strings": ["A"]},
    [np.array(["a", "b"], dtype=object)], [TensorProto.STRING])

# ArrayFeatureExtractor.
add("array feature extractor of float rows", "ArrayFeatureExtractor", 1, {},
    [features(3, 5), np.array([4, 0, 2], dtype=np.int64)], [TensorProto.FLOAT])
add("array feature extractor of a vector", "ArrayFeatureExtractor", 1, {},
    [features(1, 5)[0], np.array([1], dtype=np.int64)], [TensorProto.FLOAT])
add("array feature extractor of int64", "ArrayFeatureExtractor", 1, {},
    [rng.integers(0, 9, size=(2, 4)).astype(np.int64), np.array([3, 3], dtype=np.int64)], [TensorProto.INT64])
add("array feature extractor of strings", "ArrayFeatureExtractor", 1, {},
    [np.array([["a", "b"], ["c", "d"]], dtype=object), np.array([1], dtype=np.int64)], [TensorProto.STRING])

# Binarizer.
x = features(4, 3)
x[0, 0] = 0.25
add("binarizer", "Binarizer", 1, {"threshold": 0.25}, [x], [TensorProto.FLOAT])

# FeatureVectorizer.
add("feature vectorizer pads and cuts", "FeatureVectorizer", 1, {"inputdimensions": [2, 4, 1]},
    [features(3, 3), features(3, 2), features(3, 1)],
    [TensorProto.FLOAT])

write_cases(OUTPUT, "preprocessingReferenceCases", cases, "make_preprocessing_cases.py")
