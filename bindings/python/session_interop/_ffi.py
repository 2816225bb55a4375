"""Loads libsession.so and declares every export's argtypes/restype, in one place.

tests/python checks this table against include/session.h, so a new export without a declaration
here, or with other types, fails the tests.
"""
from __future__ import annotations

import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_int32, c_int64, c_size_t, c_uint32,
                    c_uint64, c_void_p)
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _candidates() -> list[str]:
    paths = []
    env = os.environ.get("SESSION_LIBRARY")
    if env:
        paths.append(env)
    bundled = _HERE / "lib" / "libsession.so"
    if bundled.exists():
        paths.append(str(bundled))
    paths.append("libsession.so.1")
    return paths


def _load() -> ctypes.CDLL:
    errors = []
    for path in _candidates():
        try:
            # Never unloaded: the .NET runtime inside libsession.so cannot be unloaded.
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError("cannot load libsession.so (set SESSION_LIBRARY or run `make dist`):\n  " + "\n  ".join(errors))


lib = _load()


class SessionStr(Structure):
    _fields_ = [("data", c_void_p), ("len", c_size_t)]

    def bytes(self) -> bytes:
        return ctypes.string_at(self.data, self.len) if self.len else b""


class SessionBytes(Structure):
    _fields_ = [("data", c_void_p), ("len", c_size_t)]


class SessionAttachment(Structure):
    """Mirror of struct session_attachment (records are struct_size apart)."""

    _fields_ = [
        ("struct_size", c_uint32), ("flags", c_uint32), ("url", SessionStr), ("id", SessionStr),
        ("content_type", SessionStr), ("file_name", SessionStr), ("size", c_uint64), ("width", c_uint32),
        ("height", c_uint32), ("key", SessionBytes), ("digest", SessionBytes), ("is_avatar", c_int32),
    ]


class SessionEvent(Structure):
    """Mirror of struct session_event (tests compare its size and offsets with the C compiler's)."""

    _fields_ = [
        ("struct_size", c_uint32), ("type", c_int32), ("request_id", c_uint64), ("status", c_int32),
        ("flags", c_uint32), ("timestamp_ms", c_int64), ("value", c_int64),
        ("conversation", SessionStr), ("sender", SessionStr), ("message_id", SessionStr),
        ("text", SessionStr), ("error_code", SessionStr), ("data", SessionBytes),
        # issue 14 (appended)
        ("ref_timestamp_ms", c_int64), ("ref_author", SessionStr), ("ref_text", SessionStr), ("emoji", SessionStr),
        ("display_name", SessionStr), ("expiry_type", c_uint32), ("expiry_seconds", c_uint32),
        # issue 15: attachments
        ("attachments", POINTER(SessionAttachment)), ("attachment_count", c_size_t),
        ("avatar", POINTER(SessionAttachment)),
    ]


class SessionAttachmentSource(Structure):
    """Mirror of struct session_attachment_source."""

    _fields_ = [
        ("struct_size", c_uint32), ("path", c_char_p), ("data", c_char_p), ("data_len", c_size_t),
        ("file_name", c_char_p), ("content_type", c_char_p),
    ]


class SessionMessage(Structure):
    """Mirror of struct session_message (session_send_ex)."""

    _fields_ = [
        ("struct_size", c_uint32), ("kind", c_int32), ("text", c_char_p), ("text_len", c_size_t),
        ("ref_timestamp_ms", c_int64), ("ref_author", c_char_p), ("emoji", c_char_p),
        ("expiry_type", c_uint32), ("expiry_seconds", c_uint32), ("flags", c_uint32),
        ("attachments", POINTER(SessionAttachmentSource)), ("attachment_count", c_size_t),
    ]


class SessionContact(Structure):
    """Mirror of struct session_contact (records are struct_size apart)."""

    _fields_ = [
        ("struct_size", c_uint32), ("approved", c_int32), ("approved_me", c_int32), ("blocked", c_int32),
        ("session_id", SessionStr), ("name", SessionStr), ("nickname", SessionStr),
    ]


