"""pyHanko's synchronous calls start their own event loop; inside a running one (an asyncio
server, the browser driver of the tests) they run in a thread of their own instead.

Each case runs in a new thread, where no loop runs yet whatever the test worker runs."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from workflow_app.decisions.service.event_loop import outside_running_loop


def _sync_api(value: int) -> tuple[int, str]:
    async def work():
        return value * 2

    return asyncio.run(work()), threading.current_thread().name


def _in_a_new_thread(call):
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="plain") as pool:
        return pool.submit(call).result()


def test_without_a_running_loop_the_call_runs_here():
    result, thread = _in_a_new_thread(lambda: outside_running_loop(_sync_api, 21))
    assert result == 42 and thread.startswith("plain")


def test_inside_a_running_loop_it_runs_in_a_thread_of_its_own():
    async def caller():
        probe = asyncio.sleep(0)
        with pytest.raises(RuntimeError, match="running event loop"):
            asyncio.run(probe)  # what pyHanko's own call did here before
        probe.close()
        return outside_running_loop(_sync_api, 21)

    result, thread = _in_a_new_thread(lambda: asyncio.run(caller()))
    assert result == 42 and thread.startswith("pyhanko")
