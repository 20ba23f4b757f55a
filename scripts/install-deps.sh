#!/usr/bin/env bash
# Installs the system packages Sluice builds against, when they are missing: librdkafka's headers
# (Debian/Ubuntu package librdkafka-dev) and pkg-config, which SwiftPM uses to find them; and
# Python's venv module (python3-venv), with which the Makefile keeps the Python tools of the tests
# and deployment checks in the project's own .venv. Nothing is installed into the system Python:
# Debian 12 and Ubuntu 24.04 refuse that (PEP 668, "externally-managed-environment").
set -euo pipefail

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! pkg-config --exists rdkafka 2>/dev/null; then missing+=(librdkafka-dev); fi
if ! command -v python3 >/dev/null 2>&1; then
    missing+=(python3 python3-venv)
else
    # The module can be there without ensurepip (Debian splits it out), so try a real venv.
    probe=$(mktemp -d)
    if ! python3 -m venv "$probe/venv" >/dev/null 2>&1; then missing+=(python3-venv); fi
    rm -rf "$probe"
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: Sluice needs ${missing[*]}: install librdkafka's development files, pkg-config and Python 3 with its venv module with your package manager" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing ${missing[*]} …" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
