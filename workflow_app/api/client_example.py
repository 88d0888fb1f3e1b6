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
new step of its timeline (oldest first), until it reaches an end state (decided, rejected …).
`--timeout` gives up after that many seconds (exit status 2); a dropped connection or a busy
server while following is reported and retried at the next poll.
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
    idempotent: bool  # the document offers an `Idempotency-Key` header for it


class OpenApiClient:
    """Calls operations by `operationId`; every URL comes from the served document."""

    def __init__(self, base_url: str, token: str, *, spec: dict | None = None):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http:// or https:// address")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.spec = spec or self._get_json(SPEC_PATH, authenticated=False)
        server = self.spec.get("servers", [{"url": "/api/v1"}])[0]["url"].rstrip("/")
        # A path-only server URL is under base_url; an absolute one is used as it is.
        self.api_root = server if "://" in server else self.base_url + server
        if not self.api_root.startswith(("http://", "https://")):
            raise ValueError(f"the document's server is not an http(s) address: {server}")
        self.operations = {
            op["operationId"]: Operation(
                method.upper(), path, tuple(op.get("requestBody", {}).get("content", {})),
                any(param.get("in") == "header" and param.get("name") == "Idempotency-Key"
                    for param in self._parameters(item, op)))
            for path, item in self.spec["paths"].items()
            for method, op in item.items() if isinstance(op, dict) and "operationId" in op}

    def _parameters(self, path_item: dict, op: dict) -> list[dict]:
        """An operation's parameters and its path's, with `$ref`s to components resolved."""
        found = []
        for param in path_item.get("parameters", []) + op.get("parameters", []):
            if "$ref" in param:
                param = self.spec["components"]["parameters"][param["$ref"].rsplit("/", 1)[1]]
            found.append(param)
        return found

    def call(self, operation_id: str, *, path: dict | None = None, query: dict | None = None,
             body: dict | None = None, files: dict[str, Path] | None = None,
             idempotency_key: str | None = None):
        """Run one operation; returns the decoded JSON (or bytes for a download).

        A mutation the document marks as idempotent gets an `Idempotency-Key` (a fresh one
        unless given: send the same key to retry safely); the others (casting a ballot …)
        refuse the header, so none is sent."""
        op = self.operations[operation_id]
        url = op.path
        for name, value in (path or {}).items():
            url = url.replace("{" + name + "}", urllib.parse.quote(str(value), safe=""))
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if files is not None or "multipart/form-data" in op.content_types and body is not None:
            data, headers["Content-Type"] = _multipart(body or {}, files or {})
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if op.idempotent:
            headers["Idempotency-Key"] = idempotency_key or secrets.token_hex(16)
        request = urllib.request.Request(  # noqa: S310 (http(s) only, see __init__)
            self.api_root + url, data=data, headers=headers, method=op.method)
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
        # As browsers do: a quote or a line break in the file's name is percent-encoded.
        filename = file.name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
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


def format_step(step: dict) -> str:
    """One timeline entry as a line: time (UTC), what happened, by whom, and the state."""
    moved = f"  → {step['to_state']}" if step.get("to_state") else ""
    return f"{step['occurred_at']}  {step['action_label']}  ({step['actor']}){moved}"


def print_step(step: dict) -> None:
    print(format_step(step), flush=True)


TRANSIENT = (429, 502, 503, 504)


def follow(client: OpenApiClient, dossier_id: int, *, interval: float = 5.0,
           timeout: float | None = None, on_step=print_step, on_problem=None) -> dict:
    """Poll the dossier until it reaches an end state; returns it as last read.

    `on_step(entry)` is called once for each timeline entry (the `TimelineEntry` of the
    document), oldest first, as soon as a poll sees it. A dropped connection or a transient
    answer (429, 502, 503, 504) is passed to `on_problem(error)` (default: printed to
    stderr) and the next poll tries again; any other refusal (401 after the token expired,
    404 …) is raised. `timeout` (seconds): TimeoutError when the dossier is still open then.
    """
    seen: set[int] = set()
    deadline = None if timeout is None else time.monotonic() + timeout
    on_problem = on_problem or (lambda error: print(f"(will retry) {error}", file=sys.stderr))
    while True:
        try:
            dossier = client.call("get_dossier", path={"dossier_id": dossier_id})
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            on_problem(error)
            dossier = None
        except ApiRefused as refusal:
            if refusal.status not in TRANSIENT:
                raise
            on_problem(refusal)
            dossier = None
        if dossier is not None:
            for step in sorted(dossier["timeline"], key=lambda entry: entry["seq"]):
                if step["seq"] not in seen:
                    seen.add(step["seq"])
                    on_step(step)
            if dossier["state"] in END_STATES:
                return dossier
        if deadline is not None and time.monotonic() > deadline:
            state = dossier["state"] if dossier is not None else "unknown (no answer)"
            raise TimeoutError(f"dossier {dossier_id} is still {state}")
        time.sleep(interval)


def _document_arg(value: str) -> tuple[str, Path]:
    kind, sep, path = value.partition("=")
    if not (sep and kind and path):
        raise argparse.ArgumentTypeError(f"expected TYPE=FILE, got {value!r}")
    if not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"no such file: {path}")
    return kind, Path(path)


def main(argv: list[str] | None = None) -> int:
    """Exit status 0: the dossier reached an end state (printed); 1: the API refused a step
    (its code and message are printed) or could not be reached; 2: bad arguments or
    `--timeout` reached."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--dossier", required=True, type=Path,
                        help="JSON file: the body of create_dossier")
    parser.add_argument("--document", action="append", default=[], metavar="TYPE=FILE",
                        type=_document_arg)
    parser.add_argument("--interval", type=float, default=30.0,
                        help="seconds between polls while following (default 30)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="stop following after this many seconds (default: never)")
    args = parser.parse_args(argv)
    try:
        body = json.loads(args.dossier.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        parser.error(f"--dossier: {error}")
    try:
        client = OpenApiClient(args.base_url, args.token)
        dossier = create_and_submit(client, body, args.document)
        print(f"Dossier #{dossier['id']} submitted; following it.", flush=True)
        final = follow(client, dossier["id"], interval=args.interval, timeout=args.timeout)
    except (ApiRefused, urllib.error.URLError) as error:
        print(error, file=sys.stderr)
        return 1
    except (TimeoutError, ValueError) as error:  # --timeout reached; not an http(s) address
        print(error, file=sys.stderr)
        return 2
    number = final.get("decision_number") or ""
    print(f"Dossier #{final['id']}: {final['state_label']} {number}".rstrip(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
