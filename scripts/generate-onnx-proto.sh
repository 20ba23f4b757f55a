#!/usr/bin/env bash
# Regenerates Sources/SluiceModel/Proto/onnx.pb.swift from onnx.proto with protoc and a
# protoc-gen-swift built from the same swift-protobuf release the package resolves.
set -euo pipefail

SWIFT_PROTOBUF_VERSION="${SWIFT_PROTOBUF_VERSION:-1.39.0}"
SWIFT_PROTOBUF_URL="${SWIFT_PROTOBUF_URL:-https://github.com/apple/swift-protobuf.git}"
PLUGIN_DIR="${PLUGIN_DIR:-${TMPDIR:-/tmp}/swift-protobuf-$SWIFT_PROTOBUF_VERSION}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROTO_DIR="$ROOT/Sources/SluiceModel/Proto"

if [ ! -x "$PLUGIN_DIR/.build/release/protoc-gen-swift" ]; then
    rm -rf "$PLUGIN_DIR"
    git clone -q --depth 1 --branch "$SWIFT_PROTOBUF_VERSION" "$SWIFT_PROTOBUF_URL" "$PLUGIN_DIR"
    (cd "$PLUGIN_DIR" && swift build -c release --product protoc-gen-swift)
fi

protoc \
    --plugin=protoc-gen-swift="$PLUGIN_DIR/.build/release/protoc-gen-swift" \
    --swift_opt=Visibility=Internal \
    --swift_out="$PROTO_DIR" \
    --proto_path="$PROTO_DIR" \
    "$PROTO_DIR/onnx.proto"
