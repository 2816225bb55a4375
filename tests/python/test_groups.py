"""Closed groups from Python over a real LocalNet (issue 17): three clients form a group (GROUP_INVITE,
accept), talk, the admin removes one (the others keep talking, the removed one is told and gets
nothing new), a rename and a promotion reach every member, a restart loses and repeats nothing;
and the calls' argument checks."""
import subprocess
import time

import pytest

import session_interop as si

from header import ROOT

FAST = {"poll.min_interval_ms": 100, "poll.max_interval_ms": 400}


class Watcher:
    """Keeps every event a client polled, so a later wait sees what an earlier one passed over."""

    def __init__(self, client):
        self.client, self.seen, self.cursor = client, [], 0

    def next(self, match, what, timeout=90):
        deadline = time.monotonic() + timeout
        while True:
            while self.cursor < len(self.seen):
                ev = self.seen[self.cursor]
                self.cursor += 1
                if match(ev):
                    return ev
            assert time.monotonic() < deadline, f"timed out waiting for {what}; saw {[(e.type, e.value) for e in self.seen]}"
            self.client.wait(0.25)
            self.seen.extend(self.client.poll(64))

    def seen_any(self, match, what, timeout=90):
        """Waits until any event polled so far, before or after the cursor, matches."""
        deadline = time.monotonic() + timeout
        while not any(match(e) for e in self.seen):
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            self.client.wait(0.25)
            self.seen.extend(self.client.poll(64))

    def update(self, gid, kind):
        return self.next(lambda e: e.type == si.EventType.GROUP_UPDATE and e.conversation == gid and e.value == kind, kind)

    def message(self, gid, text):
        return self.next(lambda e: e.type == si.EventType.MESSAGE and e.conversation == gid and e.text == text, text)

    def done(self, request):
        ev = self.next(lambda e: e.type == si.EventType.REQUEST_DONE and e.request_id == request, f"request {request}")
        assert ev.status == 0

    def texts(self, gid):
        return [e.text for e in self.seen if e.type == si.EventType.MESSAGE and e.conversation == gid]


def test_three_clients_form_a_group_talk_remove_rename_promote_and_restart(localnet, tmp_path):
    opts = dict(seed_url=localnet, options=FAST)
    with si.Client(data_dir=tmp_path / "a", **opts) as alice, si.Client(data_dir=tmp_path / "c", **opts) as carol:
        bob = si.Client(data_dir=tmp_path / "b", **opts)   # not a with-block: it restarts below
        bob.start()
        try:
            A, B, C = Watcher(alice), Watcher(bob), Watcher(carol)
            gid = alice.create_group("guild", members=[bob.session_id, carol.session_id])
            assert gid.startswith("03") and len(gid) == 66

            for client, w in ((bob, B), (carol, C)):
                invite = w.next(lambda e: e.type == si.EventType.GROUP_INVITE, "invite")
                assert (invite.conversation, invite.sender, invite.text) == (gid, alice.session_id, "guild")
                with pytest.raises(si.SessionError):
                    client.send(gid, "too early")     # nothing joined before accepting
                client.accept_group_invite(gid)
                w.update(gid, si.GroupUpdateKind.MEMBERS_ADDED)

            deadline = time.monotonic() + 90
            while any(m.status != 0 for m in alice.group_members(gid)):
                assert time.monotonic() < deadline, "the acceptances did not reach the admin"
                time.sleep(0.2)
            members = alice.group_members(gid)
            assert all(isinstance(m, si.GroupMember) for m in members)
            assert {(m.session_id, m.admin) for m in members} == \
                {(alice.session_id, True), (bob.session_id, False), (carol.session_id, False)}

            B.done(bob.send(gid, "hello from bob"))
            assert A.message(gid, "hello from bob").sender == bob.session_id
            assert C.message(gid, "hello from bob").sender == bob.session_id

            alice.remove_group_members(gid, [carol.session_id])
            C.update(gid, si.GroupUpdateKind.KICKED)
            assert B.update(gid, si.GroupUpdateKind.MEMBERS_REMOVED).text == "removed: " + carol.session_id
            B.done(bob.send(gid, "carol is gone"))
            A.message(gid, "carol is gone")
            with pytest.raises(si.SessionError):
                carol.send(gid, "still here?")

            alice.rename_group(gid, "guild of two")
            assert B.update(gid, si.GroupUpdateKind.RENAMED).text == "guild of two"
            alice.promote_group_admin(gid, bob.session_id)
            B.update(gid, si.GroupUpdateKind.PROMOTED_ME)
            # Both updates are read before the restart (in either order: one comes through the inbox,
            # the other through the group): one the app has not polled yet would rightly come again.
            B.seen_any(lambda e: e.type == si.EventType.GROUP_UPDATE and e.value == si.GroupUpdateKind.MEMBERS_PROMOTED,
                       "MEMBERS_PROMOTED")
            bob.rename_group(gid, "bob's guild")
            assert A.update(gid, si.GroupUpdateKind.RENAMED).text == "bob's guild"

            assert B.texts(gid) == ["hello from bob", "carol is gone"]
            bob.close()
            A.done(alice.send(gid, "while bob was away"))
            bob = si.Client(data_dir=tmp_path / "b", **opts)
            bob.start()
            B = Watcher(bob)
            assert next(m for m in bob.group_members(gid) if m.session_id == bob.session_id).admin
            B.message(gid, "while bob was away")
            A.done(alice.send(gid, "after restart"))
            B.message(gid, "after restart")
            assert B.texts(gid) == ["while bob was away", "after restart"], "nothing repeated after the restart"
            assert not [e for e in B.seen if e.type == si.EventType.GROUP_UPDATE], "no update repeated"

            carol.wait(0.5)
            C.seen.extend(carol.poll(64))
            assert C.texts(gid) == ["hello from bob"], "the removed member got nothing new"

            alice.set_group_description(gid, "a party of two")
            assert B.update(gid, si.GroupUpdateKind.DESCRIPTION_CHANGED).text == "a party of two"
            alice.delete_group(gid)
            B.update(gid, si.GroupUpdateKind.DESTROYED)
            with pytest.raises(si.SessionError) as gone:
                bob.send(gid, "anyone?")
            assert gone.value.status == si.Status.E_WRONG_STATE
        finally:
            bob.close()


