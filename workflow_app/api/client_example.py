"""A client written from the OpenAPI document alone (standard library only).

It reads `/api/v1/openapi.json`, finds each operation by its `operationId`, and builds the
request from the document: the path template, JSON or multipart bodies. It knows no URL of
the API by heart. Run it as a submitter with a personal access token from the profile page:

    python -m workflow_app.api.client_example --base-url http://127.0.0.1:5000 \\
        --token tdkt_… --dossier dossier.json \\
        --document TO_TRINH=to-trinh.pdf --document BAO_CAO_THANH_TICH=bao-cao.pdf

`dossier.json` is the body of the `create_dossier` operation as the document describes it
(unit_id, award_id, commendation_type, year, nominee_person_id or nominee_unit_id, …).

It creates the dossier, uploads the documents, submits it and then follows it, printing each
new step of its timeline, until it reaches an end state (decided, rejected …).
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SPEC_PATH = "/api/v1/openapi.json"
END_STATES = frozenset({"decided", "rejected", "council_rejected", "withdrawn", "revoked"})


class ApiRefused(Exception):
    """The API answered with an error document: `status`, `code` and `message` from it."""

    def __init__(self, status: int, body: dict):
        error = (body or {}).get("error", {})
        self.status, self.code = status, error.get("code", "")
        super().__init__(f"{status} {self.code}: {error.get('message', '')}")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    content_types: tuple[str, ...]


class OpenApiClient:
    """Calls operations by `operationId`; every URL comes from the served document."""

    def __init__(self, base_url: str, token: str, *, spec: dict | None = None):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http:// or https:// address")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.spec = spec or self._get_json(SPEC_PATH, authenticated=False)
        server = self.spec.get("servers", [{"url": "/api/v1"}])[0]["url"]
        self.prefix = server if server.startswith("/") else ""
        self.operations = {
            op["operationId"]: Operation(method.upper(), path, tuple(
                op.get("requestBody", {}).get("content", {})))
            for path, item in self.spec["paths"].items()
            for method, op in item.items() if isinstance(op, dict) and "operationId" in op}

    def call(self, operation_id: str, *, path: dict | None = None, query: dict | None = None,
             body: dict | None = None, files: dict[str, Path] | None = None,
             idempotency_key: str | None = None):
        """Run one operation; returns the decoded JSON (or bytes for a download)."""
        op = self.operations[operation_id]
        url = op.path
        for name, value in (path or {}).items():
            url = url.replace("{" + name + "}", str(value))
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if files is not None or "multipart/form-data" in op.content_types and body is not None:
            data, headers["Content-Type"] = _multipart(body or {}, files or {})
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if op.method != "GET":
            headers["Idempotency-Key"] = idempotency_key or secrets.token_hex(16)
        request = urllib.request.Request(  # noqa: S310 (http(s) only, see __init__)
            self.base_url + self.prefix + url, data=data, headers=headers, method=op.method)
        return _send(request)

    def _get_json(self, path: str, *, authenticated: bool = True):
        headers = {"Authorization": f"Bearer {self.token}"} if authenticated else {}
        return _send(urllib.request.Request(self.base_url + path,  # noqa: S310 (as above)
                                            headers=headers))


def _send(request: urllib.request.Request):
    try:
        # Only http(s) URLs reach here (checked in OpenApiClient.__init__).
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            payload = response.read()
            if response.headers.get_content_type() == "application/json":
                return json.loads(payload)
            return payload
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"error": {"code": "not_json", "message": raw[:200].decode(errors="replace")}}
        raise ApiRefused(error.code, body) from None


def _multipart(fields: dict, files: dict[str, Path]) -> tuple[bytes, str]:
    boundary = "----tdkt" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, file in files.items():
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{file.name}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                     + file.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def create_and_submit(client: OpenApiClient, dossier: dict,
                      documents: list[tuple[str, Path]]) -> dict:
    """Create the dossier, attach each (doc_type, file), submit it; returns the dossier."""
    created = client.call("create_dossier", body=dossier)
    for doc_type, file in documents:
        client.call("upload_document", path={"dossier_id": created["id"]},
                    body={"doc_type": doc_type}, files={"file": file})
    current = client.call("get_dossier", path={"dossier_id": created["id"]})
    return client.call("fire_transition", path={"dossier_id": created["id"],
                                                 "trigger": "submit"},
                       body={"version": current["version"]})


def follow(client: OpenApiClient, dossier_id: int, *, interval: float = 5.0,
           timeout: float | None = None, on_step=print) -> dict:
    """Poll the dossier, reporting each new timeline entry, until it reaches an end state."""
    seen: set[int] = set()
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        dossier = client.call("get_dossier", path={"dossier_id": dossier_id})
        for step in dossier["timeline"]:
            if step["seq"] not in seen:
                seen.add(step["seq"])
                on_step(f"{step['occurred_at']}  {step['action_label']}  ({step['actor']})")
        if dossier["state"] in END_STATES:
            return dossier
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"dossier {dossier_id} is still {dossier['state']}")
        time.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--dossier", required=True, type=Path,
                        help="JSON file: the body of create_dossier")
    parser.add_argument("--document", action="append", default=[], metavar="TYPE=FILE")
    parser.add_argument("--interval", type=float, default=30.0)
    args = parser.parse_args(argv)
    client = OpenApiClient(args.base_url, args.token)
    body = json.loads(args.dossier.read_text(encoding="utf-8"))
    documents = [(kind, Path(path)) for kind, path in
                 (item.split("=", 1) for item in args.document)]
    try:
        dossier = create_and_submit(client, body, documents)
        print(f"Dossier #{dossier['id']} submitted; following it.")
        final = follow(client, dossier["id"], interval=args.interval)
    except ApiRefused as refusal:
        print(refusal, file=sys.stderr)
        return 1
    print(f"Dossier #{final['id']}: {final['state_label']} {final.get('decision_number') or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
