"""si.AsyncClient: the same client for asyncio. No thread of ours waits or spins: the library's
wakeup callback (on its own thread) posts to the event loop when events become ready.

    async with si.AsyncClient(data_dir=path, seed_url=url) as c:
        await c.send(session_id, "hello")          # -> request id
        async for ev in c:                          # waits without blocking the loop
            if ev.type == si.EventType.MESSAGE:
                print(ev.sender, ev.text)
"""
from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Optional, Sequence

from .client import Attachment, Client, Event


class AsyncClient:
    """An asyncio front for si.Client; takes the same arguments (except ``wakeup``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "wakeup" in kwargs:
            raise TypeError("AsyncClient installs its own wakeup")
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._ready: Optional[asyncio.Event] = None
        kwargs.setdefault("start", True)
        self._start = kwargs.pop("start")
        # Opening the client touches the disk only (no network); fine to do on the loop's thread.
        self._client = Client(*args, start=False, wakeup=self._on_wakeup, **kwargs)

    def _on_wakeup(self) -> None:  # library thread
        loop, ready = self._loop, self._ready
        if loop is not None and ready is not None and not loop.is_closed():
            loop.call_soon_threadsafe(ready.set)

    def _bind(self) -> asyncio.Event:
        if self._ready is None:
            self._loop = asyncio.get_running_loop()
            self._ready = asyncio.Event()
        return self._ready

    @property
    def client(self) -> Client:
        """The blocking client underneath (poll(), wait() and all its other methods)."""
        return self._client

    @property
    def session_id(self) -> str:
        return self._client.session_id

    async def __aenter__(self) -> "AsyncClient":
        self._bind()
        if self._start:
            self._client.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stops networking and frees the client (the library waits up to its shutdown timeout)."""
        await asyncio.get_running_loop().run_in_executor(None, self._client.close)

    async def send(self, to: str, text: str = "", reply_to=None, expire=None,
                   attachments: Optional[Sequence[Any]] = None) -> int:
        """Queues text and attachments (see Client.send); returns the request id. Never blocks on the
        network (attachments are copied first)."""
        return self._client.send(to, text, reply_to=reply_to, expire=expire, attachments=attachments)

    async def download(self, attachment: Attachment, path: Any) -> int:
        """Starts a verified download (see Client.download); REQUEST_DONE tells when it is in place."""
        return self._client.download(attachment, path)

    async def set_avatar(self, picture: Any) -> int:
        """Sets the profile picture (see Client.set_avatar)."""
        return self._client.set_avatar(picture)

    async def join_community(self, url: str) -> str:
        return self._client.join_community(url)

    async def next_batch(self, max_events: int = 64) -> list[Event]:
        """Waits until events are ready, then returns them (the previous batch counts as received)."""
        ready = self._bind()
        while True:
            # Clear before polling: a wakeup that races with the poll sets the flag again.
            ready.clear()
            batch = self._client.poll(max_events)
            if batch:
                return batch
            await ready.wait()

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._events()

    async def _events(self) -> AsyncIterator[Event]:
        while True:
            for ev in await self.next_batch():
                yield ev
