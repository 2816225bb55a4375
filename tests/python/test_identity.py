"""si.Identity and si.crypto on the published library: vectors from protocol-crypto.md, round trips,
and every failure raising SessionError (never garbage, never a crash)."""
import os

import pytest

import session_interop as si
from session_interop import crypto

SEED1 = bytes.fromhex("0123456789abcdef0123456789abcdef")
ID1 = "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72"
PHRASE1 = "vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept"
SEED2 = bytes.fromhex("00112233445566778899aabbccddeeff")
ID2 = "05aa654f00fc39fc69fd0db829410ca38177d7732a8d2f0934ab3872ac56d5aa74"
BLIND_SEED1 = bytes.fromhex("fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122")
BLIND_SEED2 = bytes.fromhex("8659efdcbe0949e0f81141e6d397e8be75f45d09262f209d5950e97989eb43c7")
SP0 = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
SP1 = "00cdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"


def test_seed_vectors_give_the_official_session_ids():  # §1.6
    assert si.Identity.from_seed(SEED1).session_id == ID1
    assert si.Identity.from_seed(SEED2).session_id == ID2
    assert si.Identity.from_seed(BLIND_SEED1).ed25519_public_key.hex() == \
        "f4ef873908f6a5377ba3853f0e2fa326eed9e741edf9f7d0311a3ecc66a57b32"


def test_phrase_vectors_round_trip():  # §2.4
    assert si.Identity.from_seed(SEED1).mnemonic == PHRASE1
    assert si.Identity.from_mnemonic(PHRASE1).session_id == ID1
    assert si.Identity.from_mnemonic("  PYTHON cos ham heels amnesty lukewarm antics value picked roped sowed southern amnesty ").session_id == ID2


@pytest.mark.parametrize("phrase,code", [
    ("amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed amaze", "mnemonic.bad_checksum"),
    ("zzzzz " * 13, "mnemonic.unknown_word"),
])
def test_bad_phrases_raise_with_a_code(phrase, code):
    with pytest.raises(si.SessionError) as e:
        si.Identity.from_mnemonic(phrase)
    assert e.value.status is si.Status.E_INVALID_ARGUMENT
    assert e.value.code == code


def test_blinded_ids_and_signatures_match_the_official_vectors():  # §7.4
    a = si.Identity.from_seed(BLIND_SEED1)
    assert a.blinded25_id(SP0) == "253b991dcbba44cfdb45d5b38880d95cff723309e3ece6fd01415ad5fa1dccc7ac"
    assert a.blinded25_id(SP1) == "2598589c7885b56cbeae6ab7b4224f202815520a54995872cb1833b44db6401c8d"
    assert a.blind25_sign(SP0, b"hello").hex() == (
        "e6c57de4ac0cd278abbeef815bd88b163a037085deae789ecaaf4805884c4c3d"
        "3db25f3afa856241366cb341a3a4c9bbaa2cda81d028079c956fab16a7fe6206")
    assert a.blind15_sign(SP0, b"hello").hex() == (
        "1a5ade20b43af0e16b3e591d6f86303938d7557c0ac54469dd4f5aea759f82d2"
        "2cafa42587251756e133acdddd8cbec2f707a9ce09a49f2193f46a91502c5006")
    b = si.Identity.from_seed(BLIND_SEED2)
    assert b.blinded25_id(SP0) == "25a69cc6884530bf8498d22892e563716c4742f2845a7eb608de2aecbe7b6b5996"
    assert b.blind25_sign(SP0, b"this").hex().startswith("57bb2f80c88ce2f6")


def test_generated_identities_are_distinct_and_restorable():
    a, b = si.Identity.generate(), si.Identity.generate()
    assert a.session_id != b.session_id
    assert len(a.mnemonic.split()) == 13
    assert si.Identity.from_mnemonic(a.mnemonic).session_id == a.session_id


def test_seal_then_open_returns_the_exact_bytes_and_the_sender():
    a, b = si.Identity.generate(), si.Identity.generate()
    for plaintext in (b"", b"x", os.urandom(1000), "héllo 🙂".encode()):
        box = crypto.seal(a, b.session_id, plaintext)
        assert crypto.open(b, box) == (plaintext, a.session_id)


def test_open_rejects_wrong_key_tampering_and_truncation():
    a, b, c = si.Identity.generate(), si.Identity.generate(), si.Identity.generate()
    box = crypto.seal(a, b.session_id, b"secret")
    for bad_identity, bad_box in ((c, box), (b, box[:-1]), (b, box[:10]), (b, b""),
                                  (b, bytes([box[0] ^ 1]) + box[1:]), (b, box[:-1] + bytes([box[-1] ^ 1]))):
        with pytest.raises(si.SessionError) as e:
            crypto.open(bad_identity, bad_box)
        assert e.value.status is si.Status.E_CRYPTO


@pytest.mark.parametrize("recipient", ["", "05", "15" + "00" * 32, "05" + "zz" * 32, "05" + "ab" * 31])
def test_seal_rejects_malformed_session_ids(recipient):
    with pytest.raises(si.SessionError) as e:
        crypto.seal(si.Identity.generate(), recipient, b"x")
    assert e.value.status is si.Status.E_INVALID_ARGUMENT


def test_strings_with_nul_are_refused_not_truncated():
    with pytest.raises(si.SessionError) as e:
        crypto.seal(si.Identity.generate(), ID1 + "\x00junk", b"x")
    assert e.value.code == "arg.embedded_nul"


def test_blinded_dm_round_trip_both_blindings():
    a, b = si.Identity.generate(), si.Identity.generate()
    for blinded in ("blinded15_id", "blinded25_id"):
        to = getattr(b, blinded)(SP0)
        frm = getattr(a, blinded)(SP0)
        wire = crypto.seal_blinded_dm(a, SP0, to, b"psst")
        assert crypto.open_blinded_dm(b, SP0, frm, wire) == (b"psst", a.session_id)
        with pytest.raises(si.SessionError):
            crypto.open_blinded_dm(b, SP1, frm, wire)          # another server
        with pytest.raises(si.SessionError):
            crypto.open_blinded_dm(b, SP0, to, wire)           # claimed sender is not the sender
        with pytest.raises(si.SessionError):
            crypto.open_blinded_dm(b, SP0, frm, wire[:-3])     # truncated


def test_bad_server_keys_are_invalid_arguments():
    a = si.Identity.generate()
    for key in ("", "abcd", "g" * 64):
        with pytest.raises(si.SessionError) as e:
            a.blinded15_id(key)
        assert e.value.status is si.Status.E_INVALID_ARGUMENT


def test_a_closed_identity_raises_closed_error():
    a = si.Identity.generate()
    a.close()
    a.close()  # idempotent
    with pytest.raises(si.ClosedError):
        a.session_id
    with si.Identity.generate() as b:
        assert b.session_id.startswith("05")
    with pytest.raises(si.ClosedError):
        b.mnemonic


def test_validate_session_id():
    si.validate_session_id(ID1)
    with pytest.raises(si.SessionError) as e:
        si.validate_session_id("15" + ID1[2:])
    assert e.value.status is si.Status.E_INVALID_ARGUMENT


def test_wrong_argument_types_raise_type_error():
    with pytest.raises(TypeError):
        si.Identity.from_seed("not bytes")
    with pytest.raises(TypeError):
        crypto.seal(si.Identity.generate(), ID1, "text")


def test_seed_of_wrong_length_is_invalid():
    with pytest.raises(si.SessionError) as e:
        si.Identity.from_seed(b"\x00" * 15)
    assert e.value.status is si.Status.E_INVALID_ARGUMENT
