"""Attachments and avatars from Python on LocalNet, and a picture's round trip C ↔ Python."""
import os
import struct
import subprocess
import time
import urllib.request

import pytest

import session_interop as si

from header import ROOT

BIN = ROOT / "dist" / "bin"
FAST = {"poll.min_interval_ms": 100, "poll.max_interval_ms": 400}


def picture(size=200_000):
    """PNG-looking bytes (a header saying 320×200, then noise)."""
    head = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 320, 200)
    return head + os.urandom(size - len(head))


def file_server(values):
    return values["FILE_SERVER_URL"], values["FILE_SERVER_PUBKEY"]


def client(values, path):
    return si.Client(data_dir=path, seed_url=values["SEED_URL"], options=FAST, file_server=file_server(values))


def wait_for(c, match, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        c.wait(0.25)
        for ev in c.poll():
            if match(ev):
                return ev
    raise AssertionError("timed out waiting for an event")


def done(c, rid):
    return wait_for(c, lambda e: e.type == si.EventType.REQUEST_DONE and e.request_id == rid)


def test_a_picture_goes_from_python_to_c_and_back_byte_identical(localnet_values, tmp_path):
    url, key = file_server(localnet_values)
    bot = subprocess.Popen([str(BIN / "picture_echo"), "--data", str(tmp_path / "bot"), "--seed-url", localnet_values["SEED_URL"],
                            "--file-server", url, "--file-server-key", key, "--duration", "150", "--max", "1"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        bot_id = next(line.strip().split("=", 1)[1] for line in bot.stdout if line.startswith("SESSION_ID="))
        original = picture()
        source = tmp_path / "cat.png"
        source.write_bytes(original)
        with client(localnet_values, tmp_path / "py") as c:
            assert done(c, c.send(bot_id, "a cat", attachments=[source])).ok
            reply = wait_for(c, lambda e: e.type == si.EventType.MESSAGE and e.attachments)
            assert reply.text == "echo"
            (att,) = reply.attachments
            assert att.size == len(original) and att.id and att.content_type
            back = tmp_path / "back.png"
            finished = done(c, c.download(att, back))
            assert finished.ok, finished.error_code
            assert back.read_bytes() == original
        assert bot.wait(timeout=60) == 0
        assert "cat.png (200000 bytes)" in bot.stdout.read()
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()


def test_descriptors_avatars_and_clear_errors(localnet_values, tmp_path):
    with client(localnet_values, tmp_path / "a") as alice, client(localnet_values, tmp_path / "b") as bob:
        avatar = picture(30_000)
        assert done(alice, alice.set_avatar(avatar)).ok
        voice = os.urandom(4000)
        assert done(alice, alice.send(bob.session_id, attachments=[voice, picture(50_000)])).ok
        ev = wait_for(bob, lambda e: e.type == si.EventType.MESSAGE)
        assert ev.text == ""
        first, second = ev.attachments
        assert (first.size, first.content_type, first.file_name) == (4000, "application/octet-stream", "")
        assert (second.width, second.height, second.size) == (320, 200, 50_000)
        assert ev.avatar is not None and ev.avatar.is_avatar
        got = done(bob, bob.download(ev.avatar, tmp_path / "alice.png"))
        assert got.ok, got.error_code
        assert (tmp_path / "alice.png").read_bytes() == avatar

        # Expired on the server: NOT_FOUND, nothing left at the path.
        request = urllib.request.Request(localnet_values["ADMIN_URL"] + f"files/{first.id}/expire", method="POST")
        urllib.request.urlopen(request, timeout=10).read()
        gone = done(bob, bob.download(first, tmp_path / "voice.ogg"))
        assert (gone.status, gone.error_code) == (si.Status.E_NOT_FOUND, "attachment.expired")
        assert not (tmp_path / "voice.ogg").exists()

        with pytest.raises(si.SessionError) as missing:
            alice.send(bob.session_id, attachments=[tmp_path / "nope.png"])
        assert missing.value.status == si.Status.E_NOT_FOUND
        with pytest.raises(si.SessionError) as big:
            alice.send(bob.session_id, attachments=[b"\0" * 10_000_001])
        assert big.value.status == si.Status.E_TOO_LARGE
        with pytest.raises(TypeError):
            alice.send(bob.session_id, attachments=[42])


def test_async_client_sends_and_downloads_attachments(localnet_values, tmp_path):
    import asyncio

    async def run():
        fs = file_server(localnet_values)
        async with si.AsyncClient(data_dir=tmp_path / "x", seed_url=localnet_values["SEED_URL"], options=FAST, file_server=fs) as x, \
                si.AsyncClient(data_dir=tmp_path / "y", seed_url=localnet_values["SEED_URL"], options=FAST, file_server=fs) as y:
            data = os.urandom(12_345)
            await x.send(y.session_id, "async", attachments=[data])
            async for ev in y:
                if ev.type == si.EventType.MESSAGE:
                    break
            rid = await y.download(ev.attachments[0], tmp_path / "got.bin")
            async for ev in y:
                if ev.type == si.EventType.REQUEST_DONE and ev.request_id == rid:
                    assert ev.ok, ev.error_code
                    break
            assert (tmp_path / "got.bin").read_bytes() == data

    asyncio.run(asyncio.wait_for(run(), 120))


def test_a_picture_posted_to_a_room_is_downloaded_byte_identical(localnet_values, tmp_path):
    """Room files: uploaded to the room itself (no key, no digest, as desktop), downloaded from it."""
    with client(localnet_values, tmp_path / "a") as alice, client(localnet_values, tmp_path / "b") as bob:
        room = alice.join_community(localnet_values["COMMUNITY_URL"])
        assert bob.join_community(room) == room
        original = picture(120_000)
        marker = f"room picture {os.urandom(4).hex()}"
        source = tmp_path / "cat.png"
        source.write_bytes(original)
        sent = done(alice, alice.send(room, marker, attachments=[source]))
        assert sent.ok, sent.error_code
        ev = wait_for(bob, lambda e: e.type == si.EventType.MESSAGE and e.text == marker)
        assert ev.conversation == room and ev.message_id == sent.message_id
        (att,) = ev.attachments
        assert (att.size, att.content_type, att.width, att.height) == (len(original), "image/png", 320, 200)
        assert "/room/lobby/file/" in att.url and att.key == b"" and att.digest == b""
        got = done(bob, bob.download(att, tmp_path / "room.png"))
        assert got.ok, got.error_code
        assert (tmp_path / "room.png").read_bytes() == original
