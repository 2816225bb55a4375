/* Communities through the C ABI against a running LocalNet (SESSION_SEED_URL,
 * SESSION_COMMUNITY_URL): join/leave with misuse, two clients chatting in a room and a blinded DM,
 * every request through onion v4. Built with -Werror, run plain and under AddressSanitizer. */
#include <stdlib.h>
#include <unistd.h>
#include "session.h"
#include "check.h"
#include "localnet.h"

static const char* seed_url;

static session_client* new_client(const char* dir) {
    session_options* opts = localnet_options(seed_url, dir);
    session_client* c = NULL;
    CHECK_STATUS(session_client_new(opts, &c), SESSION_OK);
    session_options_free(opts);
    return c;
}

/* Waits (up to 30 s) for a MESSAGE with text `want` whose conversation contains `where` (the room
 * keeps earlier runs' history); copies conversation, sender and text. */
static int wait_message(session_client* c, const char* where, const char* want, char* conversation, char* sender, char* text, size_t cap) {
    for (int round = 0; round < 300; round++) {
        session_wait(c, 100);
        const session_event* evs[16];
        uint32_t n = 0;
        CHECK_STATUS(session_poll(c, evs, 16, &n), SESSION_OK);
        for (uint32_t i = 0; i < n; i++) {
            const session_event* ev = evs[i];
            if (ev->type != SESSION_EVENT_MESSAGE || !strstr(ev->conversation.data, where) || strcmp(ev->text.data, want) != 0) continue;
            if (ev->conversation.len >= cap || ev->sender.len >= cap || ev->text.len >= cap) return 0;
            memcpy(conversation, ev->conversation.data, ev->conversation.len + 1);
            memcpy(sender, ev->sender.data, ev->sender.len + 1);
            memcpy(text, ev->text.data, ev->text.len + 1);
            return 1;
        }
    }
    return 0;
}

int main(void) {
    seed_url = getenv("SESSION_SEED_URL");
    const char* url = getenv("SESSION_COMMUNITY_URL");
    if (!seed_url || !url) { fprintf(stderr, "SESSION_SEED_URL/SESSION_COMMUNITY_URL not set (run under scripts/with-localnet.sh)\n"); return SUMMARY("test_community") + 1; }
    char dir_a[] = "/tmp/session-c-ca-XXXXXX", dir_b[] = "/tmp/session-c-cb-XXXXXX";
    CHECK(mkdtemp(dir_a) && mkdtemp(dir_b));
    session_client* a = new_client(dir_a);
    session_client* b = new_client(dir_b);

    /* Join: size query, too small, misuse, then the real thing (idempotent). */
    size_t needed = 0;
    char room[512], small[8];
    CHECK_STATUS(session_join_community(a, url, NULL, 0, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(needed == strlen(url) + 1);
    CHECK_STATUS(session_join_community(a, url, small, sizeof small, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK_STATUS(session_join_community(a, NULL, room, sizeof room, &needed), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_join_community(NULL, url, room, sizeof room, &needed), SESSION_E_INVALID_HANDLE);
    CHECK_STATUS(session_join_community(a, "http://127.0.0.1/a/b?public_key=00", room, sizeof room, &needed), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_join_community(a, url, room, sizeof room, &needed), SESSION_OK);
    CHECK(strcmp(room, url) == 0);
    char room_b[512];
    CHECK_STATUS(session_join_community(b, url, room_b, sizeof room_b, NULL), SESSION_OK);
    CHECK(strcmp(room, room_b) == 0);

    CHECK_STATUS(session_client_start(a), SESSION_OK);
    CHECK_STATUS(session_client_start(b), SESSION_OK);

    /* a posts; b sees it in the room with a's blinded id. */
    uint64_t rid = 0;
    char hello[64];
    snprintf(hello, sizeof hello, "hello from C %d", (int)getpid());
    CHECK_STATUS(session_send(a, room, (const uint8_t*)hello, strlen(hello), 0, &rid), SESSION_OK);
    CHECK(rid != 0);
    char conv[512], sender[512], text[512];
    CHECK(wait_message(b, "/lobby?", hello, conv, sender, text, sizeof conv));
    CHECK(strcmp(conv, room) == 0);
    CHECK(strcmp(text, hello) == 0);
    CHECK(strncmp(sender, "15", 2) == 0 && strlen(sender) == 66);

    /* b answers a privately: the DM conversation is the server's /inbox/<blinded id>. */
    char dm[600];
    const char* query = strchr(room, '?');
    const char* slash = strrchr(room, '/');
    CHECK(query && slash);
    snprintf(dm, sizeof dm, "%.*s/inbox/%s%s", (int)(slash - room), room, sender, query);
    CHECK_STATUS(session_send(b, dm, (const uint8_t*)"just for you", 12, 0, &rid), SESSION_OK);
    char dm_conv[512], dm_sender[512], dm_text[512];
    CHECK(wait_message(a, "/inbox/", "just for you", dm_conv, dm_sender, dm_text, sizeof dm_conv));
    CHECK(strcmp(dm_text, "just for you") == 0);
    CHECK(strncmp(dm_sender, "15", 2) == 0 && strcmp(dm_sender, sender) != 0);

    /* Leave: once OK, then not found; posting is refused afterwards. */
    CHECK_STATUS(session_leave_community(a, room), SESSION_OK);
    CHECK_STATUS(session_leave_community(a, room), SESSION_E_NOT_FOUND);
    CHECK_STATUS(session_leave_community(a, NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_send(a, room, (const uint8_t*)"x", 1, 0, &rid), SESSION_E_NOT_FOUND);

    session_client_free(a);
    session_client_free(b);
    return SUMMARY("test_community");
}
