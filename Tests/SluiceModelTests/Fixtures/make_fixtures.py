"""Writes the small ONNX models the loader tests read. Run with onnx installed (onnx==1.23.2):

    python Tests/SluiceModelTests/Fixtures/make_fixtures.py
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(model, name):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(model.SerializeToString())


def model(nodes, inputs, outputs, initializers=(), opsets=(("", 17),), **metadata):
    graph = helper.make_graph(list(nodes), "fixture", list(inputs), list(outputs), list(initializers))
    result = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid(domain, version) for domain, version in opsets],
        producer_name="sluice-fixtures",
        producer_version="1",
    )
    result.ir_version = 8
    if metadata:
        helper.set_model_props(result, metadata)
    return result


def features(name="X", width=3):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", width])


# Y = Relu(X + bias) + (X + bias): a bias as raw little-endian bytes, a value read by two nodes.
bias = numpy_helper.from_array(np.array([0.5, -1.0, 2.0], dtype=np.float32), "bias")
save(
    model(
        [
            helper.make_node("Add", ["X", "bias"], ["shifted"], name="shift"),
            helper.make_node("Relu", ["shifted"], ["rectified"], name="rectify"),
            helper.make_node("Add", ["rectified", "shifted"], ["Y"], name="combine"),
        ],
        [features()],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 3])],
        [bias],
        name="add-relu",
        version="3",
    ),
    "add-relu.onnx",
)

# The same graph with nodes listed out of order and the bias in float_data, not raw_data.
typed_bias = helper.make_tensor("bias", TensorProto.FLOAT, [3], [0.5, -1.0, 2.0])
save(
    model(
        [
            helper.make_node("Add", ["rectified", "shifted"], ["Y"], name="combine"),
            helper.make_node("Relu", ["shifted"], ["rectified"], name="rectify"),
            helper.make_node("Add", ["X", "bias"], ["shifted"], name="shift"),
        ],
        [features()],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 3])],
        [typed_bias],
    ),
    "unsorted.onnx",
)

# A chain long enough that intermediate values must share buffers.
chain = [helper.make_node("Add", ["X", "bias"], ["v0"], name="step0")]
for i in range(1, 8):
    chain.append(helper.make_node("Relu" if i % 2 else "Add", [f"v{i-1}"] if i % 2 else [f"v{i-1}", "bias"], [f"v{i}"], name=f"step{i}"))
save(
    model(chain, [features()], [helper.make_tensor_value_info("v7", TensorProto.FLOAT, ["N", 3])], [bias]),
    "chain.onnx",
)

# Every kind of node Sluice must reject, in one model: an unknown operator, a foreign domain, a
# subgraph attribute, an operator at an opset outside Sluice's range is in opset-too-new.onnx.
body = helper.make_graph([], "body", [], [])
save(
    model(
        [
            helper.make_node("Add", ["X", "bias"], ["a"], name="fine"),
            helper.make_node("FrobnicateOp", ["a"], ["b"], name="mystery"),
            helper.make_node("FusedGemm", ["b"], ["c"], name="vendor", domain="com.microsoft"),
            helper.make_node("If", ["c"], ["Y"], name="branch", then_branch=body, else_branch=body),
        ],
        [features()],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 3])],
        [bias],
        opsets=(("", 17), ("com.microsoft", 1)),
    ),
    "unsupported.onnx",
)

save(
    model(
        [helper.make_node("Relu", ["X"], ["Y"], name="rectify")],
        [features()],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 3])],
        opsets=(("", 99),),
    ),
    "opset-too-new.onnx",
)

external = helper.make_tensor("bias", TensorProto.FLOAT, [3], [0.0, 0.0, 0.0])
external.ClearField("float_data")
external.data_location = TensorProto.EXTERNAL
entry = external.external_data.add()
entry.key, entry.value = "location", "weights.bin"
save(
    model(
        [helper.make_node("Add", ["X", "bias"], ["Y"], name="shift")],
        [features()],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 3])],
        [external],
    ),
    "external-data.onnx",
)

# Two values produced by the same name: an invalid graph.
save(
    model(
        [
            helper.make_node("Relu", ["X"], ["Y"], name="first"),
            helper.make_node("Relu", ["X"], ["Y"], name="second"),
        ],
        [features()],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 3])],
    ),
    "produced-twice.onnx",
)

# A node reading a value nothing produces.
save(
    model(
        [helper.make_node("Add", ["X", "nowhere"], ["Y"], name="dangling")],
        [features()],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 3])],
    ),
    "dangling-input.onnx",
)

# Class probabilities through ZipMap, as skl2onnx exports classifiers by default.
save(
    model(
        [helper.make_node("ZipMap", ["P"], ["Z"], name="zip", domain="ai.onnx.ml", classlabels_int64s=[4, 7])],
        [features("P", 2)],
        [
            helper.make_value_info(
                "Z",
                helper.make_sequence_type_proto(
                    helper.make_map_type_proto(TensorProto.INT64, helper.make_tensor_type_proto(TensorProto.FLOAT, []))
                ),
            )
        ],
        opsets=(("", 17), ("ai.onnx.ml", 1)),
    ),
    "zipmap.onnx",
)

# One tree: x0 <= 0.5 scores 1, else 2; a missing x0 follows the true branch, so NaN scores 1.
save(
    model(
        [
            helper.make_node(
                "TreeEnsembleRegressor",
                ["X"],
                ["Y"],
                name="tree",
                domain="ai.onnx.ml",
                n_targets=1,
                nodes_treeids=[0, 0, 0],
                nodes_nodeids=[0, 1, 2],
                nodes_featureids=[0, 0, 0],
                nodes_values=[0.5, 0.0, 0.0],
                nodes_modes=["BRANCH_LEQ", "LEAF", "LEAF"],
                nodes_truenodeids=[1, 0, 0],
                nodes_falsenodeids=[2, 0, 0],
                nodes_missing_value_tracks_true=[1, 0, 0],
                target_treeids=[0, 0],
                target_nodeids=[1, 2],
                target_ids=[0, 0],
                target_weights=[1.0, 2.0],
            )
        ],
        [features("X", 2)],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 1])],
        opsets=(("", 17), ("ai.onnx.ml", 3)),
    ),
    "tree-missing.onnx",
)
