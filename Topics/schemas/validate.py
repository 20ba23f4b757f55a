#!/usr/bin/env python3
"""Validates JSON documents against one of these schemas (JSON Schema draft 2020-12).

Usage: validate.py SCHEMA DOCUMENT...   Each DOCUMENT is a file holding one JSON value.
Prints every violation with its document and path; exits 1 if there is any.
"""
import json
import sys

import jsonschema


def main() -> int:
    schema_path, *documents = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    failures = 0
    for document_path in documents:
        with open(document_path, encoding="utf-8") as handle:
            document = json.load(handle)
        for error in validator.iter_errors(document):
            failures += 1
            location = "/".join(str(part) for part in error.absolute_path) or "(root)"
            print(f"{document_path}: {location}: {error.message}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
