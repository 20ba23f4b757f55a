"""Writes the ONNX backend node tests (model.onnx + test_data_set_*/{input,output}_*.pb) to a folder.

The onnx wheel no longer ships onnx/backend/test/data/node, but it ships the Python cases that
generate it; this runs ONNX's own generator (onnx.backend.test.cmd_tools) over the node cases.
Usage: python scripts/generate-onnx-node-tests.py OUTPUT_DIR  (writes OUTPUT_DIR/node/<test>/...)
"""

import argparse
import sys

import onnx.backend.test.case.node as node_cases
import onnx.backend.test.cmd_tools as cmd_tools

cmd_tools.model_test.collect_testcases = node_cases.collect_testcases
cmd_tools.generate_data(argparse.Namespace(output=sys.argv[1]))
