#!/usr/bin/env python3
"""Extracts operations of GitHub's REST description into an emulator subset file.

Usage (the description is in the npm package @octokit/openapi; `npm pack @octokit/openapi@23.0.2`, then
`tar xzf octokit-openapi-23.0.2.tgz package/generated/api.github.com.json`):

    python3 build/extract-github-openapi.py package/generated/api.github.com.json OUT.json OPERATION_ID...

Writes OUT.json in the shape of src/MlEnvironments.Testing/Emulators/GitHub/github-openapi-subset.json: the
operations keyed by operationId (method, path, summary, description, externalDocs, x-github, parameters,
requestBody, 2xx responses; other status codes keep only their description), with every $ref replaced by the
object it names (marked x-resolved-from) down to a depth of 4; a deeper or recursive $ref stays as
{"$ref", "x-unresolved"}. Example $refs are always resolved.
"""
import json
import sys

MAX_DEPTH = 4
KEEP = ["summary", "description", "externalDocs", "x-github", "parameters", "requestBody"]


def lookup(spec, ref):
    node = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def resolve(spec, node, depth, stack, in_example=False):
    if isinstance(node, list):
        return [resolve(spec, item, depth, stack, in_example) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and len(node) == 1:
        ref = node["$ref"]
        example = in_example or "/examples/" in ref
        if not example and (depth >= MAX_DEPTH or ref in stack):
            return {"$ref": ref, "x-unresolved": True}
        target = resolve(spec, lookup(spec, ref), depth + (0 if example else 1), stack | {ref}, example)
        if isinstance(target, dict):
            target = dict(target)
            target["x-resolved-from"] = ref
        return target
    return {key: resolve(spec, value, depth, stack, in_example or key in ("example", "examples")) for key, value in node.items()}


def extract(spec, operation_id):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                out = {"method": method.upper(), "path": path}
                for key in KEEP:
                    if key in operation:
                        out[key] = resolve(spec, operation[key], 0, frozenset())
                responses, others = {}, {}
                for status, response in operation.get("responses", {}).items():
                    resolved = resolve(spec, response, 0, frozenset())
                    if status.startswith("2"):
                        responses[status] = resolved
                    else:
                        others[status] = resolved.get("description", "")
                out["responses"] = responses
                out["other_status_codes"] = others
                return out
    raise SystemExit(f"operation {operation_id} is not in the description")


def main():
    source, target, *ids = sys.argv[1:]
    with open(source, encoding="utf-8") as f:
        spec = json.load(f)
    operations = {operation_id: extract(spec, operation_id) for operation_id in ids}
    document = {
        "source": "@octokit/openapi@" + spec["info"]["version"],
        "file_in_package": "generated/api.github.com.json",
        "ref_resolution": {"operations_max_ref_depth": MAX_DEPTH},
        "operation_ids": ids,
        "operations": operations,
    }
    with open(target, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
