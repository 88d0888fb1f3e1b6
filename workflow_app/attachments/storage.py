"""Content-addressed file storage: `<root>/<aa>/<bb>/<sha256>`, written atomically.

The root lives in the instance folder, outside the web root; files are only ever served
through a view that checks access. The same content is stored once.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

HEX64 = re.compile(r"^[0-9a-f]{64}$")


class Storage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if not HEX64.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store `data` (once) and return its SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_for(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()


ATTACHMENTS = "attachments"  # what people upload to dossiers and batches
DOCUMENTS = "documents"  # what the application issues: decisions, letters, minutes


def app_storage(kind: str) -> Storage:
    """The running app's store for `kind` (ATTACHMENTS or DOCUMENTS), in its instance folder."""
    from workflow_app.config import current_config

    config = current_config()
    if config is None:
        raise RuntimeError("no app: pass a Storage explicitly")
    return Storage(config.instance_dir / kind)
