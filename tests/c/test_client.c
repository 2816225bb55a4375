/* The messaging ABI against a running LocalNet (SESSION_SEED_URL): lifecycle, send, poll,
 * dispatch, wait/interrupt, callbacks, and misuse of every kind. Built with -Werror, run plain and
 * under AddressSanitizer. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include "session.h"
#include "check.h"
#include "localnet.h"

static const char* seed_url;
static pthread_t main_thread;
static atomic_int wakeups, log_records, freed_users;

static void on_wakeup(void* user) { (void)user; atomic_fetch_add(&wakeups, 1); }
static void on_log(void* user, session_log_level level, const char* category, const char* message, size_t len) {
    (void)user; (void)level;
    if (category && message && strlen(message) == len) atomic_fetch_add(&log_records, 1);
}
static void on_free_user(void* user) { (void)user; atomic_fetch_add(&freed_users, 1); }

static session_client* new_client(const char* dir) {
    session_options* opts = localnet_options(seed_url, dir);
    session_client* c = NULL;
    CHECK_STATUS(session_options_set_display_name(opts, "c test"), SESSION_OK);
    CHECK_STATUS(session_options_set_wakeup(opts, on_wakeup, NULL, on_free_user), SESSION_OK);
    CHECK_STATUS(session_options_set_log(opts, SESSION_LOG_DEBUG, on_log, NULL, on_free_user), SESSION_OK);
    CHECK_STATUS(session_client_new(opts, &c), SESSION_OK);
    session_options_free(opts); /* the client keeps what it needs */
    return c;
}

typedef struct { int messages, done, done_ok, other_thread, reentrant_refused, sends_from_handler; uint64_t last_request; } tally;

/* Polls until want_messages MESSAGE and want_done REQUEST_DONE events were seen (or 60 s pass). */
static void drain(session_client* c, tally* t, int want_messages, int want_done) {
    for (int round = 0; round < 600 && (t->messages < want_messages || t->done < want_done); round++) {
        session_wait(c, 100);
        const session_event* evs[16];
        uint32_t n = 0;
        CHECK_STATUS(session_poll(c, evs, 16, &n), SESSION_OK);
        for (uint32_t i = 0; i < n; i++) {
            CHECK(evs[i]->struct_size >= sizeof(session_event));
            CHECK(evs[i]->text.data != NULL && evs[i]->text.data[evs[i]->text.len] == '\0');
            if (evs[i]->type == SESSION_EVENT_MESSAGE) t->messages++;
            if (evs[i]->type == SESSION_EVENT_REQUEST_DONE) {
                t->done++;
                if (evs[i]->status == SESSION_OK) t->done_ok++;
                t->last_request = evs[i]->request_id;
            }
        }
    }
}

static void on_message(void* user, const session_event* ev) {
    tally* t = user;
    t->messages++;
    if (!pthread_equal(pthread_self(), main_thread)) t->other_thread++;
    /* Re-entering the consumer calls is refused; other calls are allowed. */
    const session_event* evs[1];
    uint32_t n = 0;
    if (session_poll((session_client*)t->last_request, evs, 1, &n) == SESSION_E_WRONG_STATE) t->reentrant_refused++;
    uint64_t rid = 0;
    if (session_send((session_client*)t->last_request, ev->sender.data, (const uint8_t*)"ack", 3, 0, &rid) == SESSION_OK) t->sends_from_handler++;
}

static void on_any(void* user, const session_event* ev) {
    tally* t = user;
    (void)ev;
    if (!pthread_equal(pthread_self(), main_thread)) t->other_thread++;
}

static void* interrupt_later(void* c) {
    usleep(100000);
    session_interrupt((session_client*)c);
    return NULL;
}

