#!/usr/bin/env python3
"""Verify an exported audit trail offline. Standard library only; no imports from the app.

Usage:  python3 standalone_verify.py EXPORT_DIR
        (EXPORT_DIR holds events.jsonl and manifest.json, as written by `flask audit export`
         or unzipped from the auditor page's download)

Checks: events.jsonl matches the manifest's SHA-256 and count; seq runs 1, 2, 3 … without
gaps; each prev_hash is the previous hash; each hash equals
sha256(prev_hash + canonical JSON of the event without prev_hash/hash); the last hash is the
manifest's head. If the `cryptography` package is installed, signed checkpoints are checked
too (Ed25519 over "tdkt-audit-checkpoint|<seq>|<head_hash>|<created_at>").
Exit status 0 when everything holds, 1 otherwise, naming the first bad seq.
"""

import base64
import hashlib
import json
import sys
from pathlib import Path

GENESIS = "0" * 64


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def verify(directory: Path) -> list:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    raw = (directory / manifest.get("events_file", "events.jsonl")).read_bytes()
    problems = []
    if hashlib.sha256(raw).hexdigest() != manifest["events_sha256"]:
        problems.append("events.jsonl does not match the manifest's SHA-256")
    prev, expected, hashes = GENESIS, 1, {}
    lines = raw.decode("utf-8").splitlines()
    for line in lines:
        event = json.loads(line)
        seq = event.get("seq")
        if seq != expected:
            return problems + [f"seq {expected}: missing (found {seq})"]
        if event["prev_hash"] != prev:
            return problems + [f"seq {seq}: prev_hash does not match the previous hash"]
        body = {k: v for k, v in event.items() if k not in ("prev_hash", "hash")}
        digest = hashlib.sha256(prev.encode("ascii") + canonical(body)).hexdigest()
        if digest != event["hash"]:
            return problems + [f"seq {seq}: hash does not match the event's contents"]
        prev, expected = event["hash"], expected + 1
        hashes[seq] = prev
    if len(lines) != manifest["count"]:
        problems.append(f"manifest says {manifest['count']} events, file has {len(lines)}")
    if prev != manifest["head_hash"]:
        problems.append("last hash differs from the manifest's head_hash")
    problems.extend(_check_checkpoints(manifest.get("checkpoints", []), hashes))
    return problems


def _check_checkpoints(checkpoints, hashes) -> list:
    if not checkpoints:
        return []
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        print("note: 'cryptography' not installed; checkpoint signatures not checked")
        return []
    problems = []
    for cp in checkpoints:
        msg = f"tdkt-audit-checkpoint|{cp['seq']}|{cp['head_hash']}|{cp['created_at']}"
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(cp["public_key"]))
            key.verify(base64.b64decode(cp["signature"]), msg.encode())
        except Exception:  # noqa: BLE001 - any failure means the signature does not hold
            problems.append(f"checkpoint at seq {cp['seq']}: bad signature")
            continue
        if hashes.get(cp["seq"]) != cp["head_hash"]:
            problems.append(f"checkpoint at seq {cp['seq']}: chain differs from the signed hash")
    return problems


def main(argv) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    problems = verify(Path(argv[1]))
    if problems:
        for problem in problems:
            print("FAIL:", problem)
        return 1
    print("OK: audit export verified")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
