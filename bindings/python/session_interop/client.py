"""si.Client: one identity's messenger over libsession.so, drained by polling on your thread."""
from __future__ import annotations

import ctypes
import enum
import ipaddress
import os
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Sequence
from urllib.parse import urlparse

from ._ffi import (LOG_FN, FREE_USER_FN, WAKEUP_FN, SessionAttachment, SessionAttachmentSource, SessionContact, SessionEvent,
                   SessionGroupMember, SessionMessage, SessionStr, lib)
from ._util import Owned, read_string, text_arg
from .errors import Status, check
from .identity import Identity


class EventType(enum.IntEnum):
    """session_event_type. Unknown future types arrive as plain ints."""

    NONE = 0
    REQUEST_DONE = 1
    CONNECTION = 2
    MESSAGE = 3
    LOG = 10
    STOPPED = 11
    MESSAGE_EDITED = 12
    MESSAGE_DELETED = 13
    ERROR = 14
    REACTION = 15          # ref_timestamp_ms/ref_author: the message; emoji; value 0 added, 1 removed
    RECEIPT = 16           # one per message read: ref_timestamp_ms
    TYPING = 17            # value 1 started, 0 stopped
    UNSEND = 18            # ref_timestamp_ms/ref_author: the message deleted for everyone
    PROFILE = 19           # display_name: the sender's new name; value: its update time (Unix s)
    REQUEST_RESPONSE = 20  # our message request was accepted (value 1)
    CONFIG_CHANGED = 21  # value: the config's namespace (2 profile, 3 contacts, 4 read state, 5 communities)
    GROUP_INVITE = 22    # conversation: the group id ("03…"); sender: the inviter; text: the group's name
    GROUP_UPDATE = 23    # conversation: the group id; value: a GroupUpdateKind; text describes the change


class GroupUpdateKind(enum.IntEnum):
    """session_group_update_kind: the value of a GROUP_UPDATE event."""

    MEMBERS_ADDED = 1
    MEMBERS_REMOVED = 2
    MEMBERS_PROMOTED = 3
    RENAMED = 4
    MEMBER_LEFT = 5
    KICKED = 6
    DESTROYED = 7
    PROMOTED_ME = 8
    DESCRIPTION_CHANGED = 9


class MessageKind(enum.IntEnum):
    """session_message_kind (session_send_ex)."""

    TEXT = 1
    REACTION = 2
    READ_RECEIPT = 3
    TYPING = 4
    UNSEND = 5
    ACCEPT_REQUEST = 6
    EXPIRY_SETTINGS = 7


_FLAG_REMOVE = 1    # SESSION_MESSAGE_FLAG_REMOVE
_FLAG_STOPPED = 2   # SESSION_MESSAGE_FLAG_STOPPED
_EVENT_FLAG_OUTGOING = 1
_EVENT_FLAG_REQUEST = 2
_EXPIRE_MODES = {"after_read": 1, "after_send": 2}


class ConnectionState(enum.IntEnum):
    DISCONNECTED = 0
    CONNECTING = 1
    CONNECTED = 2


class LogLevel(enum.IntEnum):
    TRACE = 0
    DEBUG = 1
    INFO = 2
    WARN = 3
    ERROR = 4
    OFF = 5


@dataclass(frozen=True)
class Attachment:
    """A received attachment or avatar (a copy of a session_attachment); pass it to Client.download.
    ``key`` is secret: keep it as you keep the message."""

    id: str
    url: str
    content_type: str
    size: int
    file_name: str
    width: int
    height: int
    flags: int
    key: bytes
    digest: bytes
    is_avatar: bool

    @classmethod
    def _copy(cls, a: SessionAttachment) -> "Attachment":
        def s(field) -> str:
            return field.bytes().decode("utf-8", "replace")

        def b(field) -> bytes:
            return ctypes.string_at(field.data, field.len) if field.len else b""

        return cls(s(a.id), s(a.url), s(a.content_type), a.size, s(a.file_name), a.width, a.height, a.flags,
                   b(a.key), b(a.digest), bool(a.is_avatar))

    def _native(self) -> SessionAttachment:
        """A session_attachment pointing into this object's bytes (valid while self lives)."""
        def sstr(text: str) -> SessionStr:
            raw = text.encode("utf-8")
            buf = ctypes.create_string_buffer(raw, len(raw) + 1)
            keep.append(buf)
            return SessionStr(ctypes.cast(buf, ctypes.c_void_p), len(raw))

        def sbytes(raw: bytes):
            buf = ctypes.create_string_buffer(raw, max(len(raw), 1))
            keep.append(buf)
            return (ctypes.cast(buf, ctypes.c_void_p), len(raw))

        keep: list[object] = []
        native = SessionAttachment()
        native.struct_size = ctypes.sizeof(SessionAttachment)
        native.flags = self.flags
        native.url, native.id = sstr(self.url), sstr(self.id)
        native.content_type, native.file_name = sstr(self.content_type), sstr(self.file_name)
        native.size, native.width, native.height = self.size, self.width, self.height
        native.key.data, native.key.len = sbytes(self.key)
        native.digest.data, native.digest.len = sbytes(self.digest)
        native.is_avatar = int(self.is_avatar)
        native._keep = keep  # type: ignore[attr-defined]
        return native


