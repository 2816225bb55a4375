"""Reads the soak workers' journals (see worker.py) and counts lost, duplicated and phantom messages.

Lost: a message whose "Q" line exists (the app was told it was queued) that some recipient never
got: the 1:1 peer, or, for the room, every other client.
Duplicate: the same text delivered twice to one client. It is explained when its earlier copy was
in the last batch that life of the worker polled and never released (killed before its next poll),
or in the batch before it, released by that last poll but whose acknowledgement a library thread
had not yet written when the kill came (docs/delivery.md): the library delivers unacknowledged
events again after a restart, by design (docs/reliability.md).
A room post is different: SOGS gives every POST a new id, so a sender killed after the server
stored its post but before the outbox completed it (or one whose reply was lost) posts the same
signed bytes again and members see two messages. Such duplicates are counted apart
(resent_room_posts), as a known open bug (docs/reliability.md); restarted_posts counts the posts
whose sender was killed between queueing and completion, the crash half of the cause.
Phantom: a delivered text that no "P" line announced.
"""
import os


def read_journal(path):
    """(announced seqs, queued {seq: dest}, deliveries [(batch, kind, text)], lives, seqs restarted before completion)."""
    announced, queued, deliveries = set(), {}, []
    lives, life = [], None
    pending, restarted = {}, set()  # request id -> seq, while no REQUEST_DONE
    if not os.path.exists(path):
        return announced, queued, deliveries, lives, restarted
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.endswith("\n"):
                break  # the last line of a killed life may be cut short
            parts = line.rstrip("\n").split(" ")
            tag = parts[0]
            if tag == "P" and len(parts) == 3:
                announced.add(int(parts[1]))
            elif tag == "Q" and len(parts) == 4:
                queued[int(parts[1])] = parts[2]
                pending[parts[3]] = int(parts[1])
            elif tag == "D" and len(parts) == 3:
                pending.pop(parts[1], None)
            elif tag == "L":
                life = None
                restarted.update(pending.values())
            elif tag == "B" and len(parts) == 2:
                batch = int(parts[1])
                if life is None:
                    life = {"first": batch, "last": batch}
                    lives.append(life)
                life["last"] = batch
            elif tag == "M" and len(parts) >= 4:
                deliveries.append((int(parts[1]), parts[2], parts[3]))
    return announced, queued, deliveries, lives, restarted


def check_journals(out, names):
    journals = {n: read_journal(os.path.join(out, n, "journal")) for n in names}
    # The batch polled last in each life was never released (the next poll releases the previous
    # one); the one before may have been released without the acknowledgement reaching the disk.
    unreleased = {n: {b for life in journals[n][3] for b in (life["last"], life["last"] - 1)} for n in names}
    expected = {}  # (recipient, text) -> sender
    queued_total = 0
    for sender in names:
        queued = journals[sender][1]
        for seq, dest in queued.items():
            queued_total += 1
            text = f"{sender}:{seq}:{dest}"
            for recipient in ([dest] if dest != "room" else [n for n in names if n != sender]):
                expected[(recipient, text)] = sender
    lost, dups, unexplained, phantoms, delivered, resent = 0, 0, 0, 0, 0, 0
    lost_list, unexplained_examples = [], []
    for recipient in names:
        first_seen = {}
        for batch, kind, text in journals[recipient][2]:
            sender, _, rest = text.partition(":")
            seq = rest.split(":", 1)[0]
            if sender not in journals or not seq.isdigit() or int(seq) not in journals[sender][0]:
                phantoms += 1
                continue
            if text in first_seen:
                dups += 1
                if first_seen[text] in unreleased[recipient]:
                    continue
                if kind == "room":
                    resent += 1
                else:
                    unexplained += 1
                    unexplained_examples.append(f"{recipient} got {text} again (first in released batch {first_seen[text]})")
                continue
            first_seen[text] = batch
            delivered += 1
        for (r, text), sender in expected.items():
            if r == recipient and text not in first_seen:
                lost += 1
                lost_list.append((recipient, text))
    return {
        "queued": queued_total, "expected_deliveries": len(expected), "delivered": delivered, "lost": lost,
        "duplicates": dups, "resent_room_posts": resent,
        "restarted_posts": sum(1 for n in names for seq in journals[n][4] if journals[n][1].get(seq) == "room"), "unexplained_duplicates": unexplained, "phantoms": phantoms,
        "lost_list": lost_list, "unexplained_examples": unexplained_examples[:10],
    }
