"""Reads files' Content Credentials with the C2PA reference implementation (c2pa-python, c2pa-rs inside).

Usage: c2pa_read.py [--trust-anchors PEM] FILE[=SIDECAR] ...
Prints one JSON object: {"sdk": version, "files": [{"file", "state", "status", "manifest", "error"}]}.
"state" is c2pa-rs's validation state (Valid, Trusted, Invalid); "status" lists the failure codes.
Used by the integration tests; never by Shotcaller itself.
"""

import json
import sys

import c2pa


def read(path, sidecar, context):
    entry = {"file": path}
    try:
        with open(path, "rb") as stream:
            if sidecar:
                with open(sidecar, "rb") as s:
                    manifest_data = s.read()
                reader = c2pa.Reader("image/x-exr" if path.endswith(".exr") else "application/octet-stream",
                                     stream, manifest_data=manifest_data, context=context)
            else:
                reader = c2pa.Reader(path, stream, context=context)
            with reader:
                store = json.loads(reader.json())
                entry["state"] = str(reader.get_validation_state())
                entry["status"] = [s.get("code") for s in store.get("validation_status") or []]
                entry["explanations"] = [s.get("explanation") for s in store.get("validation_status") or []]
                active = store.get("active_manifest")
                entry["manifest"] = store.get("manifests", {}).get(active) if active else None
    except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
        entry["error"] = f"{type(error).__name__}: {error}"
    return entry


def main(argv):
    anchors = None
    if len(argv) >= 2 and argv[0] == "--trust-anchors":
        with open(argv[1], encoding="utf-8") as f:
            anchors = f.read()
        argv = argv[2:]
    context = None
    if anchors:
        settings = c2pa.Settings.from_json(json.dumps({"verify": {"verify_trust": True}, "trust": {"user_anchors": anchors}}))
        context = c2pa.Context(settings)
    files = []
    for arg in argv:
        path, _, sidecar = arg.partition("=")
        files.append(read(path, sidecar or None, context))
    print(json.dumps({"sdk": c2pa.sdk_version(), "files": files}))


if __name__ == "__main__":
    main(sys.argv[1:])