class SessionGroupMember(Structure):
    """Mirror of struct session_group_member (records are struct_size apart)."""

    _fields_ = [
        ("struct_size", c_uint32), ("admin", c_int32), ("status", c_int32),
        ("session_id", SessionStr), ("name", SessionStr),
    ]


EVENT_FN = CFUNCTYPE(None, c_void_p, POINTER(SessionEvent))
LOG_FN = CFUNCTYPE(None, c_void_p, c_int32, c_char_p, c_char_p, c_size_t)
WAKEUP_FN = CFUNCTYPE(None, c_void_p)
FREE_USER_FN = CFUNCTYPE(None, c_void_p)


class SessionHandlers(Structure):
    _fields_ = [("struct_size", c_uint32), ("on_request_done", EVENT_FN), ("on_connection", EVENT_FN),
                ("on_message", EVENT_FN), ("on_other", EVENT_FN)]


# name -> (restype, argtypes). `const char*` results are c_char_p: ctypes copies them at once.
SIGNATURES: dict[str, tuple[object, list[object]]] = {
    "session_abi_major": (c_uint32, []),
    "session_abi_minor": (c_uint32, []),
    "session_abi_compatible": (c_int32, [c_uint32, c_uint32]),
    "session_version_string": (c_char_p, []),
    "session_status_name": (c_char_p, [c_int32]),
    "session_last_error_message": (c_char_p, []),
    "session_last_error_code": (c_char_p, []),
    "session_free": (None, [c_void_p]),
    "session_free_secret": (None, [c_void_p, c_size_t]),
    # identities (session_identity* is an opaque c_void_p)
    "session_identity_generate": (c_int32, [POINTER(c_void_p)]),
    "session_identity_from_seed": (c_int32, [c_char_p, c_size_t, POINTER(c_void_p)]),
    "session_identity_from_mnemonic": (c_int32, [c_char_p, POINTER(c_void_p)]),
    "session_identity_free": (None, [c_void_p]),
    "session_identity_session_id": (c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_identity_mnemonic": (c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_identity_ed25519_public_key": (c_int32, [c_void_p, c_char_p, c_size_t]),
    "session_identity_blinded15_id": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_identity_blinded25_id": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_identity_blind15_sign": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    "session_identity_blind25_sign": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    "session_validate_session_id": (c_int32, [c_char_p]),
    # encryption helpers; outputs are library buffers released with session_free(_secret)
    "session_seal": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t)]),
    "session_open": (c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t), c_char_p, c_size_t]),
    "session_seal_blinded_dm": (c_int32, [c_void_p, c_char_p, c_char_p, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t)]),
    "session_open_blinded_dm": (c_int32, [c_void_p, c_char_p, c_char_p, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t), c_char_p, c_size_t]),
    # options builder
    "session_options_new": (c_int32, [POINTER(c_void_p)]),
    "session_options_free": (None, [c_void_p]),
    "session_options_set_data_dir": (c_int32, [c_void_p, c_char_p]),
    "session_options_set_db_key": (c_int32, [c_void_p, c_char_p, c_size_t]),
    "session_options_set_identity_mnemonic": (c_int32, [c_void_p, c_char_p]),
    "session_options_set_identity_seed": (c_int32, [c_void_p, c_char_p, c_size_t]),
    "session_options_add_seed_url": (c_int32, [c_void_p, c_char_p]),
    "session_options_set_display_name": (c_int32, [c_void_p, c_char_p]),
    "session_options_set_log": (c_int32, [c_void_p, c_int32, LOG_FN, c_void_p, FREE_USER_FN]),
    "session_options_set_log_as_events": (c_int32, [c_void_p, c_int32]),
    "session_options_set_wakeup": (c_int32, [c_void_p, WAKEUP_FN, c_void_p, FREE_USER_FN]),
    "session_options_set_i64": (c_int32, [c_void_p, c_char_p, c_int64]),
    # clients
    "session_client_new": (c_int32, [c_void_p, POINTER(c_void_p)]),
    "session_client_start": (c_int32, [c_void_p]),
    "session_client_stop": (c_int32, [c_void_p]),
    "session_client_free": (None, [c_void_p]),
    "session_client_session_id": (c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_client_mnemonic": (c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_client_set_display_name": (c_int32, [c_void_p, c_char_p]),
    # messaging and events
    "session_send": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, c_uint32, POINTER(c_uint64)]),
    "session_send_ex": (c_int32, [c_void_p, c_char_p, POINTER(SessionMessage), POINTER(c_uint64)]),
    "session_max_text_bytes": (c_uint32, []),
    "session_poll": (c_int32, [c_void_p, POINTER(POINTER(SessionEvent)), c_uint32, POINTER(c_uint32)]),
    "session_release_events": (c_int32, [c_void_p]),
    "session_dispatch": (c_int32, [c_void_p, POINTER(SessionHandlers), c_void_p, c_uint32, POINTER(c_uint32)]),
    "session_wait": (c_int32, [c_void_p, c_uint32]),
    "session_interrupt": (c_int32, [c_void_p]),
    # communities
    "session_join_community": (c_int32, [c_void_p, c_char_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_leave_community": (c_int32, [c_void_p, c_char_p]),
    # multi-device configs
    "session_client_display_name": (c_int32, [c_void_p, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_client_contacts": (c_int32, [c_void_p, POINTER(POINTER(SessionContact)), POINTER(c_uint32)]),
    "session_set_contact": (c_int32, [c_void_p, c_char_p, c_char_p, c_int32, c_int32]),
    "session_client_communities": (c_int32, [c_void_p, POINTER(POINTER(SessionStr)), POINTER(c_uint32)]),
    "session_mark_read": (c_int32, [c_void_p, c_char_p, c_int64]),
    # attachments and profile pictures
    "session_send_ex": (c_int32, [c_void_p, c_char_p, POINTER(SessionMessage), POINTER(c_uint64)]),
    "session_download": (c_int32, [c_void_p, POINTER(SessionAttachment), c_char_p, c_uint32, POINTER(c_uint64)]),
    "session_set_avatar": (c_int32, [c_void_p, POINTER(SessionAttachmentSource), POINTER(c_uint64)]),
    "session_options_set_file_server": (c_int32, [c_void_p, c_char_p, c_char_p]),
    "session_create_group": (c_int32, [c_void_p, c_char_p, POINTER(c_char_p), c_size_t, c_char_p, c_size_t, POINTER(c_size_t)]),
    "session_accept_group_invite": (c_int32, [c_void_p, c_char_p]),
    "session_decline_group_invite": (c_int32, [c_void_p, c_char_p]),
    "session_add_group_members": (c_int32, [c_void_p, c_char_p, POINTER(c_char_p), c_size_t]),
    "session_remove_group_members": (c_int32, [c_void_p, c_char_p, POINTER(c_char_p), c_size_t]),
    "session_promote_group_admin": (c_int32, [c_void_p, c_char_p, c_char_p]),
    "session_rename_group": (c_int32, [c_void_p, c_char_p, c_char_p]),
    "session_set_group_description": (c_int32, [c_void_p, c_char_p, c_char_p]),
    "session_delete_group": (c_int32, [c_void_p, c_char_p]),
    "session_leave_group": (c_int32, [c_void_p, c_char_p]),
    "session_group_members": (c_int32, [c_void_p, c_char_p, POINTER(POINTER(SessionGroupMember)), POINTER(c_uint32)]),
}

for _name, (_restype, _argtypes) in SIGNATURES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = _argtypes

__all__ = ["lib", "SIGNATURES", "SessionEvent", "SessionAttachment", "SessionAttachmentSource", "SessionMessage", "SessionHandlers", "SessionStr", "SessionContact",
           "SessionGroupMember", "EVENT_FN", "LOG_FN",
           "WAKEUP_FN", "FREE_USER_FN"]