def _attachment_sources(items: Sequence["str | os.PathLike[str] | bytes"]) -> "ctypes.Array[SessionAttachmentSource]":
    """session_attachment_source records for paths (str/PathLike) and bytes; the array keeps its buffers."""
    array = (SessionAttachmentSource * len(items))()
    keep: list[object] = []
    for i, item in enumerate(items):
        record = array[i]
        record.struct_size = ctypes.sizeof(SessionAttachmentSource)
        if isinstance(item, (bytes, bytearray, memoryview)):
            data = bytes(item)
            keep.append(data)
            record.data, record.data_len = data, len(data)
        elif isinstance(item, (str, os.PathLike)):
            record.path = text_arg(os.fspath(item), "attachment path")
        else:
            raise TypeError(f"an attachment is a path or bytes, not {type(item).__name__}")
    array._keep = keep  # type: ignore[attr-defined]
    return array


@dataclass(frozen=True)
class Event:
    """A copy of one session_event: safe to keep after the next poll."""

    type: "EventType | int"
    request_id: int
    status: "Status | int"
    timestamp_ms: int
    value: int
    conversation: str
    sender: str
    message_id: str
    text: str
    error_code: str
    flags: int = 0
    ref_timestamp_ms: int = 0   # the message a reply, reaction, receipt or unsend refers to
    ref_author: str = ""
    ref_text: str = ""          # a reply's quoted text, when the quote carried it
    emoji: str = ""
    display_name: str = ""      # the sender's, when the message carried a profile
    expiry_type: int = 0        # 0 none, 1 after read, 2 after send
    expiry_seconds: int = 0
    attachments: tuple = ()          # MESSAGE: Attachment records (download with Client.download)
    avatar: Optional[Attachment] = None  # MESSAGE: the sender's profile picture, when it carried one

    @property
    def ok(self) -> bool:
        return self.status == Status.OK

    @property
    def outgoing(self) -> bool:
        """Sent by this account (e.g. from its other device: conversation is the other party)."""
        return bool(self.flags & _EVENT_FLAG_OUTGOING)

    @property
    def is_request(self) -> bool:
        """A message request: the sender is not an approved contact (accept with Client.accept_request)."""
        return bool(self.flags & _EVENT_FLAG_REQUEST)

    @classmethod
    def _copy(cls, ev: SessionEvent) -> "Event":
        def s(field) -> str:
            return field.bytes().decode("utf-8", "replace")

        try:
            etype: "EventType | int" = EventType(ev.type)
        except ValueError:
            etype = ev.type
        try:
            status: "Status | int" = Status(ev.status)
        except ValueError:
            status = ev.status
        attachments: tuple = ()
        avatar = None
        if ev.struct_size >= SessionEvent.avatar.offset + ctypes.sizeof(ctypes.c_void_p):
            base = ctypes.cast(ev.attachments, ctypes.c_void_p).value
            if base and ev.attachment_count:
                stride = ev.attachments[0].struct_size
                attachments = tuple(Attachment._copy(SessionAttachment.from_address(base + i * stride))
                                    for i in range(ev.attachment_count))
            if ev.avatar:
                avatar = Attachment._copy(ev.avatar[0])
        return cls(etype, ev.request_id, status, ev.timestamp_ms, ev.value, s(ev.conversation), s(ev.sender),
                   s(ev.message_id), s(ev.text), s(ev.error_code), ev.flags, ev.ref_timestamp_ms, s(ev.ref_author),
                   s(ev.ref_text), s(ev.emoji), s(ev.display_name), ev.expiry_type, ev.expiry_seconds, attachments, avatar)


