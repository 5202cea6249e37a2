#!/usr/bin/env python3
r"""Extracts operations of GitHub's REST description into an emulator subset file, in the subset's own shape.

The description is generated/api.github.com.json of the npm package @octokit/openapi, the version the subset names
in "source" (`npm pack @octokit/openapi@23.0.2`, then
`tar xzf octokit-openapi-23.0.2.tgz package/generated/api.github.com.json`). The subsets are in
src/MlEnvironments.Testing/Emulators/GitHub:

    # add operations to the main subset (operations already in it are replaced)
    python3 build/extract-github-operations.py package/generated/api.github.com.json \
        src/MlEnvironments.Testing/Emulators/GitHub/github-openapi-subset.json OPERATION_ID...
    # write the discovery subset afresh
    python3 build/extract-github-operations.py --new --mark-example-refs package/generated/api.github.com.json \
        src/MlEnvironments.Testing/Emulators/GitHub/github-openapi-subset.discovery.json \
        orgs/get users/get-authenticated repos/list-for-org repos/list-for-user

Without --new the operations are added to an existing subset: operations already in it are replaced, operation_ids
keeps its order and gains the new ones at its end, everything else in the file stays as it is. With --new the file is
written afresh with only these operations (source, file_in_package, ref_resolution, operation_ids, operations).

Each operation is written as the subsets hold the others: method, path, summary, description, externalDocs,
x-github, parameters (the path's shared ones first), requestBody, the 2xx responses, and the other status codes'
descriptions in other_status_codes; every $ref is replaced by the object it names (with x-resolved-from; the entries
of an examples map get it only with --mark-example-refs, as the discovery subset has them), up to the subset's
operations_max_ref_depth (4 for a new file); a deeper or recursive $ref stays as {"$ref", "x-unresolved"}. Example
$refs are always resolved.
"""
import argparse
import json
import sys

FILE_IN_PACKAGE = "generated/api.github.com.json"
SOURCE_PREFIX = "@octokit/openapi@"
NEW_FILE_MAX_REF_DEPTH = 4


def resolve(spec, node, depth, max_depth, stack, mark_examples, in_examples=False):
    if isinstance(node, list):
        return [resolve(spec, item, depth, max_depth, stack, mark_examples) for item in node]
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
        resolved = resolve(spec, target, depth + (0 if is_example else 1), max_depth, stack | {ref}, mark_examples)
        if isinstance(resolved, dict) and (mark_examples or not in_examples):
            resolved = dict(resolved)
            resolved["x-resolved-from"] = ref
        return resolved
    if in_examples:
        return {key: resolve(spec, value, depth, max_depth, stack, mark_examples, in_examples=True) for key, value in node.items()}
    return {key: resolve(spec, value, depth, max_depth, stack, mark_examples, in_examples=(key == "examples")) for key, value in node.items()}


def find(spec, operation_ids):
    """The operations named, as (path, method, operation, the path's shared parameters); exits naming any missing."""
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
    return found


def entry(spec, path, method, operation, shared, max_depth, mark_examples):
    """One operation in the subset's shape."""
    out = {"method": method.upper(), "path": path}
    for key in ("summary", "description", "externalDocs", "x-github"):
        if key in operation:
            out[key] = operation[key]
    out["parameters"] = resolve(spec, shared + operation.get("parameters", []), 0, max_depth, frozenset(), mark_examples)
    if "requestBody" in operation:
        out["requestBody"] = resolve(spec, operation["requestBody"], 0, max_depth, frozenset(), mark_examples)
    responses = {}
    others = {}
    for status, response in operation.get("responses", {}).items():
        if status.startswith("2"):
            responses[status] = resolve(spec, response, 0, max_depth, frozenset(), mark_examples)
        else:
            described = resolve(spec, response, 0, 1, frozenset(), mark_examples)
            others[status] = described.get("description", "") if isinstance(described, dict) else ""
    out["responses"] = responses
    out["other_status_codes"] = others
    return out


def subset_version(subset):
    """The package version a subset was extracted from: spec_version, else the version in source."""
    if "spec_version" in subset:
        return subset["spec_version"]
    source = subset.get("source", "")
    return source[len(SOURCE_PREFIX):] if source.startswith(SOURCE_PREFIX) else None


def main():
    parser = argparse.ArgumentParser(
        description="Extract operations of GitHub's REST description (@octokit/openapi, " + FILE_IN_PACKAGE + ") "
                    "into an emulator subset file: added to an existing subset, or written to a new one with --new.")
    parser.add_argument("--new", action="store_true",
                        help="write SUBSET afresh with only these operations (replacing any file there) instead of adding them to it")
    parser.add_argument("--mark-example-refs", action="store_true",
                        help="give the entries of an examples map x-resolved-from too, as github-openapi-subset.discovery.json has them")
    parser.add_argument("description", help="generated/api.github.com.json of the npm package @octokit/openapi")
    parser.add_argument("subset", help="the subset file to add to (or, with --new, to write)")
    parser.add_argument("operation_ids", nargs="+", metavar="operation_id", help="operationIds, e.g. issues/create")
    args = parser.parse_args()

    with open(args.description, encoding="utf-8") as f:
        spec = json.load(f)
    version = spec["info"]["version"]
    if args.new:
        subset = {
            "source": SOURCE_PREFIX + version,
            "file_in_package": FILE_IN_PACKAGE,
            "ref_resolution": {"operations_max_ref_depth": NEW_FILE_MAX_REF_DEPTH},
            "operation_ids": [],
            "operations": {},
        }
    else:
        with open(args.subset, encoding="utf-8") as f:
            subset = json.load(f)
        if version != subset_version(subset):
            sys.exit(f"{args.description} is version {version}; the subset is of {subset_version(subset)}.")
    max_depth = subset["ref_resolution"]["operations_max_ref_depth"]
    found = find(spec, args.operation_ids)
    for operation_id in args.operation_ids:
        subset["operations"][operation_id] = entry(spec, *found[operation_id], max_depth, args.mark_example_refs)
        if operation_id not in subset["operation_ids"]:
            subset["operation_ids"].append(operation_id)
    with open(args.subset, "w", encoding="utf-8") as f:
        f.write(json.dumps(subset, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
