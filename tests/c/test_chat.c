/* Issue 14 through the C ABI against a running LocalNet (SESSION_SEED_URL): session_send_ex with
 * every session_message_kind round-trips between two clients as its event, with the appended
 * session_event fields; misuse is refused on the calling thread and queues nothing. */
#include <stdlib.h>
#include <unistd.h>
#include "session.h"
#include "check.h"
#include "localnet.h"

#define MAX_SEEN 64

typedef struct {
    int type, value, taken;
    uint32_t flags, expiry_type, expiry_seconds;
    int64_t timestamp_ms, ref_timestamp_ms;
    char text[64], ref_author[67], emoji[16], display_name[32], conversation[67];
} seen_event;

static seen_event seen[MAX_SEEN];
static int seen_count;

static void copy_str(char* dst, size_t cap, session_str s) {
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(dst, s.data, n);
    dst[n] = '\0';
}

/* The oldest event of type want not yet taken, polling c until one arrives (60 s at most); NULL if none. */
static const seen_event* wait_for(session_client* c, int want) {
    for (int round = 0; round < 600; round++) {
        for (int i = 0; i < seen_count; i++)
            if (seen[i].type == want && !seen[i].taken) { seen[i].taken = 1; return &seen[i]; }
        const session_event* evs[16];
        uint32_t n = 0;
        session_wait(c, 100);
        CHECK_STATUS(session_poll(c, evs, 16, &n), SESSION_OK);
        for (uint32_t i = 0; i < n && seen_count < MAX_SEEN; i++) {
            const session_event* e = evs[i];
            if (e->type == SESSION_EVENT_CONNECTION || e->type == SESSION_EVENT_LOG || e->type == SESSION_EVENT_REQUEST_DONE) continue;
            /* Appended strings are never NULL, and NUL-terminated. */
            if (!(e->ref_author.data && e->emoji.data && e->display_name.data && e->ref_text.data)) { CHECK(0); continue; }
            seen_event* s = &seen[seen_count++];
            s->taken = 0;
            s->type = e->type; s->value = (int)e->value; s->flags = e->flags; s->timestamp_ms = e->timestamp_ms;
            s->ref_timestamp_ms = e->ref_timestamp_ms; s->expiry_type = e->expiry_type; s->expiry_seconds = e->expiry_seconds;
            copy_str(s->text, sizeof s->text, e->text);
            copy_str(s->ref_author, sizeof s->ref_author, e->ref_author);
            copy_str(s->emoji, sizeof s->emoji, e->emoji);
            copy_str(s->display_name, sizeof s->display_name, e->display_name);
            copy_str(s->conversation, sizeof s->conversation, e->conversation);
        }
    }
    CHECK(!"event never arrived");
    return NULL;
}

static session_client* new_client(const char* seed_url, const char* dir, const char* name) {
    session_options* opts = localnet_options(seed_url, dir);
    session_client* c = NULL;
    if (name) CHECK_STATUS(session_options_set_display_name(opts, name), SESSION_OK);
    CHECK_STATUS(session_client_new(opts, &c), SESSION_OK);
    session_options_free(opts);
    CHECK_STATUS(session_client_start(c), SESSION_OK);
    return c;
}

static session_message message(session_message_kind kind) {
    session_message m;
    memset(&m, 0, sizeof m);
    m.struct_size = sizeof m;
    m.kind = kind;
    return m;
}

