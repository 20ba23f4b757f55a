#!/usr/bin/env python3
"""Checks Sluice's deployment files without a Docker engine (`make check-deploy`):

1. Docker/Dockerfile passes hadolint.
2. Every Docker/compose*.yaml is valid against the Compose Specification's JSON Schema
   (Docker/schema/compose-spec.json, vendored from compose-spec/compose-spec).
3. Every file or directory Docker/Dockerfile copies from the build context exists, with the
   build arguments at their defaults, and every SwiftPM target lies in a directory the build
   stage copies.
4. Every Sluice configuration under Docker/config loads with Sluice's own loader
   (`sluice config check`, secrets replaced by placeholders: they exist only in containers).

Prints one line per check and exits 1 if any failed.
"""
import argparse
import glob
import json
import os
import re
import shlex
import subprocess
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCKERFILE = "Docker/Dockerfile"


def dockerfile_instructions(text):
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    logical, pending = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        logical.append(pending + stripped)
        pending = ""
    for line in logical:
        instruction, _, arguments = line.partition(" ")
        yield instruction.upper(), arguments.strip()


def copied_sources(text):
    """Per build stage, the context paths its COPY/ADD instructions read, ARGs at their defaults."""
    defaults, stages = {}, []
    for instruction, arguments in dockerfile_instructions(text):
        if instruction == "ARG":
            name, _, value = arguments.partition("=")
            defaults[name.strip()] = value.strip().strip('"')
        elif instruction == "FROM":
            stages.append([])
        elif instruction in ("COPY", "ADD") and stages:
            words = shlex.split(arguments)
            if any(word.startswith("--from=") for word in words):
                continue
            paths = [word for word in words if not word.startswith("--")]
            for source in paths[:-1]:
                stages[-1].append(re.sub(r"\$\{?(\w+)\}?", lambda match: defaults.get(match.group(1), match.group(0)), source))
    return stages


def check_hadolint(hadolint):
    result = subprocess.run([hadolint, DOCKERFILE], cwd=ROOT, capture_output=True, text=True)
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def check_compose_files():
    with open(os.path.join(ROOT, "Docker/schema/compose-spec.json")) as file:
        schema = json.load(file)
    failures = []
    files = sorted(glob.glob(os.path.join(ROOT, "Docker/compose*.yaml")))
    for path in files:
        with open(path) as file:
            document = yaml.safe_load(file)
        for error in jsonschema.Draft7Validator(schema).iter_errors(document):
            location = "/".join(str(part) for part in error.absolute_path) or "(top level)"
            failures.append(f"{os.path.relpath(path, ROOT)}: {location}: {error.message}")
    names = ", ".join(os.path.relpath(path, ROOT) for path in files)
    return not failures and bool(files), "\n".join(failures) or f"valid: {names}"


def check_copied_files(swift):
    with open(os.path.join(ROOT, DOCKERFILE)) as file:
        stages = copied_sources(file.read())
    missing = [source for stage in stages for source in stage if not os.path.exists(os.path.join(ROOT, source))]
    # The build stage is the first: each target's directory must be among what it copies.
    build_copies = {source.rstrip("/").split("/")[0] for source in stages[0]} if stages else set()
    manifest = json.loads(subprocess.run([swift, "package", "dump-package"], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    uncopied = []
    for target in manifest["targets"]:
        default = "Tests" if target["type"] == "test" else "Sources"
        path = target.get("path") or f"{default}/{target['name']}"
        if path.split("/")[0] not in build_copies:
            uncopied.append(f"target {target['name']} ({path}) is not copied into the build stage")
    problems = [f"{DOCKERFILE} copies {source}, which does not exist" for source in missing] + uncopied
    copied = sum(len(stage) for stage in stages)
    return not problems, "\n".join(problems) or f"{copied} copied paths exist; every target's directory is copied"


def check_configurations(sluice):
    files = sorted(glob.glob(os.path.join(ROOT, "Docker/config/*.yaml")))
    result = subprocess.run([sluice, "config", "check", "--placeholder-secrets", "--model", "Models/fraud-mlp.onnx", *files], cwd=ROOT, capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip().replace(ROOT + "/", "")
    return result.returncode == 0 and bool(files), output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hadolint", required=True, help="the hadolint executable")
    parser.add_argument("--sluice", required=True, help="the sluice executable")
    parser.add_argument("--swift", default="swift", help="the swift executable")
    arguments = parser.parse_args()
    checks = [
        ("hadolint Docker/Dockerfile", lambda: check_hadolint(arguments.hadolint)),
        ("compose files against the Compose Specification", check_compose_files),
        ("files the Dockerfile copies", lambda: check_copied_files(arguments.swift)),
        ("Sluice configurations in Docker/config", lambda: check_configurations(arguments.sluice)),
    ]
    failed = 0
    for name, check in checks:
        passed, detail = check()
        failed += not passed
        print(f"{'ok  ' if passed else 'FAIL'} {name}")
        for line in detail.splitlines():
            print(f"     {line}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
