"""session_interop: anonymous, end-to-end-encrypted Session messaging over libsession.so.

    import session_interop as si
    si.version()                        # "0.1.0 (abi 1.0, ...)"
    me = si.Identity.generate()
    me.session_id, me.mnemonic          # "05…", "thirteen words …"
    box = si.crypto.seal(me, other_id, b"hi")
    async with si.AsyncClient(data_dir=path, seed_url=url) as c:   # asyncio; see si.aio
        async for ev in c: ...
"""
from __future__ import annotations

from ._ffi import lib as _lib
from .errors import ClosedError, SessionError, Status
from .identity import Identity, validate_session_id
from . import crypto
from .client import Attachment, Client, ConnectionState, Contact, Event, EventType, GroupMember, GroupUpdateKind, LogLevel, MessageKind
from .aio import AsyncClient

__version__ = "0.1.0"  # the package version; make wheel checks it against Directory.Build.props

ABI_MAJOR = 1
ABI_MINOR = 0

if not _lib.session_abi_compatible(ABI_MAJOR, ABI_MINOR):
    raise ImportError(
        f"libsession ABI {_lib.session_abi_major()}.{_lib.session_abi_minor()} cannot serve "
        f"this package (built for {ABI_MAJOR}.{ABI_MINOR})"
    )


def version() -> str:
    """The loaded library's version string."""
    return _lib.session_version_string().decode()


def abi_version() -> tuple[int, int]:
    """The loaded library's ABI (major, minor)."""
    return _lib.session_abi_major(), _lib.session_abi_minor()


__all__ = ["SessionError", "ClosedError", "Status", "Identity", "crypto", "validate_session_id", "Attachment",
           "Client", "AsyncClient", "Contact", "Event", "EventType", "GroupMember", "GroupUpdateKind", "MessageKind", "ConnectionState",
           "LogLevel", "version", "abi_version", "__version__"]