int main(void) {
    const char* seed_url = getenv("SESSION_SEED_URL");
    if (!seed_url) { fprintf(stderr, "SESSION_SEED_URL is not set (run under scripts/with-localnet.sh)\n"); return SUMMARY("test_chat") + 1; }
    char dir_a[] = "/tmp/session-chat-a-XXXXXX", dir_b[] = "/tmp/session-chat-b-XXXXXX";
    CHECK(mkdtemp(dir_a) && mkdtemp(dir_b));
    session_client* a = new_client(seed_url, dir_a, "Alice");
    session_client* b = new_client(seed_url, dir_b, NULL);
    char id_a[67], id_b[67];
    CHECK_STATUS(session_client_session_id(a, id_a, sizeof id_a, NULL), SESSION_OK);
    CHECK_STATUS(session_client_session_id(b, id_b, sizeof id_b, NULL), SESSION_OK);

    /* Misuse: refused here, nothing queued, *out_request 0. */
    uint64_t rid = 99;
    session_message m = message(SESSION_MESSAGE_TEXT);
    CHECK_STATUS(session_send_ex(a, id_b, NULL, &rid), SESSION_E_NULL_POINTER);
    CHECK(rid == 0);
    CHECK_STATUS(session_send_ex(a, id_b, &m, NULL), SESSION_E_NULL_POINTER);
    m.struct_size = 8;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_E_INVALID_ARGUMENT);
    m = message((session_message_kind)99);
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_E_UNSUPPORTED);
    m = message(SESSION_MESSAGE_TEXT);
    m.attachment_count = 1; /* and no records */
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_E_NULL_POINTER);
    session_attachment_source src = {.struct_size = sizeof src, .data = (const uint8_t*)"x", .data_len = 1};
    m.attachments = &src;
    m.ref_timestamp_ms = 1700000000000; m.ref_author = id_b; /* a reply with attachments: not yet */
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_E_UNSUPPORTED);
    CHECK(rid == 0);
    m = message(SESSION_MESSAGE_TEXT);
    m.flags = SESSION_MESSAGE_FLAG_REMOVE;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_E_UNSUPPORTED);
    m = message(SESSION_MESSAGE_REACTION); /* no emoji, no target */
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_E_INVALID_ARGUMENT);
    m = message(SESSION_MESSAGE_TEXT);
    m.text = (const uint8_t*)"\xff"; m.text_len = 1;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_E_INVALID_UTF8);
    m = message(SESSION_MESSAGE_READ_RECEIPT);
    m.text = (const uint8_t*)"123"; m.text_len = 3; /* not int64_t[] */
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_E_INVALID_ARGUMENT);
    m = message(SESSION_MESSAGE_TEXT);
    m.expiry_type = 2; m.expiry_seconds = 0;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_E_INVALID_ARGUMENT);
    CHECK(rid == 0);

    /* A first message: a request, with the sender's name and a PROFILE event. */
    m = message(SESSION_MESSAGE_TEXT);
    m.text = (const uint8_t*)"hello bob"; m.text_len = 9;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_OK);
    CHECK(rid != 0);
    const seen_event* hello = wait_for(b, SESSION_EVENT_MESSAGE);
    int64_t hello_ts = hello ? hello->timestamp_ms : 0;
    CHECK(hello && strcmp(hello->text, "hello bob") == 0 && strcmp(hello->display_name, "Alice") == 0);
    CHECK(hello && (hello->flags & SESSION_EVENT_FLAG_REQUEST) && !(hello->flags & SESSION_EVENT_FLAG_OUTGOING));
    const seen_event* profile = wait_for(b, SESSION_EVENT_PROFILE);
    CHECK(profile && strcmp(profile->display_name, "Alice") == 0 && strcmp(profile->conversation, id_a) == 0);

    /* Accept, then reply. */
    m = message(SESSION_MESSAGE_ACCEPT_REQUEST);
    CHECK_STATUS(session_send_ex(b, id_a, &m, &rid), SESSION_OK);
    const seen_event* accepted = wait_for(a, SESSION_EVENT_REQUEST_RESPONSE);
    CHECK(accepted && accepted->value == 1);
    m = message(SESSION_MESSAGE_TEXT);
    m.text = (const uint8_t*)"hi alice"; m.text_len = 8;
    m.ref_timestamp_ms = hello_ts; m.ref_author = id_a;
    CHECK_STATUS(session_send_ex(b, id_a, &m, &rid), SESSION_OK);
    const seen_event* reply = wait_for(a, SESSION_EVENT_MESSAGE);
    int64_t reply_ts = reply ? reply->timestamp_ms : 0;
    CHECK(reply && reply->ref_timestamp_ms == hello_ts && strcmp(reply->ref_author, id_a) == 0 && !(reply->flags & SESSION_EVENT_FLAG_REQUEST));

    /* Reaction added and removed. */
    m = message(SESSION_MESSAGE_REACTION);
    m.ref_timestamp_ms = reply_ts; m.ref_author = id_b; m.emoji = "\xf0\x9f\x91\x8d";
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_OK);
    m.flags = SESSION_MESSAGE_FLAG_REMOVE;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_OK);
    const seen_event* r1 = wait_for(b, SESSION_EVENT_REACTION);
    const seen_event* r2 = wait_for(b, SESSION_EVENT_REACTION);
    /* Stored at different swarm members, they may arrive in either order: the sent time orders them. */
    if (r1 && r2 && r2->timestamp_ms < r1->timestamp_ms) { const seen_event* t = r1; r1 = r2; r2 = t; }
    CHECK(r1 && r1->ref_timestamp_ms == reply_ts && strcmp(r1->emoji, "\xf0\x9f\x91\x8d") == 0 && r1->value == 0);
    CHECK(r2 && r2->value == 1);

    /* Read receipt for two messages: one event each. */
    int64_t read[2] = { reply_ts, reply_ts + 1 };
    m = message(SESSION_MESSAGE_READ_RECEIPT);
    m.text = (const uint8_t*)read; m.text_len = sizeof read;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_OK);
    const seen_event* rc1 = wait_for(b, SESSION_EVENT_RECEIPT);
    const seen_event* rc2 = wait_for(b, SESSION_EVENT_RECEIPT);
    CHECK(rc1 && rc2 && rc1->ref_timestamp_ms == reply_ts && rc2->ref_timestamp_ms == reply_ts + 1);

    /* Typing started and stopped. */
    m = message(SESSION_MESSAGE_TYPING);
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_OK);
    m.flags = SESSION_MESSAGE_FLAG_STOPPED;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_OK);
    const seen_event* t1 = wait_for(b, SESSION_EVENT_TYPING);
    const seen_event* t2 = wait_for(b, SESSION_EVENT_TYPING);
    CHECK(t1 && t2 && t1->value == 1 && t2->value == 0);

    /* Unsend our first message. */
    m = message(SESSION_MESSAGE_UNSEND);
    m.ref_timestamp_ms = hello_ts;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_OK);
    const seen_event* un = wait_for(b, SESSION_EVENT_UNSEND);
    CHECK(un && un->ref_timestamp_ms == hello_ts && strcmp(un->ref_author, id_a) == 0);

    /* A disappearing message, and a conversation setting later messages follow. */
    m = message(SESSION_MESSAGE_TEXT);
    m.text = (const uint8_t*)"poof"; m.text_len = 4; m.expiry_type = 2; m.expiry_seconds = 60;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_OK);
    const seen_event* poof = wait_for(b, SESSION_EVENT_MESSAGE);
    CHECK(poof && strcmp(poof->text, "poof") == 0 && poof->expiry_type == 2 && poof->expiry_seconds == 60);
    m = message(SESSION_MESSAGE_EXPIRY_SETTINGS);
    m.expiry_type = 1; m.expiry_seconds = 300;
    CHECK_STATUS(session_send_ex(a, id_b, &m, &rid), SESSION_OK);
    CHECK_STATUS(session_send(a, id_b, (const uint8_t*)"setting", 7, 0, &rid), SESSION_OK);
    const seen_event* set = wait_for(b, SESSION_EVENT_MESSAGE);
    CHECK(set && strcmp(set->text, "setting") == 0 && set->expiry_type == 1 && set->expiry_seconds == 300);

    session_client_free(a);
    session_client_free(b);
    return SUMMARY("test_chat");
}
