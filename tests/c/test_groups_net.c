/* Closed groups through the C ABI over a running LocalNet (issue 17, SESSION_SEED_URL): three clients
 * form a group (GROUP_INVITE, accept), all three talk (each message reaches each other member exactly
 * once, conversation = group, sender = the member), the admin removes one (it is told, and receives
 * nothing new while the other two keep talking), a rename and a promotion reach every remaining
 * member, session_group_members agrees, and a restart (free + a new client on the same data dir)
 * loses and repeats nothing. Liveness only: every wait is bounded generously, nothing is timed. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "session.h"
#include "check.h"
#include "localnet.h"

#define MAX_SEEN 256
#define WAIT_SECONDS 150   /* a liveness bound per step, generous for a loaded machine; never a timing */

typedef struct {
    int type, value, taken;
    uint32_t flags;
    char text[160], sender[67], conversation[67];
} seen_event;

/* One client and every event it reported (MESSAGE, GROUP_INVITE, GROUP_UPDATE), kept for the counts. */
typedef struct {
    session_client* c;
    char id[67];
    seen_event seen[MAX_SEEN];
    int count;
} member;

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void copy_str(char* dst, size_t cap, session_str s) {
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    if (n) memcpy(dst, s.data, n);
    dst[n] = '\0';
}

/* Polls m once (waiting up to 100 ms) and keeps what it reported. */
static void pump(member* m) {
    const session_event* evs[32];
    uint32_t n = 0;
    session_wait(m->c, 100);
    CHECK_STATUS(session_poll(m->c, evs, 32, &n), SESSION_OK);
    for (uint32_t i = 0; i < n; i++) {
        const session_event* e = evs[i];
        if (e->type != SESSION_EVENT_MESSAGE && e->type != SESSION_EVENT_GROUP_INVITE && e->type != SESSION_EVENT_GROUP_UPDATE) continue;
        if (m->count == MAX_SEEN) { CHECK(!"too many events"); return; }
        seen_event* s = &m->seen[m->count++];
        s->taken = 0;
        s->type = e->type; s->value = (int)e->value; s->flags = e->flags;
        copy_str(s->text, sizeof s->text, e->text);
        copy_str(s->sender, sizeof s->sender, e->sender);
        copy_str(s->conversation, sizeof s->conversation, e->conversation);
    }
}

/* The oldest untaken event of type (and value, unless -1; and text, unless NULL) in conversation gid. */
static const seen_event* find(member* m, const char* gid, int type, int value, const char* text) {
    for (int i = 0; i < m->count; i++) {
        seen_event* s = &m->seen[i];
        if (!s->taken && s->type == type && (value < 0 || s->value == value) && strcmp(s->conversation, gid) == 0
            && (!text || strcmp(s->text, text) == 0)) { s->taken = 1; return s; }
    }
    return NULL;
}

/* Waits for find(...) to succeed, pumping every other client too so none of them falls behind. */
static const seen_event* wait_for(member* m, member** all, int n_all, const char* gid, int type, int value, const char* text) {
    for (double end = now_s() + WAIT_SECONDS; now_s() < end;) {
        const seen_event* s = find(m, gid, type, value, text);
        if (s) return s;
        pump(m);
        for (int i = 0; i < n_all; i++) if (all[i] != m && all[i]->c) pump(all[i]);
    }
    const seen_event* late = find(m, gid, type, value, text);   /* pumped in the last round */
    if (late) return late;
    fprintf(stderr, "never arrived: type %d value %d text \"%s\" at %.10s…\n", type, value, text ? text : "*", m->id);
    CHECK(!"event never arrived");
    return NULL;
}

/* How many MESSAGE events with this text m reported in gid (incoming, or our own when outgoing). */
static int messages(const member* m, const char* gid, const char* text, int outgoing) {
    int n = 0;
    for (int i = 0; i < m->count; i++) {
        const seen_event* s = &m->seen[i];
        if (s->type == SESSION_EVENT_MESSAGE && strcmp(s->conversation, gid) == 0 && strcmp(s->text, text) == 0
            && !!(s->flags & SESSION_EVENT_FLAG_OUTGOING) == outgoing) n++;
    }
    return n;
}

