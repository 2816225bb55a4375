"""Argument conversion and output-buffer helpers shared by the wrappers."""
from __future__ import annotations

import ctypes
from typing import Callable

from ._ffi import lib
from .errors import ClosedError, SessionError, Status, check


def text_arg(value: str, name: str) -> bytes:
    """A str argument as NUL-terminated UTF-8; an embedded NUL would silently cut it, so refuse it."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, not {type(value).__name__}")
    if "\x00" in value:
        raise SessionError(int(Status.E_INVALID_ARGUMENT), "arg.embedded_nul", f"{name} contains a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise SessionError(int(Status.E_INVALID_UTF8), "arg.invalid_utf8", f"{name} is not valid Unicode") from None


def bytes_arg(value: bytes, name: str) -> bytes:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"{name} must be bytes, not {type(value).__name__}")
    return bytes(value)


def read_string(call: Callable[[ctypes.Array | None, int, ctypes.c_size_t], int]) -> str:
    """Runs a (buf, cap, needed) export twice: once for the size, once for the text."""
    needed = ctypes.c_size_t(0)
    status = call(None, 0, ctypes.byref(needed))
    if status != int(Status.E_BUFFER_TOO_SMALL):
        check(status)
    buf = ctypes.create_string_buffer(needed.value)
    try:
        check(call(buf, needed.value, ctypes.byref(needed)))
        return buf.value.decode("utf-8")
    finally:
        ctypes.memset(buf, 0, len(buf))  # the text may be a recovery phrase


def take_buffer(pointer: ctypes.c_void_p, length: ctypes.c_size_t, secret: bool = False) -> bytes:
    """Copies a library-allocated buffer and releases it."""
    if not pointer.value:
        return b""
    try:
        return ctypes.string_at(pointer.value, length.value)
    finally:
        if secret:
            lib.session_free_secret(pointer, length.value)
        else:
            lib.session_free(pointer)


class Owned:
    """Base of the wrappers that own one library handle: close() frees it once (also on exit from a
    with-block and at garbage collection); using it afterwards raises ClosedError."""

    _kind = "object"

    def __init__(self, handle: "ctypes.c_void_p | None", free: Callable[[ctypes.c_void_p], None]) -> None:
        self._handle = handle
        self._free = free

    @property
    def handle(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise ClosedError(self._kind)
        return self._handle

    def close(self) -> None:
        """Frees the handle. Idempotent."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            self._free(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass
