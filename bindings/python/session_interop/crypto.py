"""Stateless encryption helpers, byte-compatible with the official Session clients."""
from __future__ import annotations

import ctypes

from ._ffi import lib
from ._util import bytes_arg, take_buffer, text_arg
from .errors import check
from .identity import Identity

_SENDER_CAP = 67


def seal(ident: Identity, recipient_session_id: str, plaintext: bytes) -> bytes:
    """Signs and encrypts plaintext from ident to a "05…" Session ID (the 1:1 session protocol)."""
    plaintext = bytes_arg(plaintext, "plaintext")
    out, n = ctypes.c_void_p(), ctypes.c_size_t()
    check(lib.session_seal(ident.handle, text_arg(recipient_session_id, "recipient_session_id"),
                           plaintext, len(plaintext), ctypes.byref(out), ctypes.byref(n)))
    return take_buffer(out, n)


def open(ident: Identity, ciphertext: bytes) -> tuple[bytes, str]:  # noqa: A001 - the issue names it open
    """Decrypts and verifies a 1:1 ciphertext for ident: (plaintext, sender "05…" Session ID)."""
    ciphertext = bytes_arg(ciphertext, "ciphertext")
    out, n = ctypes.c_void_p(), ctypes.c_size_t()
    sender = ctypes.create_string_buffer(_SENDER_CAP)
    check(lib.session_open(ident.handle, ciphertext, len(ciphertext), ctypes.byref(out), ctypes.byref(n),
                           sender, _SENDER_CAP))
    return take_buffer(out, n, secret=True), sender.value.decode()


def seal_blinded_dm(ident: Identity, server_pubkey_hex: str, recipient_blinded_id: str, plaintext: bytes) -> bytes:
    """Encrypts a community-inbox direct message to a "15…"/"25…" blinded ID on that server."""
    plaintext = bytes_arg(plaintext, "plaintext")
    out, n = ctypes.c_void_p(), ctypes.c_size_t()
    check(lib.session_seal_blinded_dm(ident.handle, text_arg(server_pubkey_hex, "server_pubkey_hex"),
                                      text_arg(recipient_blinded_id, "recipient_blinded_id"),
                                      plaintext, len(plaintext), ctypes.byref(out), ctypes.byref(n)))
    return take_buffer(out, n)


def open_blinded_dm(ident: Identity, server_pubkey_hex: str, sender_blinded_id: str, ciphertext: bytes) -> tuple[bytes, str]:
    """Decrypts a blinded direct message: (plaintext, the sender's real "05…" Session ID)."""
    ciphertext = bytes_arg(ciphertext, "ciphertext")
    out, n = ctypes.c_void_p(), ctypes.c_size_t()
    sender = ctypes.create_string_buffer(_SENDER_CAP)
    check(lib.session_open_blinded_dm(ident.handle, text_arg(server_pubkey_hex, "server_pubkey_hex"),
                                      text_arg(sender_blinded_id, "sender_blinded_id"),
                                      ciphertext, len(ciphertext), ctypes.byref(out), ctypes.byref(n),
                                      sender, _SENDER_CAP))
    return take_buffer(out, n, secret=True), sender.value.decode()