static int count_type(const member* m, const char* gid, int type) {
    int n = 0;
    for (int i = 0; i < m->count; i++) n += m->seen[i].type == type && strcmp(m->seen[i].conversation, gid) == 0;
    return n;
}

static void open_member(member* m, const char* seed_url, const char* dir) {
    session_options* opts = localnet_options(seed_url, dir);
    m->c = NULL;
    CHECK_STATUS(session_client_new(opts, &m->c), SESSION_OK);
    session_options_free(opts);
    CHECK_STATUS(session_client_start(m->c), SESSION_OK);
    CHECK_STATUS(session_client_session_id(m->c, m->id, sizeof m->id, NULL), SESSION_OK);
}

static void send_text(member* m, const char* gid, const char* text) {
    uint64_t request = 0;
    CHECK_STATUS(session_send(m->c, gid, (const uint8_t*)text, strlen(text), 0, &request), SESSION_OK);
    CHECK(request != 0);
}

static const session_group_member* record_at(const session_group_member* first, uint32_t i) {
    return (const session_group_member*)((const char*)first + (size_t)i * first->struct_size);
}

/* m's view of who is in gid: 1 when it is exactly want_count members, ids[i] with admin flag admins[i]
 * and status 0 (joined) for each; otherwise 0. */
static int members_are(member* m, const char* gid, int want_count, const char* const* ids, const int* admins) {
    session_group_member* list = NULL;
    uint32_t count = 0;
    if (session_group_members(m->c, gid, &list, &count) != SESSION_OK) return 0;
    int ok = (int)count == want_count;
    for (int w = 0; ok && w < want_count; w++) {
        int found = 0;
        for (uint32_t i = 0; i < count; i++) {
            const session_group_member* r = record_at(list, i);
            if (strcmp(r->session_id.data, ids[w]) == 0) found = r->admin == admins[w] && r->status == 0;
        }
        ok = found;
    }
    session_free(list);
    return ok;
}

/* Waits (pumping everyone) until m's member list is as given. */
static int wait_members(member* m, member** all, int n_all, const char* gid, int want_count, const char* const* ids, const int* admins) {
    for (double end = now_s() + WAIT_SECONDS; now_s() < end;) {
        if (members_are(m, gid, want_count, ids, admins)) return 1;
        for (int i = 0; i < n_all; i++) if (all[i]->c) pump(all[i]);
    }
    if (members_are(m, gid, want_count, ids, admins)) return 1;
    session_group_member* list = NULL;
    uint32_t count = 0;
    if (session_group_members(m->c, gid, &list, &count) == SESSION_OK) {
        fprintf(stderr, "members at %.10s…, want %d:", m->id, want_count);
        for (uint32_t i = 0; i < count; i++) {
            const session_group_member* r = record_at(list, i);
            fprintf(stderr, " %.10s… admin %d status %d;", r->session_id.data, r->admin, r->status);
        }
        fprintf(stderr, "\n");
        session_free(list);
    }
    return 0;
}

