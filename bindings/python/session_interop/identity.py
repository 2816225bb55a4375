"""Identities: a Session account's keys, its Session ID and its recovery phrase."""
from __future__ import annotations

import ctypes

from ._ffi import lib
from ._util import Owned, bytes_arg, read_string, text_arg
from .errors import check


class Identity(Owned):
    """An account key pair. Secret keys live inside the library and are wiped by close().

    Use as a context manager, or call close(); using a closed identity raises ClosedError.
    """

    _kind = "Identity"

    def __init__(self, _handle: ctypes.c_void_p) -> None:
        super().__init__(_handle, lib.session_identity_free)

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def generate(cls) -> "Identity":
        """A new random identity, as the official apps create them."""
        handle = ctypes.c_void_p()
        check(lib.session_identity_generate(ctypes.byref(handle)))
        return cls(handle)

    @classmethod
    def from_seed(cls, seed: bytes) -> "Identity":
        """From a 16-byte account seed or a 32-byte Ed25519 seed."""
        seed = bytes_arg(seed, "seed")
        handle = ctypes.c_void_p()
        check(lib.session_identity_from_seed(seed, len(seed), ctypes.byref(handle)))
        return cls(handle)

    @classmethod
    def from_mnemonic(cls, words: str) -> "Identity":
        """From a 13-word recovery phrase (case, extra spaces and 3-letter prefixes are accepted)."""
        handle = ctypes.c_void_p()
        check(lib.session_identity_from_mnemonic(text_arg(words, "words"), ctypes.byref(handle)))
        return cls(handle)

    # -- properties -----------------------------------------------------------------------------
    @property
    def session_id(self) -> str:
        """The "05…" Session ID (66 hex digits)."""
        h = self.handle
        return read_string(lambda buf, cap, needed: lib.session_identity_session_id(h, buf, cap, needed))

    @property
    def mnemonic(self) -> str:
        """The 13-word recovery phrase. Sensitive: whoever has it owns the account."""
        h = self.handle
        return read_string(lambda buf, cap, needed: lib.session_identity_mnemonic(h, buf, cap, needed))

    @property
    def ed25519_public_key(self) -> bytes:
        out = ctypes.create_string_buffer(32)
        check(lib.session_identity_ed25519_public_key(self.handle, out, 32))
        return out.raw

    # -- community (blinded) identities ---------------------------------------------------------
    def blinded15_id(self, server_pubkey_hex: str) -> str:
        h, server = self.handle, text_arg(server_pubkey_hex, "server_pubkey_hex")
        return read_string(lambda buf, cap, needed: lib.session_identity_blinded15_id(h, server, buf, cap, needed))

    def blinded25_id(self, server_pubkey_hex: str) -> str:
        h, server = self.handle, text_arg(server_pubkey_hex, "server_pubkey_hex")
        return read_string(lambda buf, cap, needed: lib.session_identity_blinded25_id(h, server, buf, cap, needed))

    def blind15_sign(self, server_pubkey_hex: str, message: bytes) -> bytes:
        """A 64-byte signature by the 15-blinded key for that server."""
        return self._blind_sign(lib.session_identity_blind15_sign, server_pubkey_hex, message)

    def blind25_sign(self, server_pubkey_hex: str, message: bytes) -> bytes:
        """A 64-byte signature by the 25-blinded key for that server."""
        return self._blind_sign(lib.session_identity_blind25_sign, server_pubkey_hex, message)

    def _blind_sign(self, fn, server_pubkey_hex: str, message: bytes) -> bytes:
        message = bytes_arg(message, "message")
        sig = ctypes.create_string_buffer(64)
        check(fn(self.handle, text_arg(server_pubkey_hex, "server_pubkey_hex"), message, len(message), sig, 64))
        return sig.raw

    def __repr__(self) -> str:
        if self._handle is None:
            return "<Identity closed>"
        return f"<Identity {self.session_id[:8]}…>"


def validate_session_id(session_id: str) -> None:
    """Raises SessionError (with .code such as "id.bad_prefix") unless session_id is a valid "05" ID."""
    check(lib.session_validate_session_id(text_arg(session_id, "session_id")))
