#!/usr/bin/env python3
"""Verify an exported audit trail offline. Standard library only; no imports from the app.

Usage:  python3 standalone_verify.py EXPORT_DIR [--checkpoints FILE]...

EXPORT_DIR holds events.jsonl and manifest.json, as written by `flask audit export` or
unzipped from the auditor page's download. FILE is a copy of the server's
instance/audit-checkpoints.jsonl (one signed checkpoint a line) kept where the server cannot
write; give every copy you keep. Without one, a rewrite of the whole chain on the server
(every hash recomputed, checkpoint rows and the server's copies deleted) cannot be told from
the real chain.

Checks:
 1. events.jsonl matches the manifest's SHA-256 and count;
 2. seq runs 1, 2, 3 … without gaps; each prev_hash is the previous hash; each hash equals
    sha256(prev_hash + canonical JSON of the event without prev_hash/hash);
 3. the last event is the chain head the database recorded (manifest "recorded_head"): an
    event after it was appended behind the application's back, a head beyond it means events
    were removed at the end;
 4. every checkpoint, the manifest's and the kept copies: the chain has the signed head_hash
    at its seq (a checkpoint beyond the last event means events removed at the end); and, if
    the `cryptography` package is installed, its Ed25519 signature over
    "tdkt-audit-checkpoint|<seq>|<head_hash>|<created_at>" holds.
 5. an evidence pack (evidence.json beside the export, from the auditor's "evidence pack"):
    every listed event is in the verified chain with the listed hash; every listed document
    file (documents/<sha256>) hashes to its listed hash, which the listed event recorded;
    the listed checkpoint is one of the manifest's (checked in 4) and covers every event.
Exit status 0 when everything holds, 1 otherwise (naming the first bad seq), 2 when the
export or a FILE cannot be read. Every line it prints says it in Vietnamese, then in English
(the script runs outside the application, so it carries its own words).
"""

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path

GENESIS = "0" * 64
CHECKPOINT_FIELDS = ("seq", "head_hash", "created_at", "public_key", "signature")


class Unreadable(Exception):
    """The export or a kept copy cannot be read; args[0] is a (Vietnamese, English) pair."""


def say(vi: str, en: str) -> tuple:
    """One message, in Vietnamese and in English."""
    return (vi, en)


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _is_checkpoint(data) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("seq"), int)
            and all(isinstance(data.get(name), str) for name in CHECKPOINT_FIELDS[1:]))