int main(void) {
    const char* seed_url = getenv("SESSION_SEED_URL");
    if (!seed_url) { fprintf(stderr, "SESSION_SEED_URL is not set (run under scripts/with-localnet.sh)\n"); return SUMMARY("test_groups_net") + 1; }
    char dir_a[] = "/tmp/session-gnet-a-XXXXXX", dir_b[] = "/tmp/session-gnet-b-XXXXXX", dir_c[] = "/tmp/session-gnet-c-XXXXXX";
    CHECK(mkdtemp(dir_a) && mkdtemp(dir_b) && mkdtemp(dir_c));
    static member alice, bob, carol;
    member* all[] = { &alice, &bob, &carol };
    open_member(&alice, seed_url, dir_a);
    open_member(&bob, seed_url, dir_b);
    open_member(&carol, seed_url, dir_c);

    /* Alice creates the group; Bob and Carol are invited and accept. */
    const char* invitees[] = { bob.id, carol.id };
    char gid[67];
    CHECK_STATUS(session_create_group(alice.c, "guild", invitees, 2, gid, sizeof gid, NULL), SESSION_OK);
    CHECK(strlen(gid) == 66 && gid[0] == '0' && gid[1] == '3');
    member* invited[] = { &bob, &carol };
    for (int i = 0; i < 2; i++) {
        member* m = invited[i];
        const seen_event* invite = wait_for(m, all, 3, gid, SESSION_EVENT_GROUP_INVITE, -1, NULL);
        CHECK(invite && strcmp(invite->sender, alice.id) == 0 && strcmp(invite->text, "guild") == 0);
        uint64_t request = 0;
        CHECK_STATUS(session_send(m->c, gid, (const uint8_t*)"too early", 9, 0, &request), SESSION_E_WRONG_STATE);
        CHECK_STATUS(session_accept_group_invite(m->c, gid), SESSION_OK);
        CHECK_STATUS(session_accept_group_invite(m->c, gid), SESSION_E_WRONG_STATE);
    }
    /* MEMBERS_ADDED from the group's swarm: the keys arrived, so they can write. */
    for (int i = 0; i < 2; i++) {
        const seen_event* added = wait_for(invited[i], all, 3, gid, SESSION_EVENT_GROUP_UPDATE, SESSION_GROUP_UPDATE_MEMBERS_ADDED, NULL);
        CHECK(added && strcmp(added->sender, alice.id) == 0);
    }
    const char* trio[] = { alice.id, bob.id, carol.id };
    const int trio_admins[] = { 1, 0, 0 };
    CHECK(wait_members(&alice, all, 3, gid, 3, trio, trio_admins));   /* both acceptances reached the admin */

    /* All three talk: every message reaches the two others, from its sender, in the group. */
    const char* texts[] = { "from alice", "from bob", "from carol" };
    for (int i = 0; i < 3; i++) send_text(all[i], gid, texts[i]);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            if (i == j) continue;
            const seen_event* got = wait_for(all[j], all, 3, gid, SESSION_EVENT_MESSAGE, -1, texts[i]);
            CHECK(got && strcmp(got->sender, all[i]->id) == 0 && !(got->flags & SESSION_EVENT_FLAG_OUTGOING));
        }

    /* Alice removes Carol: Carol is told, Bob sees the removal, Carol can no longer write. */
    const char* leaving[] = { carol.id };
    CHECK_STATUS(session_remove_group_members(alice.c, gid, leaving, 1), SESSION_OK);
    CHECK(wait_for(&carol, all, 3, gid, SESSION_EVENT_GROUP_UPDATE, SESSION_GROUP_UPDATE_KICKED, NULL) != NULL);
    char removed_text[80];
    snprintf(removed_text, sizeof removed_text, "removed: %s", carol.id);
    const seen_event* removed = wait_for(&bob, all, 3, gid, SESSION_EVENT_GROUP_UPDATE, SESSION_GROUP_UPDATE_MEMBERS_REMOVED, removed_text);
    CHECK(removed && strcmp(removed->sender, alice.id) == 0);
    uint64_t refused = 0;
    CHECK_STATUS(session_send(carol.c, gid, (const uint8_t*)"still here?", 11, 0, &refused), SESSION_E_WRONG_STATE);

    /* The other two keep talking. */
    send_text(&bob, gid, "carol is gone");
    send_text(&alice, gid, "just us two");
    CHECK(wait_for(&alice, all, 3, gid, SESSION_EVENT_MESSAGE, -1, "carol is gone") != NULL);
    CHECK(wait_for(&bob, all, 3, gid, SESSION_EVENT_MESSAGE, -1, "just us two") != NULL);

    /* A rename and a promotion reach every remaining member: Alice renames and promotes Bob, who
     * renames in turn as the new admin. */
    CHECK_STATUS(session_rename_group(alice.c, gid, "guild of two"), SESSION_OK);
    CHECK(wait_for(&bob, all, 3, gid, SESSION_EVENT_GROUP_UPDATE, SESSION_GROUP_UPDATE_RENAMED, "guild of two") != NULL);
    CHECK_STATUS(session_promote_group_admin(alice.c, gid, bob.id), SESSION_OK);
    CHECK(wait_for(&bob, all, 3, gid, SESSION_EVENT_GROUP_UPDATE, SESSION_GROUP_UPDATE_PROMOTED_ME, NULL) != NULL);
    CHECK_STATUS(session_rename_group(bob.c, gid, "bob's guild"), SESSION_OK);
    CHECK(wait_for(&alice, all, 3, gid, SESSION_EVENT_GROUP_UPDATE, SESSION_GROUP_UPDATE_RENAMED, "bob's guild") != NULL);
    const char* duo[] = { alice.id, bob.id };
    const int duo_admins[] = { 1, 1 };
    CHECK(wait_members(&alice, all, 3, gid, 2, duo, duo_admins));
    CHECK(wait_members(&bob, all, 3, gid, 2, duo, duo_admins));

    /* Exactly once, so far: each message once at each other member. */
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (i != j) CHECK(messages(all[j], gid, texts[i], 0) == 1);
    CHECK(messages(&alice, gid, "carol is gone", 0) == 1 && messages(&bob, gid, "just us two", 0) == 1);
    CHECK(count_type(&bob, gid, SESSION_EVENT_GROUP_INVITE) == 1 && count_type(&carol, gid, SESSION_EVENT_GROUP_INVITE) == 1);

    /* Bob restarts: a message sent while he is away arrives once, and nothing he reported before
     * comes again (an event first seen after the restart is fine; the same event twice is not). */
    CHECK(wait_for(&bob, all, 3, gid, SESSION_EVENT_MESSAGE, -1, "carol is gone") != NULL);   /* his own, polled back */
    static member bob_before;
    bob_before = bob;
    session_client_free(bob.c);
    bob.c = NULL;
    bob.count = 0;
    send_text(&alice, gid, "while bob was away");
    open_member(&bob, seed_url, dir_b);
    CHECK(wait_for(&bob, all, 3, gid, SESSION_EVENT_MESSAGE, -1, "while bob was away") != NULL);
    send_text(&alice, gid, "after restart");
    CHECK(wait_for(&bob, all, 3, gid, SESSION_EVENT_MESSAGE, -1, "after restart") != NULL);
    CHECK(wait_members(&bob, all, 3, gid, 2, duo, duo_admins));   /* still an admin after the restart */
    CHECK(messages(&bob, gid, "while bob was away", 0) == 1 && messages(&bob, gid, "after restart", 0) == 1);
    int repeated = 0;
    for (int i = 0; i < bob.count; i++)
        for (int j = 0; j < bob_before.count; j++) {
            const seen_event *x = &bob.seen[i], *y = &bob_before.seen[j];
            if (x->type == y->type && x->value == y->value && strcmp(x->text, y->text) == 0 && strcmp(x->sender, y->sender) == 0) {
                fprintf(stderr, "repeated after the restart: type %d value %d \"%s\"\n", x->type, x->value, x->text);
                repeated++;
            }
        }
    CHECK(repeated == 0);
    CHECK(count_type(&bob, gid, SESSION_EVENT_GROUP_INVITE) == 0);

    /* Carol, removed, got nothing of what was said after: only the first two messages of the others. */
    for (int round = 0; round < 20; round++) pump(&carol);
    int carol_incoming = 0;
    for (int i = 0; i < carol.count; i++)
        carol_incoming += carol.seen[i].type == SESSION_EVENT_MESSAGE && !(carol.seen[i].flags & SESSION_EVENT_FLAG_OUTGOING);
    CHECK(carol_incoming == 2);
    const char* after[] = { "carol is gone", "just us two", "while bob was away", "after restart" };
    for (int i = 0; i < 4; i++) CHECK(messages(&carol, gid, after[i], 0) == 0);
    CHECK(find(&carol, gid, SESSION_EVENT_GROUP_UPDATE, SESSION_GROUP_UPDATE_RENAMED, NULL) == NULL);

    for (int i = 0; i < 3; i++) session_client_free(all[i]->c);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s %s", dir_a, dir_b, dir_c);
    CHECK(system(cmd) == 0);
    return SUMMARY("test_groups_net");
}
