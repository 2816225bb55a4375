"""The exception tree: every failing call raises SessionError with the C status and dotted code."""
from __future__ import annotations

import enum

from ._ffi import lib


class Status(enum.IntEnum):
    """Mirror of session_status in session.h (tests check the two agree)."""

    OK = 0
    E_INVALID_ARGUMENT = 1
    E_NULL_POINTER = 2
    E_INVALID_HANDLE = 3
    E_INVALID_UTF8 = 4
    E_BUFFER_TOO_SMALL = 5
    E_TOO_LARGE = 6
    E_NOT_FOUND = 7
    E_WRONG_STATE = 8
    E_UNSUPPORTED = 9
    E_QUEUE_FULL = 10
    E_NETWORK = 20
    E_TIMEOUT = 21
    E_CANCELLED = 22
    E_REMOTE = 23
    E_STORAGE = 30
    E_BAD_STATE_DATA = 31
    E_WRONG_KEY = 32
    E_CRYPTO = 40
    E_OUT_OF_MEMORY = 90
    E_INTERNAL = 99
    E_UNKNOWN = -1  # a code this package does not know (a newer library)


class SessionError(Exception):
    """A call into libsession failed.

    Attributes: ``status`` (Status), ``code`` (stable dotted string, e.g. ``"id.bad_prefix"``),
    ``message`` (human-readable; never contains secrets or message text).
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        try:
            self.status = Status(status)
        except ValueError:
            self.status = Status.E_UNKNOWN
        self.raw_status = status
        self.code = code
        self.message = message
        name = lib.session_status_name(status).decode()
        super().__init__(f"{name} [{code}]: {message}" if code else f"{name}: {message}")


class ClosedError(SessionError):
    """An object was used after close()."""

    def __init__(self, what: str) -> None:
        super().__init__(int(Status.E_INVALID_HANDLE), "handle.closed", f"{what} is closed")


def check(status: int) -> None:
    """Raises SessionError for a non-zero status, with this thread's error detail."""
    if status != 0:
        raise SessionError(
            status,
            lib.session_last_error_code().decode("utf-8", "replace"),
            lib.session_last_error_message().decode("utf-8", "replace"),
        )