int main(void) {
    main_thread = pthread_self();
    seed_url = getenv("SESSION_SEED_URL");
    if (!seed_url) { fprintf(stderr, "SESSION_SEED_URL is not set (run under scripts/with-localnet.sh)\n"); return SUMMARY("test_client") + 1; }
    char dir_a[] = "/tmp/session-c-a-XXXXXX", dir_b[] = "/tmp/session-c-b-XXXXXX";
    CHECK(mkdtemp(dir_a) && mkdtemp(dir_b));

    /* Options misuse. */
    session_options* opts = NULL;
    CHECK_STATUS(session_options_new(NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_options_new(&opts), SESSION_OK);
    CHECK_STATUS(session_options_set_data_dir(opts, NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_options_set_data_dir(opts, "\xc3\x28"), SESSION_E_INVALID_UTF8);
    CHECK_STATUS(session_options_set_i64(opts, "no.such.key", 1), SESSION_E_UNSUPPORTED);
    CHECK_STATUS(session_options_set_i64(opts, "send.max_pending", -5), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_db_key(opts, (const uint8_t*)"k", 0), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_identity_seed(opts, (const uint8_t*)"short", 5), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_identity_mnemonic(opts, "zzz yyy"), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_add_seed_url(opts, "not a url"), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_log_as_events(opts, 42), SESSION_E_INVALID_ARGUMENT);
    session_client* c = (session_client*)1;
    CHECK_STATUS(session_client_new(opts, &c), SESSION_E_INVALID_ARGUMENT); /* no data dir */
    CHECK(c == NULL);
    session_options_free(opts);
    CHECK_STATUS(session_options_set_data_dir(opts, dir_a), SESSION_E_INVALID_HANDLE); /* freed */
    CHECK_STATUS(session_client_new(opts, &c), SESSION_E_INVALID_HANDLE);
    session_options_free(opts); /* double free: ignored */

    /* Two clients. */
    session_client* a = new_client(dir_a);
    session_client* b = new_client(dir_b);
    char id_a[67], id_b[67];
    size_t needed = 0;
    CHECK_STATUS(session_client_session_id(a, id_a, sizeof id_a, NULL), SESSION_OK);
    CHECK_STATUS(session_client_session_id(b, id_b, sizeof id_b, NULL), SESSION_OK);
    CHECK_STATUS(session_client_mnemonic(a, NULL, 0, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(needed > 40 && needed < 200);
    CHECK_STATUS(session_client_session_id((session_client*)a, NULL, 0, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(needed == 67);

    /* Send misuse: nothing is queued by a refused send. */
    uint64_t rid = 99;
    CHECK_STATUS(session_send(a, NULL, (const uint8_t*)"x", 1, 0, &rid), SESSION_E_NULL_POINTER);
    CHECK(rid == 0);
    CHECK_STATUS(session_send(a, "15aabb", (const uint8_t*)"x", 1, 0, &rid), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_send(a, id_b, (const uint8_t*)"\xff\xfe", 2, 0, &rid), SESSION_E_INVALID_UTF8);
    CHECK_STATUS(session_send(a, id_b, (const uint8_t*)"x", 1, 7, &rid), SESSION_E_UNSUPPORTED);
    CHECK_STATUS(session_send(a, id_b, (const uint8_t*)"x", 1, 0, NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_send(a, id_b, NULL, 5, 0, &rid), SESSION_E_NULL_POINTER);
    size_t big_len = session_max_text_bytes() + 1;
    char* big = malloc(big_len);
    memset(big, 'a', big_len);
    CHECK_STATUS(session_send(a, id_b, (const uint8_t*)big, big_len, 0, &rid), SESSION_E_TOO_LARGE);
    CHECK_STATUS(session_send(a, id_b, (const uint8_t*)big, big_len - 1, 0, &rid), SESSION_OK); /* the maximum */
    free(big);

    /* Poll bounds: capacity 0 and 1; NULL out pointers. */
    uint32_t n = 5;
    CHECK_STATUS(session_poll(a, NULL, 0, &n), SESSION_OK);
    CHECK(n == 0);
    const session_event* one[1];
    CHECK_STATUS(session_poll(a, one, 1, &n), SESSION_OK);
    CHECK(n <= 1);
    CHECK_STATUS(session_poll(a, NULL, 4, &n), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_poll(a, one, 1, NULL), SESSION_E_NULL_POINTER);

    /* Wait times out, and an interrupt from another thread ends it early. */
    CHECK_STATUS(session_wait(b, 50), SESSION_E_TIMEOUT);
    pthread_t t;
    pthread_create(&t, NULL, interrupt_later, b);
    CHECK_STATUS(session_wait(b, 10000), SESSION_OK);
    pthread_join(t, NULL);

    /* Real traffic over onion paths. */
    CHECK_STATUS(session_client_start(a), SESSION_OK);
    CHECK_STATUS(session_client_start(b), SESSION_OK);
    CHECK_STATUS(session_client_start(a), SESSION_E_WRONG_STATE);
    for (int i = 0; i < 3; i++) {
        char text[32];
        int len = snprintf(text, sizeof text, "code %d: 48213%d", i, i);
        CHECK_STATUS(session_send(a, id_b, (const uint8_t*)text, (size_t)len, 0, &rid), SESSION_OK);
        CHECK(rid != 0);
    }
    tally at_a = {0};
    drain(a, &at_a, 0, 4 + (n == 1 && one[0]->type == SESSION_EVENT_REQUEST_DONE ? 0 : 0));
    CHECK(at_a.done >= 4 && at_a.done_ok == at_a.done);

    /* Bob drains with session_dispatch: handlers on this thread; re-entrant poll refused, send allowed. */
    tally at_b = {0};
    at_b.last_request = (uint64_t)(uintptr_t)b; /* the handler's way to reach the client */
    session_handlers h;
    memset(&h, 0, sizeof h);
    h.struct_size = sizeof h;
    h.on_message = on_message;
    h.on_request_done = on_any;
    h.on_connection = on_any;
    h.on_other = on_any;
    for (int round = 0; round < 600 && at_b.messages < 4; round++) {
        uint32_t dispatched = 0;
        session_wait(b, 100);
        CHECK_STATUS(session_dispatch(b, &h, &at_b, 8, &dispatched), SESSION_OK);
    }
    CHECK(at_b.messages == 4);
    CHECK(at_b.other_thread == 0);
    CHECK(at_b.reentrant_refused == 4);
    CHECK(at_b.sends_from_handler == 4);
    CHECK_STATUS(session_dispatch(b, NULL, NULL, 8, &n), SESSION_E_NULL_POINTER);
    session_handlers bad = h;
    bad.struct_size = 2;
    CHECK_STATUS(session_dispatch(b, &bad, NULL, 8, &n), SESSION_E_INVALID_ARGUMENT);

    /* Alice gets Bob's four acks. */
    tally acks = {0};
    drain(a, &acks, 4, 0);
    CHECK(acks.messages == 4);
    CHECK(atomic_load(&wakeups) > 0);
    CHECK(atomic_load(&log_records) > 0);

    /* Free with a request outstanding; the reopened client completes it exactly once. */
    CHECK_STATUS(session_send(a, id_b, (const uint8_t*)"in flight", 9, 0, &rid), SESSION_OK);
    uint64_t in_flight = rid;
    session_client_free(a);
    CHECK_STATUS(session_send(a, id_b, (const uint8_t*)"x", 1, 0, &rid), SESSION_E_INVALID_HANDLE);
    CHECK_STATUS(session_poll(a, one, 1, &n), SESSION_E_INVALID_HANDLE);
    session_client_free(a); /* stale: ignored */
    a = new_client(dir_a);
    char again[67];
    CHECK_STATUS(session_client_session_id(a, again, sizeof again, NULL), SESSION_OK);
    CHECK(strcmp(again, id_a) == 0);
    CHECK_STATUS(session_client_start(a), SESSION_OK);
    tally reopened = {0};
    drain(a, &reopened, 0, 1);
    CHECK(reopened.done >= 1);
    (void)in_flight;

    /* Stop is asynchronous and ends with STOPPED. */
    CHECK_STATUS(session_client_stop(b), SESSION_OK);
    int stopped = 0;
    for (int round = 0; round < 100 && !stopped; round++) {
        session_wait(b, 100);
        CHECK_STATUS(session_poll(b, one, 1, &n), SESSION_OK);
        if (n == 1 && one[0]->type == SESSION_EVENT_STOPPED) stopped = 1;
    }
    CHECK(stopped);

    session_client_free(a);
    session_client_free(b);
    session_client_free(NULL);
    /* Every registered user pointer was released exactly once: 2 callbacks x 3 clients. */
    CHECK(atomic_load(&freed_users) == 6);
    return SUMMARY("test_client");
}