def load_kept(path: Path) -> tuple:
    """The checkpoints in one kept-copies file, and its lines that are not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Unreadable(say(f"không đọc được tệp {path}: {exc}",
                             f"cannot read {path}: {exc}")) from exc
    found, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError:
            data = None
        if _is_checkpoint(data):
            found.append(data)
        else:
            problems.append(say(f"{path}, dòng {number}: không phải một điểm kiểm tra",
                                f"{path} line {number}: not a checkpoint"))
    return found, problems


def _walk(raw: bytes) -> tuple:
    """(hash by seq, problem or None): the first event that does not fit stops the walk."""
    prev, expected, hashes = GENESIS, 1, {}
    for line in raw.decode("utf-8").splitlines():
        event = json.loads(line)
        seq = event.get("seq")
        if seq != expected:
            return hashes, say(f"sự kiện số {expected}: bị thiếu (gặp số {seq})",
                               f"seq {expected}: missing (found {seq})")
        if event["prev_hash"] != prev:
            return hashes, say(f"sự kiện số {seq}: liên kết với sự kiện trước không khớp "
                               f"mã băm của sự kiện đó",
                               f"seq {seq}: prev_hash does not match the previous hash")
        body = {k: v for k, v in event.items() if k not in ("prev_hash", "hash")}
        digest = hashlib.sha256(prev.encode("ascii") + canonical(body)).hexdigest()
        if digest != event["hash"]:
            return hashes, say(f"sự kiện số {seq}: mã băm không khớp nội dung (sự kiện đã "
                               f"bị sửa)", f"seq {seq}: hash does not match the event's contents")
        prev, expected = event["hash"], expected + 1
        hashes[seq] = prev
    return hashes, None


def _check_head(manifest: dict, hashes: dict, notes: list) -> list:
    last = max(hashes, default=0)
    if "recorded_head" not in manifest:
        notes.append(say("bản kê không ghi đầu chuỗi (bản xuất cũ): không phát hiện được sự "
                         "kiện thêm vào sau hay bị xoá ở cuối",
                         "the manifest carries no recorded head (an older export): events "
                         "appended after it or removed at the end are not detected"))
        return []
    recorded = manifest["recorded_head"]
    if recorded is None:
        return [say("cơ sở dữ liệu không có bản ghi đầu chuỗi",
                    "the database had no chain head row (audit_head)")]
    seq, head_hash = recorded["seq"], recorded["hash"]
    at_head = GENESIS if seq == 0 else hashes.get(seq)
    if seq > last:
        return [say(f"sự kiện số {last + 1}: bị thiếu: đầu chuỗi đã ghi là sự kiện số {seq} "
                    f"(sự kiện bị xoá ở cuối?)",
                    f"seq {last + 1}: missing: the recorded head is seq {seq} "
                    f"(events removed at the end?)")]
    if seq < last and at_head == head_hash:
        return [say(f"sự kiện số {seq + 1}: nằm sau đầu chuỗi đã ghi (số {seq}): được thêm "
                    f"vào ngoài ứng dụng?",
                    f"seq {seq + 1}: event after the recorded head (seq {seq}): appended behind "
                    f"the application's back?")]
    if at_head != head_hash:
        return [say(f"sự kiện số {seq}: mã băm của đầu chuỗi đã ghi khác với chuỗi tại đó "
                    f"(bản ghi đầu chuỗi bị sửa?)",
                    f"seq {seq}: the recorded head's hash differs from the chain's there "
                    f"(head row altered?)")]
    return []


def _signature_checker(notes: list):
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        notes.append(say("chưa cài gói 'cryptography': không kiểm tra chữ ký số của các điểm "
                         "chốt (vị trí của chúng trong chuỗi vẫn được kiểm tra)",
                         "'cryptography' not installed; checkpoint signatures not checked "
                         "(their place in the chain still is)"))
        return None

    def holds(cp) -> bool:
        msg = f"tdkt-audit-checkpoint|{cp['seq']}|{cp['head_hash']}|{cp['created_at']}"
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(cp["public_key"]))
            key.verify(base64.b64decode(cp["signature"]), msg.encode())
        except Exception:  # noqa: BLE001 - any failure means the signature does not hold
            return False
        return True

    return holds


def _check_checkpoints(exported: list, kept: list, hashes: dict, notes: list) -> list:
    """Each checkpoint once; a kept copy is named as such ("kept checkpoint")."""
    labelled = {}
    for label, checkpoints in ((("điểm kiểm tra", "checkpoint"), exported),
                               (("điểm kiểm tra lưu giữ bên ngoài", "kept checkpoint"), kept)):
        for cp in checkpoints:
            labelled[(cp["seq"], cp["head_hash"], cp["signature"])] = (label, cp)
    if not labelled:
        return []
    holds = _signature_checker(notes)
    last = max(hashes, default=0)
    problems = []
    for (vi, en), cp in sorted(labelled.values(), key=lambda item: item[1]["seq"]):
        seq = cp["seq"]
        if holds is not None and not holds(cp):
            problems.append(say(f"{vi} tại sự kiện số {seq}: chữ ký số không hợp lệ",
                                f"{en} at seq {seq}: bad signature"))
        elif seq > last:
            problems.append(say(f"{vi} tại sự kiện số {seq}: bản xuất dừng ở sự kiện số "
                                f"{last} (sự kiện bị xoá ở cuối?)",
                                f"{en} at seq {seq}: the export ends at seq {last} "
                                f"(events removed at the end?)"))
        elif hashes.get(seq) != cp["head_hash"]:
            problems.append(say(f"{vi} tại sự kiện số {seq}: chuỗi khác với mã băm đã ký "
                                f"(lịch sử bị viết lại)",
                                f"{en} at seq {seq}: the chain differs from the signed "
                                f"hash (rewritten history)"))
    return problems


def _check_evidence(directory: Path, hashes: dict, exported: list, notes: list) -> tuple:
    """(problems, summary) for evidence.json in `directory`, if there is one."""
    path = directory / "evidence.json"
    if not path.exists():
        return [], say("", "")
    try:
        pack = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Unreadable(say(f"không đọc được tệp {path}: {exc}",
                             f"cannot read {path}: {exc}")) from exc
    problems, listed = [], set()
    for event in pack.get("events", []):
        listed.add(event.get("seq"))
        if hashes.get(event.get("seq")) != event.get("hash"):
            problems.append(say(f"hồ sơ chứng cứ: sự kiện số {event.get('seq')} không có "
                                f"trong chuỗi với mã băm đã liệt kê",
                                f"evidence: event seq {event.get('seq')} is not in the chain "
                                f"with the listed hash"))
    for doc in pack.get("documents", []):
        name = doc.get("file", "")
        target = (directory / name).resolve()
        if directory.resolve() not in target.parents or not target.is_file():
            problems.append(say(f"hồ sơ chứng cứ: thiếu tài liệu {name}",
                                f"evidence: document {name} is missing"))
            continue
        if hashlib.sha256(target.read_bytes()).hexdigest() != doc.get("sha256"):
            problems.append(say(f"hồ sơ chứng cứ: tài liệu {name} không khớp mã băm SHA-256 "
                                f"đã liệt kê",
                                f"evidence: document {name} does not hash to its listed "
                                f"SHA-256"))
        elif doc.get("recorded_sha256") != doc.get("sha256") or \
                doc.get("recorded_in_seq") not in listed:
            problems.append(say(f"hồ sơ chứng cứ: tài liệu {name}: không sự kiện nào của hồ "
                                f"sơ ghi mã băm này",
                                f"evidence: document {name}: no event of the pack recorded "
                                f"this hash"))
    for doc in pack.get("missing_documents", []):
        problems.append(say(f"hồ sơ chứng cứ: tài liệu {doc.get('sha256')} không còn trong "
                            f"kho lưu trữ của máy chủ",
                            f"evidence: document {doc.get('sha256')} was missing from the "
                            f"server's store"))
    checkpoint, last = pack.get("checkpoint"), max(listed, default=0)
    if checkpoint is None:
        notes.append(say("hồ sơ chứng cứ: khi lập chưa có điểm kiểm tra có chữ ký nào bao trùm "
                         "các sự kiện; các sự kiện chỉ được chứng minh bằng chuỗi",
                         "evidence: no signed checkpoint covered the pack's events when it "
                         "was made; the events are proven by the chain only"))
    elif not any((cp["seq"], cp["head_hash"], cp["signature"]) == (
            checkpoint.get("seq"), checkpoint.get("head_hash"), checkpoint.get("signature"))
            for cp in exported):
        problems.append(say("hồ sơ chứng cứ: điểm kiểm tra bao trùm không có trong bản xuất",
                            "evidence: the covering checkpoint is not among the export's"))
    elif checkpoint["seq"] < last:
        problems.append(say(f"hồ sơ chứng cứ: điểm kiểm tra (sự kiện số {checkpoint['seq']}) "
                            f"không bao trùm sự kiện số {last}",
                            f"evidence: the checkpoint (seq {checkpoint['seq']}) does not "
                            f"cover event {last}"))
    documents = len(pack.get("documents", []))
    summary = say(f"; hồ sơ chứng cứ: {len(listed)} sự kiện và {documents} tài liệu",
                  f"; evidence pack: {len(listed)} events and {documents} documents")
    return problems, summary


def verify(directory: Path, kept_files=()) -> tuple:
    """(problems, notes, summary) for the export in `directory` and the kept copies."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        raw = (directory / manifest.get("events_file", "events.jsonl")).read_bytes()
    except (OSError, ValueError) as exc:
        raise Unreadable(say(f"không đọc được bản xuất trong {directory}: {exc}",
                             f"cannot read the export in {directory}: {exc}")) from exc
    kept, problems, notes = [], [], []
    for path in kept_files:
        found, bad_lines = load_kept(Path(path))
        kept.extend(found)
        problems.extend(bad_lines)
    if not kept_files:
        notes.append(say("không có bản sao điểm kiểm tra lưu giữ bên ngoài (--checkpoints FILE): "
                         "thiếu chúng thì không phát hiện được việc viết lại toàn bộ chuỗi "
                         "trên máy chủ",
                         "no kept checkpoint copies given (--checkpoints FILE): a rewrite of "
                         "the whole chain on the server cannot be detected without them"))
    if hashlib.sha256(raw).hexdigest() != manifest["events_sha256"]:
        problems.append(say("events.jsonl không khớp mã băm SHA-256 trong bản kê",
                            "events.jsonl does not match the manifest's SHA-256"))
    hashes, broken = _walk(raw)
    if broken:
        return problems + [broken], notes, say("", "")
    count = len(hashes)
    if count != manifest["count"]:
        problems.append(say(f"bản kê ghi {manifest['count']} sự kiện, tệp có {count}",
                            f"manifest says {manifest['count']} events, file has {count}"))
    if hashes.get(count, GENESIS) != manifest["head_hash"]:
        problems.append(say("mã băm cuối cùng khác với head_hash của bản kê",
                            "last hash differs from the manifest's head_hash"))
    problems.extend(_check_head(manifest, hashes, notes))
    exported = [cp for cp in manifest.get("checkpoints", []) if _is_checkpoint(cp)]
    problems.extend(_check_checkpoints(exported, kept, hashes, notes))
    evidence_problems, evidence_summary = _check_evidence(directory, hashes, exported, notes)
    problems.extend(evidence_problems)
    head = hashes.get(count, GENESIS)
    summary = say(f"{count} sự kiện, đầu chuỗi là sự kiện số {count} {head}; {len(exported)} "
                  f"điểm kiểm tra trong bản xuất và {len(kept)} điểm kiểm tra lưu giữ bên "
                  f"ngoài khớp với chuỗi{evidence_summary[0]}",
                  f"{count} events, head seq {count} {head}; {len(exported)} exported and "
                  f"{len(kept)} kept checkpoint(s) match the chain{evidence_summary[1]}")
    return problems, notes, summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Kiểm tra nhật ký xuất ra, không cần mạng / Verify an exported audit "
                    "trail offline (see the module docstring).")
    parser.add_argument("export_dir", type=Path,
                        help="thư mục chứa events.jsonl và manifest.json / directory holding "
                             "events.jsonl and manifest.json")
    parser.add_argument("--checkpoints", action="append", default=[], type=Path,
                        metavar="FILE",
                        help="bản sao lưu giữ của các điểm kiểm tra / a kept copy of "
                             "instance/audit-checkpoints.jsonl (repeatable)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        problems, notes, summary = verify(args.export_dir, args.checkpoints)
    except Unreadable as exc:
        vi, en = exc.args[0]
        print("LỖI:", vi, file=sys.stderr)
        print("ERROR:", en, file=sys.stderr)
        return 2
    for vi, en in notes:
        print("Lưu ý:", vi)
        print("note:", en)
    if problems:
        for vi, en in problems:
            print("KHÔNG ĐẠT:", vi)
            print("FAIL:", en)
        return 1
    print("ĐẠT: nhật ký xuất ra đã được kiểm tra:", summary[0])
    print("OK: audit export verified:", summary[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
