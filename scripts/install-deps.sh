#!/usr/bin/env bash
# Installs the system packages Sluice builds against, when they are missing: librdkafka's headers
# (Debian/Ubuntu package librdkafka-dev) and pkg-config, which SwiftPM uses to find them; and
# Python's jsonschema, with which the tests check emitted records against Topics/schemas.
set -euo pipefail

if ! python3 -c "import jsonschema" >/dev/null 2>&1; then
    echo "Installing Python's jsonschema …" >&2
    python3 -m pip install --quiet --disable-pip-version-check jsonschema
fi

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! pkg-config --exists rdkafka 2>/dev/null; then missing+=(librdkafka-dev); fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Sluice needs ${missing[*]}; install librdkafka's development files with your package manager." >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing ${missing[*]} …" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
