#!/usr/bin/env python3
"""Adds operations of GitHub's REST description to the emulator's subset, in the subset's own shape.

Usage: python3 build/extract-github-operations.py <api.github.com.json> <subset.json> <operationId>...

<api.github.com.json> is generated/api.github.com.json of the npm package @octokit/openapi (the version the subset
names in "source"; `npm pack @octokit/openapi@<version>` downloads it). Each operation is written as the subset holds
the others: method, path, summary, description, externalDocs, x-github, parameters, requestBody, the 2xx responses,
and the other status codes' descriptions in other_status_codes; every $ref is replaced by the object it names (with
x-resolved-from, except the entries of an examples map), up to the subset's operations_max_ref_depth (deeper or recursive ones stay as $ref + x-unresolved).
Operations already in the subset are replaced; operation_ids keeps its order and gains the new ones at its end.
"""
import json
import sys


def resolve(spec, node, depth, max_depth, stack, in_examples=False):
    if isinstance(node, list):
        return [resolve(spec, item, depth, max_depth, stack) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and isinstance(node["$ref"], str):
        ref = node["$ref"]
        is_example = ref.startswith("#/components/examples/")
        if not is_example and (depth >= max_depth or ref in stack):
            return {"$ref": ref, "x-unresolved": "depth limit" if ref not in stack else "recursive"}
        target = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        resolved = resolve(spec, target, depth + (0 if is_example else 1), max_depth, stack | {ref})
        if isinstance(resolved, dict) and not in_examples:
            resolved = dict(resolved)
            resolved["x-resolved-from"] = ref
        return resolved
    if in_examples:
        return {key: resolve(spec, value, depth, max_depth, stack, in_examples=True) for key, value in node.items()}
    return {key: resolve(spec, value, depth, max_depth, stack, in_examples=(key == "examples")) for key, value in node.items()}


def main():
    source, subset_path, *operation_ids = sys.argv[1:]
    with open(source, encoding="utf-8") as f:
        spec = json.load(f)
    with open(subset_path, encoding="utf-8") as f:
        subset = json.load(f)
    if spec["info"]["version"] != subset["spec_version"]:
        sys.exit(f"{source} is version {spec['info']['version']}; the subset is of {subset['spec_version']}.")
    max_depth = subset["ref_resolution"]["operations_max_ref_depth"]
    found = {}
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            if operation.get("operationId") in operation_ids:
                found[operation["operationId"]] = (path, method, operation, shared)
    missing = [o for o in operation_ids if o not in found]
    if missing:
        sys.exit("Not in the description: " + ", ".join(missing))
    for operation_id in operation_ids:
        path, method, operation, shared = found[operation_id]
        entry = {"method": method.upper(), "path": path}
        for key in ("summary", "description", "externalDocs", "x-github"):
            if key in operation:
                entry[key] = operation[key]
        entry["parameters"] = resolve(spec, shared + operation.get("parameters", []), 0, max_depth, frozenset())
        if "requestBody" in operation:
            entry["requestBody"] = resolve(spec, operation["requestBody"], 0, max_depth, frozenset())
        responses = {}
        others = {}
        for status, response in operation.get("responses", {}).items():
            if status.startswith("2"):
                responses[status] = resolve(spec, response, 0, max_depth, frozenset())
            else:
                described = resolve(spec, response, 0, 1, frozenset())
                others[status] = described.get("description", "") if isinstance(described, dict) else ""
        entry["responses"] = responses
        entry["other_status_codes"] = others
        subset["operations"][operation_id] = entry
        if operation_id not in subset["operation_ids"]:
            subset["operation_ids"].append(operation_id)
    with open(subset_path, "w", encoding="utf-8") as f:
        f.write(json.dumps(subset, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