def test_a_c_member_talks_with_python_members_and_keeps_talking_after_a_removal(localnet, tmp_path):
    """Three clients, C and Python: the C echo bot (examples/c/echo_bot.c --join-groups) joins a group of
    two Python clients, echoes into it; the admin removes the Python member, the C member and the admin
    keep talking, and the removed one gets nothing new."""
    bot = subprocess.Popen([str(ROOT / "dist" / "bin" / "echo_bot"), "--data", str(tmp_path / "bot"), "--seed-url", localnet,
                            "--join-groups", "--max", "2", "--duration", "400"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        bot_id = next(line.strip().split("=", 1)[1] for line in bot.stdout if line.startswith("SESSION_ID="))
        opts = dict(seed_url=localnet, options=FAST)
        with si.Client(data_dir=tmp_path / "a", **opts) as alice, si.Client(data_dir=tmp_path / "b", **opts) as bob:
            A, B = Watcher(alice), Watcher(bob)
            gid = alice.create_group("mixed", members=[bob.session_id, bot_id])
            B.next(lambda e: e.type == si.EventType.GROUP_INVITE and e.conversation == gid, "invite")
            bob.accept_group_invite(gid)
            B.update(gid, si.GroupUpdateKind.MEMBERS_ADDED)
            deadline = time.monotonic() + 120
            while any(m.status != 0 for m in alice.group_members(gid)):     # both acceptances, the bot's from C
                assert time.monotonic() < deadline, "the acceptances did not reach the admin"
                A.seen.extend(alice.poll(64))
                time.sleep(0.2)

            B.done(bob.send(gid, "hello C"))
            senders = {"hello C": bob.session_id, "echo: hello C": bot_id}
            for w, want in ((A, {"hello C", "echo: hello C"}), (B, {"echo: hello C"})):
                while want:     # in either order: stored at different swarm members, they may arrive either way
                    ev = w.next(lambda e: e.type == si.EventType.MESSAGE and e.conversation == gid and e.text in want, str(want))
                    assert ev.sender == senders[ev.text] and not ev.outgoing
                    want.discard(ev.text)

            alice.remove_group_members(gid, [bob.session_id])
            B.update(gid, si.GroupUpdateKind.KICKED)
            A.done(alice.send(gid, "bob is gone"))
            assert A.message(gid, "echo: bob is gone").sender == bot_id       # the C member still hears and talks
            assert bot.wait(timeout=120) == 0                                  # --max 2: both echoes stored

            bob.wait(1)
            B.seen.extend(bob.poll(64))
            incoming = lambda w: [e.text for e in w.seen if e.type == si.EventType.MESSAGE and e.conversation == gid
                                  and not e.outgoing]
            assert incoming(B) == ["echo: hello C"], "the removed member got nothing new"
            assert sorted(incoming(A)) == ["echo: bob is gone", "echo: hello C", "hello C"], "each message once at the admin"
        out = bot.stdout.read()
        assert out.count("hello C") == 1 and out.count("] bob is gone") == 1, out
        assert f"joined {gid}" in out
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()


def test_group_calls_validate_their_arguments(tmp_path):
    with si.Client(data_dir=tmp_path / "v", seed_url="http://127.0.0.1:1", start=False) as c:
        friend = si.Identity.generate().session_id
        with pytest.raises(si.SessionError) as bad:
            c.create_group("guild", members=["15" + "0" * 64])
        assert bad.value.status == si.Status.E_INVALID_ARGUMENT
        with pytest.raises(TypeError):
            c.create_group("guild", members=friend)    # a str, not a list
        gid = c.create_group("guild", members=[friend])
        assert sorted((m.session_id, m.admin, m.status) for m in c.group_members(gid)) == \
            sorted([(c.session_id, True, 0), (friend, False, 1)])
        with pytest.raises(si.SessionError) as state:
            c.accept_group_invite(gid)
        assert state.value.status == si.Status.E_WRONG_STATE
        with pytest.raises(si.SessionError) as missing:
            c.decline_group_invite("03" + "d" * 64)
        assert missing.value.status == si.Status.E_NOT_FOUND
        with pytest.raises(si.SessionError) as empty:
            c.rename_group(gid, "")
        assert empty.value.status == si.Status.E_INVALID_ARGUMENT
        with pytest.raises(si.SessionError) as long:
            c.set_group_description(gid, "x" * 2001)
        assert long.value.status == si.Status.E_TOO_LARGE
        with pytest.raises(TypeError):
            c.set_group_description(gid, None)
        c.set_group_description(gid, "")   # clears it
        c.delete_group(gid)
        with pytest.raises(si.SessionError) as deleted:
            c.rename_group(gid, "undead")
        assert deleted.value.status == si.Status.E_WRONG_STATE
        c.leave_group(gid)
        with pytest.raises(si.SessionError):
            c.send(gid, "gone")
