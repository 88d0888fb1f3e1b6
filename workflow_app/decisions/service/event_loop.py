"""pyHanko's synchronous calls (sign_pdf, validate_pdf_signature) run their own event loop
with asyncio.run(), which refuses to start in a thread where a loop is already running — under
an asyncio-based server or worker, or beside a browser-automation driver in the tests. There,
the call runs in a short-lived thread of its own. The call must be pure computation (no
database session, no Flask context): those belong to the calling thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_running_loop(call: Callable[..., T], *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop running here: the usual case
        return call(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(call, *args, **kwargs).result()