@dataclass(frozen=True)
class Contact:
    """One contact from the account's Contacts config (shared by all its devices)."""

    session_id: str
    name: str
    nickname: str
    approved: bool
    approved_me: bool
    blocked: bool


@dataclass(frozen=True)
class GroupMember:
    """One member of a closed group (status: 0 joined, 1 invited, 2 invite failed, 3 invite not sent, 4 removal pending)."""

    session_id: str
    name: str
    admin: bool
    status: int


def _ids_arg(ids: Iterable[str], name: str) -> "tuple[ctypes.Array[ctypes.c_char_p], int]":
    """A C array of Session IDs and its length (a bare str is refused: it is not a list)."""
    if isinstance(ids, str):
        raise TypeError(f"{name} must be a list of Session IDs, not a str")
    items = [text_arg(i, name) for i in ids]
    return (ctypes.c_char_p * max(len(items), 1))(*items), len(items)


def _flag(value: Optional[bool]) -> int:
    return -1 if value is None else int(bool(value))


def _all_loopback(urls: Iterable[str]) -> bool:
    for url in urls:
        host = urlparse(url).hostname or ""
        try:
            if not (host == "localhost" or ipaddress.ip_address(host).is_loopback):
                return False
        except ValueError:
            return False
    return True


class Client(Owned):
    """One identity's messenger.

        with si.Client(identity, data_dir=path, seed_url=url) as c:   # starts networking
            rid = c.send(session_id, "text")
            for ev in c.poll():
                ...

    The data directory keeps the identity, queued messages and what has been received; reopening
    it later continues exactly where it stopped. ``identity`` is only needed for a new directory
    (without one a new random identity is created there). Nothing is ever called on a library
    thread unless you pass ``log_callback`` (documented to run on library threads); by default
    logs at ``log_level`` arrive as LOG events through ``poll``. ``wakeup``, if given, is called
    ON A LIBRARY THREAD whenever the event queue goes from empty to non-empty: it must only signal
    (si.AsyncClient uses it to wake its asyncio loop).
    """

    _kind = "Client"

    def __init__(self, identity: Optional[Identity] = None, *, data_dir: "str | os.PathLike[str]",
                 seed_url: Optional[str] = None, seed_urls: Optional[Sequence[str]] = None,
                 db_key: Optional[bytes] = None, display_name: Optional[str] = None,
                 accept_self_signed: Optional[bool] = None, log_level: LogLevel = LogLevel.OFF,
                 log_callback: Optional[Callable[[LogLevel, str, str], None]] = None,
                 options: Optional[dict[str, int]] = None, start: bool = True,
                 wakeup: Optional[Callable[[], None]] = None,
                 file_server: Optional[tuple[str, str]] = None) -> None:
        super().__init__(None, lib.session_client_free)
        self._keepalive: list[object] = []
        self._started = False
        self._auto_start = start
        urls = list(seed_urls or []) + ([seed_url] if seed_url else [])
        opts = ctypes.c_void_p()
        check(lib.session_options_new(ctypes.byref(opts)))
        try:
            check(lib.session_options_set_data_dir(opts, text_arg(os.fspath(data_dir), "data_dir")))
            if identity is not None:
                check(lib.session_options_set_identity_mnemonic(opts, text_arg(identity.mnemonic, "mnemonic")))
            if db_key is not None:
                check(lib.session_options_set_db_key(opts, bytes(db_key), len(db_key)))
            for url in urls:
                check(lib.session_options_add_seed_url(opts, text_arg(url, "seed_url")))
            # Self-signed seed certificates are only accepted for seeds on this machine (LocalNet).
            if accept_self_signed is None:
                accept_self_signed = bool(urls) and _all_loopback(urls)
            if accept_self_signed:
                check(lib.session_options_set_i64(opts, b"tls.accept_self_signed", 1))
            if display_name:
                check(lib.session_options_set_display_name(opts, text_arg(display_name, "display_name")))
            if file_server is not None:  # (FILE_SERVER_URL, FILE_SERVER_PUBKEY) of a LocalNet
                check(lib.session_options_set_file_server(opts, text_arg(file_server[0], "file_server url"),
                                                          text_arg(file_server[1], "file_server key")))
            for key, value in (options or {}).items():
                check(lib.session_options_set_i64(opts, text_arg(key, "option key"), int(value)))
            if wakeup is not None:
                self._install_wakeup(opts, wakeup)
            if log_callback is not None:
                self._install_log_callback(opts, log_level, log_callback)
            elif log_level != LogLevel.OFF:
                check(lib.session_options_set_log_as_events(opts, int(log_level)))
            handle = ctypes.c_void_p()
            check(lib.session_client_new(opts, ctypes.byref(handle)))
            self._handle = handle
        finally:
            lib.session_options_free(opts)
        self._poll_buffer = (ctypes.POINTER(SessionEvent) * 256)()

    def _install_log_callback(self, opts, level: LogLevel, fn: Callable[[LogLevel, str, str], None]) -> None:
        def on_log(_user, lvl, category, message, length):  # runs on library threads
            try:
                fn(LogLevel(lvl), (category or b"").decode("utf-8", "replace"),
                   ctypes.string_at(message, length).decode("utf-8", "replace"))
            except Exception:
                pass  # never raise into the library

        c_fn = LOG_FN(on_log)
        self._keepalive.append(c_fn)  # ctypes callbacks must outlive every call the library makes
        check(lib.session_options_set_log(opts, int(level), c_fn, None, FREE_USER_FN()))

    def _install_wakeup(self, opts, fn: Callable[[], None]) -> None:
        def on_wakeup(_user):  # runs on a library thread
            try:
                fn()
            except Exception:
                pass  # never raise into the library

        c_fn = WAKEUP_FN(on_wakeup)
        self._keepalive.append(c_fn)
        check(lib.session_options_set_wakeup(opts, c_fn, None, FREE_USER_FN()))

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Starts networking (idempotent)."""
        if not self._started:
            check(lib.session_client_start(self.handle))
            self._started = True

    def stop(self) -> None:
        """Asks networking to stop; a STOPPED event follows."""
        check(lib.session_client_stop(self.handle))
        self._started = False

    # close() (from Owned) stops, waiting up to 2 s, and frees the client.

    def __enter__(self) -> "Client":
        if self._auto_start:
            self.start()
        return self

    # -- identity -------------------------------------------------------------------------------
    @property
    def session_id(self) -> str:
        h = self.handle
        return read_string(lambda buf, cap, needed: lib.session_client_session_id(h, buf, cap, needed))

    @property
    def mnemonic(self) -> str:
        """The recovery phrase. Sensitive."""
        h = self.handle
        return read_string(lambda buf, cap, needed: lib.session_client_mnemonic(h, buf, cap, needed))

    def set_display_name(self, name: Optional[str]) -> None:
        check(lib.session_client_set_display_name(self.handle, None if name is None else text_arg(name, "name")))

    # -- messaging ------------------------------------------------------------------------------
    def send(self, to: str, text: str = "", reply_to: "Event | tuple[int, str] | None" = None,
             expire: "tuple[str, int] | None" = None,
             attachments: Optional[Sequence["str | os.PathLike[str] | bytes"]] = None) -> int:
        """Queues text to a Session ID, a joined community room or a blinded-DM conversation id;
        returns the request id. Exactly one REQUEST_DONE follows. ``reply_to`` quotes a message (a
        received Event or a (timestamp_ms, author) pair); ``expire`` makes it a disappearing message:
        ("after_send" | "after_read", seconds). Without them a 1:1 text follows the conversation's
        disappearing setting (set_expiry). ``attachments`` (paths or bytes, at most 32, each at most
        10,000,000 bytes; to a Session ID or a joined room, not with reply_to/expire yet) are copied
        now, then uploaded (a room's to the room itself) and sent with the text (which may then be
        empty)."""
        data = text.encode("utf-8") if isinstance(text, str) else None
        if data is None:
            raise TypeError(f"text must be str, not {type(text).__name__}")
        rid = ctypes.c_uint64()
        if reply_to is None and expire is None and not attachments:
            check(lib.session_send(self.handle, text_arg(to, "to"), data, len(data), 0, ctypes.byref(rid)))
            return rid.value
        msg = self._message(MessageKind.TEXT, text=data)
        if reply_to is not None:
            ts, author = (reply_to.timestamp_ms, reply_to.sender) if isinstance(reply_to, Event) else reply_to
            msg.ref_timestamp_ms, msg.ref_author = int(ts), text_arg(author, "reply_to author")
        if expire is not None:
            msg.expiry_type, msg.expiry_seconds = self._expiry(expire)
        if attachments:
            sources = _attachment_sources(list(attachments))  # kept alive until session_send_ex returns
            msg.attachments = ctypes.cast(sources, ctypes.POINTER(SessionAttachmentSource))
            msg.attachment_count = len(sources)
        return self._send_ex(to, msg)

    def react(self, to: str, timestamp_ms: int, author: str, emoji: str, remove: bool = False) -> int:
        """Adds (remove=True: removes) a reaction to the message sent at timestamp_ms by author."""
        msg = self._message(MessageKind.REACTION, flags=_FLAG_REMOVE if remove else 0)
        msg.ref_timestamp_ms, msg.ref_author, msg.emoji = int(timestamp_ms), text_arg(author, "author"), text_arg(emoji, "emoji")
        return self._send_ex(to, msg)

    def send_read_receipt(self, to: str, timestamps_ms: Sequence[int]) -> int:
        """Tells the sender these messages (by sent time) were read. The apps make receipts opt-in."""
        stamps = list(timestamps_ms)
        if not stamps:
            raise ValueError("send_read_receipt needs at least one timestamp")
        raw = (ctypes.c_int64 * len(stamps))(*stamps)
        return self._send_ex(to, self._message(MessageKind.READ_RECEIPT, text=bytes(raw)))

    def send_typing(self, to: str, started: bool) -> int:
        """Typing started (True) or stopped (False)."""
        return self._send_ex(to, self._message(MessageKind.TYPING, flags=0 if started else _FLAG_STOPPED))

    def unsend(self, to: str, timestamp_ms: int) -> int:
        """Deletes our message sent to ``to`` at timestamp_ms for everyone."""
        msg = self._message(MessageKind.UNSEND)
        msg.ref_timestamp_ms = int(timestamp_ms)
        return self._send_ex(to, msg)

    def accept_request(self, session_id: str) -> int:
        """Accepts session_id's message request (approves them and tells them so)."""
        return self._send_ex(session_id, self._message(MessageKind.ACCEPT_REQUEST))

    def set_expiry(self, session_id: str, expire: "tuple[str, int] | None") -> int:
        """Sets the conversation's disappearing messages (("after_send" | "after_read", seconds), None: off)
        and tells the other party; later messages without their own ``expire`` follow it."""
        msg = self._message(MessageKind.EXPIRY_SETTINGS)
        if expire is not None:
            msg.expiry_type, msg.expiry_seconds = self._expiry(expire)
        return self._send_ex(session_id, msg)

    @staticmethod
    def _expiry(expire: "tuple[str, int]") -> tuple[int, int]:
        mode, seconds = expire
        if mode not in _EXPIRE_MODES:
            raise ValueError('expire mode must be "after_send" or "after_read"')
        return _EXPIRE_MODES[mode], int(seconds)

    @staticmethod
    def _message(kind: MessageKind, text: bytes = b"", flags: int = 0) -> SessionMessage:
        msg = SessionMessage()
        msg.struct_size = ctypes.sizeof(SessionMessage)
        msg.kind, msg.text, msg.text_len, msg.flags = int(kind), text, len(text), flags
        return msg

    def _send_ex(self, to: str, msg: SessionMessage) -> int:
        rid = ctypes.c_uint64()
        check(lib.session_send_ex(self.handle, text_arg(to, "to"), ctypes.byref(msg), ctypes.byref(rid)))
        return rid.value

    def download(self, attachment: Attachment, path: "str | os.PathLike[str]") -> int:
        """Downloads an attachment or avatar of an event to ``path``; returns the request id. Its
        REQUEST_DONE is OK once the verified file is in place (NOT_FOUND: expired; CRYPTO: bad
        digest, MAC or size). Nothing is left at ``path`` on failure."""
        if not isinstance(attachment, Attachment):
            raise TypeError(f"attachment must be an Attachment from an event, not {type(attachment).__name__}")
        native = attachment._native()
        rid = ctypes.c_uint64()
        check(lib.session_download(self.handle, ctypes.byref(native), text_arg(os.fspath(path), "path"), 0, ctypes.byref(rid)))
        return rid.value

    def set_avatar(self, picture: "str | os.PathLike[str] | bytes | None") -> int:
        """Sets the profile picture (a path or bytes; None removes it and returns 0); returns the
        request id. REQUEST_DONE follows once it is uploaded and in the profile; later messages
        carry it (recipients see ``ev.avatar``)."""
        rid = ctypes.c_uint64()
        if picture is None:
            check(lib.session_set_avatar(self.handle, None, ctypes.byref(rid)))
            return 0
        sources = _attachment_sources([picture])
        check(lib.session_set_avatar(self.handle, ctypes.cast(sources, ctypes.POINTER(SessionAttachmentSource)), ctypes.byref(rid)))
        return rid.value

    def poll(self, max_events: int = 64) -> list[Event]:
        """Ready events, copied; never blocks. The previous batch counts as received."""
        if max_events < 0:
            raise ValueError("max_events must be >= 0")
        cap = min(max_events, len(self._poll_buffer))
        n = ctypes.c_uint32()
        check(lib.session_poll(self.handle, self._poll_buffer, cap, ctypes.byref(n)))
        return [Event._copy(self._poll_buffer[i].contents) for i in range(n.value)]

    def wait(self, timeout: float = 1.0) -> bool:
        """Blocks up to timeout seconds; True when events are ready (or interrupt() was called), False
        on timeout. Releases the GIL while waiting."""
        status = lib.session_wait(self.handle, max(0, int(timeout * 1000)))
        if status == Status.E_TIMEOUT:
            return False
        check(status)
        return True

    def interrupt(self) -> None:
        """Wakes a thread blocked in wait(). Any thread."""
        check(lib.session_interrupt(self.handle))

    def events(self, timeout: float = 1.0) -> Iterable[Event]:
        """Yields events as they come, waiting up to timeout between batches; stops when none came."""
        while True:
            batch = self.poll()
            if not batch:
                if not self.wait(timeout):
                    return
                continue
            yield from batch

    @staticmethod
    def max_text_bytes() -> int:
        return lib.session_max_text_bytes()

    # -- multi-device configs -------------------------------------------------------------------

    @property
    def display_name(self) -> str:
        """The display name from the account's profile config ("" when none), shared by its devices."""
        h = self.handle
        return read_string(lambda buf, cap, needed: lib.session_client_display_name(h, buf, cap, needed))

    def contacts(self) -> list[Contact]:
        """The contacts from the account's Contacts config."""
        out = ctypes.POINTER(SessionContact)()
        count = ctypes.c_uint32(0)
        check(lib.session_client_contacts(self.handle, ctypes.byref(out), ctypes.byref(count)))
        try:
            base = ctypes.cast(out, ctypes.c_void_p).value or 0
            result = []
            for i in range(count.value):
                rec = SessionContact.from_address(base + i * out[0].struct_size)
                result.append(Contact(rec.session_id.bytes().decode(), rec.name.bytes().decode("utf-8", "replace"),
                                      rec.nickname.bytes().decode("utf-8", "replace"), bool(rec.approved),
                                      bool(rec.approved_me), bool(rec.blocked)))
            return result
        finally:
            lib.session_free(out)

    def set_contact(self, session_id: str, nickname: Optional[str] = None, approved: Optional[bool] = None,
                    blocked: Optional[bool] = None) -> None:
        """Creates or updates a contact; None leaves a field as it is, nickname "" removes it."""
        nick = None if nickname is None else text_arg(nickname, "nickname")
        check(lib.session_set_contact(self.handle, text_arg(session_id, "session_id"), nick, _flag(approved), _flag(blocked)))

    def communities(self) -> list[str]:
        """Conversation ids of the joined communities (kept in the account's UserGroups config)."""
        out = ctypes.POINTER(SessionStr)()
        count = ctypes.c_uint32(0)
        check(lib.session_client_communities(self.handle, ctypes.byref(out), ctypes.byref(count)))
        try:
            return [out[i].bytes().decode() for i in range(count.value)]
        finally:
            lib.session_free(out)

    def mark_read(self, conversation: str, timestamp_ms: int) -> None:
        """Marks a conversation read up to timestamp_ms, on every device of the account (in a 1:1
        conversation this starts the timers of its disappear-after-read messages)."""
        check(lib.session_mark_read(self.handle, text_arg(conversation, "conversation"), int(timestamp_ms)))

    def join_community(self, url: str) -> str:
        """Joins the room at url (http(s)://host[:port]/ROOM?public_key=HEX); returns its conversation
        id (the canonical URL). send() to it posts to the room. Persisted across restarts."""
        h = self.handle
        u = text_arg(url, "url")
        return read_string(lambda buf, cap, needed: lib.session_join_community(h, u, buf, cap, needed))

    # ---------------------------------------------------------------- closed groups

    def create_group(self, name: str, members: Iterable[str] = ()) -> str:
        """Creates a closed group with us as admin and invites members (Session IDs); returns its
        id ("03…"). send() to it talks to the group."""
        h, n = self.handle, text_arg(name, "name")
        arr, count = _ids_arg(members, "members")
        return read_string(lambda buf, cap, needed: lib.session_create_group(h, n, arr, count, buf, cap, needed))

    def accept_group_invite(self, group_id: str) -> None:
        """Accepts a GROUP_INVITE: the group is joined and polled from now on."""
        check(lib.session_accept_group_invite(self.handle, text_arg(group_id, "group_id")))

    def decline_group_invite(self, group_id: str) -> None:
        """Declines a GROUP_INVITE: the group is forgotten."""
        check(lib.session_decline_group_invite(self.handle, text_arg(group_id, "group_id")))

    def add_group_members(self, group_id: str, members: Iterable[str]) -> None:
        """Admins: adds and invites members."""
        check(lib.session_add_group_members(self.handle, text_arg(group_id, "group_id"), *_ids_arg(members, "members")))

    def remove_group_members(self, group_id: str, members: Iterable[str]) -> None:
        """Admins: removes members (the group's keys rotate: they read nothing new)."""
        check(lib.session_remove_group_members(self.handle, text_arg(group_id, "group_id"), *_ids_arg(members, "members")))

    def promote_group_admin(self, group_id: str, session_id: str) -> None:
        """Admins: makes a member an admin."""
        check(lib.session_promote_group_admin(self.handle, text_arg(group_id, "group_id"), text_arg(session_id, "session_id")))

    def rename_group(self, group_id: str, name: str) -> None:
        """Admins: renames the group."""
        check(lib.session_rename_group(self.handle, text_arg(group_id, "group_id"), text_arg(name, "name")))

    def set_group_description(self, group_id: str, description: str) -> None:
        """Admins: sets the group's description (at most 2,000 bytes of UTF-8; "" clears it)."""
        check(lib.session_set_group_description(self.handle, text_arg(group_id, "group_id"), text_arg(description, "description")))

    def delete_group(self, group_id: str) -> None:
        """Admins: deletes the group for every member (they get GROUP_UPDATE DESTROYED). Permanent."""
        check(lib.session_delete_group(self.handle, text_arg(group_id, "group_id")))

    def leave_group(self, group_id: str) -> None:
        """Leaves a joined group (the other members are told)."""
        check(lib.session_leave_group(self.handle, text_arg(group_id, "group_id")))

    def group_members(self, group_id: str) -> list[GroupMember]:
        """The group's members, as its Members config says."""
        out = ctypes.POINTER(SessionGroupMember)()
        count = ctypes.c_uint32(0)
        check(lib.session_group_members(self.handle, text_arg(group_id, "group_id"), ctypes.byref(out), ctypes.byref(count)))
        try:
            base = ctypes.cast(out, ctypes.c_void_p).value or 0
            result = []
            for i in range(count.value):
                rec = SessionGroupMember.from_address(base + i * out[0].struct_size)
                result.append(GroupMember(rec.session_id.bytes().decode(), rec.name.bytes().decode("utf-8", "replace"),
                                          bool(rec.admin), int(rec.status)))
            return result
        finally:
            lib.session_free(out)

    def leave_community(self, conversation: str) -> None:
        """Leaves a joined room (URL or conversation id); raises when it was not joined."""
        check(lib.session_leave_community(self.handle, text_arg(conversation, "conversation")))

    @staticmethod
    def community_dm_conversation(community: str, blinded_id: str) -> str:
        """The blinded-DM conversation id for blinded_id ("15…", e.g. an event's sender) on the server
        of a joined room's conversation id: send() to it sends a blinded DM."""
        base, sep, query = community.partition("?")
        if not sep or not base.count("/") >= 3:
            raise ValueError("not a community conversation id")
        server = base.rsplit("/", 1)[0]
        return f"{server}/inbox/{blinded_id}?{query}"
