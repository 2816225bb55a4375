/* libFuzzer target over the C ABI (built with clang-14 -fsanitize=fuzzer,address).
 *
 * Each input is a program: a sequence of operations (one byte each, then their arguments) on a
 * small world of identities, options and clients. Arguments are random lengths and bytes, NULLs,
 * undersized buffers, invalid UTF-8, freed ("stale") and forged handles, plus a few valid values
 * (Session IDs of live identities, a server key) so that calls also get past validation.
 * The ABI promises: no crash, no memory error, a status for every failure, every out-pointer set
 * or left alone as documented. ASan checks every byte we read from what the library returns.
 * Pointers the library cannot validate by contract (freeing random addresses) are never passed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "session.h"

#define SLOTS 4
#define STALE 8

typedef struct {
    const uint8_t* p;
    size_t n;
} reader;

static uint8_t u8(reader* r) {
    if (r->n == 0) return 0;
    r->n--;
    return *r->p++;
}

static uint32_t u32(reader* r) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = (v << 8) | u8(r);
    return v;
}

/* A byte run of the input: length byte then bytes (clamped to what is left). Not NUL-terminated. */
static size_t bytes(reader* r, const uint8_t** out) {
    size_t len = u8(r);
    if (len > r->n) len = r->n;
    *out = r->p;
    r->p += len;
    r->n -= len;
    return len;
}

static char text_buf[4][512];
static int text_next;

static session_identity* ids[SLOTS];
static session_options* opts[2];
static session_client* client;
static void* stale[STALE];
static int stale_next;
static char data_dir[256];
static const char server_key[] = "a5e4b1b1ee0d1c3ccb4c8e8a0b4df1f0d7a2f2d9e6f1e2a3b4c5d6e7f8091a2b";

static void remember_stale(void* h) {
    stale[stale_next++ % STALE] = h;
}

/* A string argument: NULL, a valid Session ID of a live identity, the server key, a community URL,
 * or input bytes (possibly invalid UTF-8), NUL-terminated. */
static const char* text(reader* r) {
    char* buf = text_buf[text_next++ % 4];
    uint8_t kind = u8(r) % 8;
    if (kind == 0) return NULL;
    if (kind == 1) {
        session_identity* id = ids[u8(r) % SLOTS];
        size_t needed;
        if (id && session_identity_session_id(id, buf, sizeof text_buf[0], &needed) == SESSION_OK) return buf;
    }
    if (kind == 2) return server_key;
    if (kind == 3) {
        snprintf(buf, sizeof text_buf[0], "http://127.0.0.1:%u/r%u?public_key=%s", (unsigned)u8(r) + 1, (unsigned)u8(r), server_key);
        return buf;
    }
    const uint8_t* b;
    size_t len = bytes(r, &b);
    if (len >= sizeof text_buf[0]) len = sizeof text_buf[0] - 1;
    memcpy(buf, b, len);
    buf[len] = 0;
    return buf;
}

/* A handle argument: a live one, NULL, a freed one, or a forged integer. */
static void* handle(reader* r, void** live, int count) {
    uint8_t kind = u8(r) % 8;
    if (kind < 5) return live[u8(r) % count];
    if (kind == 5) return NULL;
    if (kind == 6) return stale[u8(r) % STALE];
    return (void*)(uintptr_t)u32(r);
}

static session_identity* identity(reader* r) { return handle(r, (void**)ids, SLOTS); }
static session_options* options(reader* r) { return handle(r, (void**)opts, 2); }
static session_client* a_client(reader* r) { return handle(r, (void**)&client, 1); }

/* An output buffer whose capacity comes from the input (0 .. 128, or NULL). */
static char out_text[160];
static size_t cap(reader* r) { return u8(r) % 129; }
static char* out_or_null(reader* r) { return u8(r) % 5 == 0 ? NULL : out_text; }

static void read_str(session_str s) {
    volatile char sink = 0;
    for (size_t i = 0; i < s.len; i++) sink ^= s.data[i];
    (void)sink;
}

static void read_events(const session_event** evs, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        read_str(evs[i]->conversation);
        read_str(evs[i]->sender);
        read_str(evs[i]->message_id);
        read_str(evs[i]->text);
        read_str(evs[i]->error_code);
        volatile uint8_t sink = 0;
        for (size_t j = 0; j < evs[i]->data.len; j++) sink ^= evs[i]->data.data[j];
        (void)sink;
    }
}

static void on_event(void* user, const session_event* ev) {
    (void)user;
    read_events(&ev, 1);
}

static uint8_t* last_sealed;
static size_t last_sealed_len;

static void keep_sealed(uint8_t* p, size_t len) {
    session_free(last_sealed);
    last_sealed = p;
    last_sealed_len = len;
}

static void one_op(reader* r) {
    size_t needed = 0;
    const uint8_t* b;
    size_t len;
    uint8_t* out = NULL;
    size_t out_len = 0;
    switch (u8(r) % 24) {
    case 0: {
        int slot = u8(r) % SLOTS;
        if (ids[slot]) { remember_stale(ids[slot]); session_identity_free(ids[slot]); ids[slot] = NULL; }
        session_identity_generate(u8(r) % 7 ? &ids[slot] : NULL);
        break;
    }
    case 1: {
        int slot = u8(r) % SLOTS;
        if (ids[slot]) { remember_stale(ids[slot]); session_identity_free(ids[slot]); ids[slot] = NULL; }
        len = bytes(r, &b);
        session_identity_from_seed(u8(r) % 7 ? b : NULL, len, &ids[slot]);
        break;
    }
    case 2: {
        int slot = u8(r) % SLOTS;
        if (ids[slot]) { remember_stale(ids[slot]); session_identity_free(ids[slot]); ids[slot] = NULL; }
        session_identity_from_mnemonic(text(r), &ids[slot]);
        break;
    }
    case 3: { /* free a live slot, or pass a stale/forged/NULL handle */
        session_identity* h = identity(r);
        for (int i = 0; i < SLOTS; i++)
            if (ids[i] == h && h) { ids[i] = NULL; remember_stale(h); }
        session_identity_free(h);
        break;
    }
    case 4: session_identity_session_id(identity(r), out_or_null(r), cap(r), u8(r) % 4 ? &needed : NULL); break;
    case 5: session_identity_mnemonic(identity(r), out_or_null(r), cap(r), u8(r) % 4 ? &needed : NULL); break;
    case 6: { uint8_t key[64]; session_identity_ed25519_public_key(identity(r), u8(r) % 5 ? key : NULL, u8(r) % 65); break; }
    case 7:
        if (u8(r) & 1) session_identity_blinded15_id(identity(r), text(r), out_or_null(r), cap(r), &needed);
        else session_identity_blinded25_id(identity(r), text(r), out_or_null(r), cap(r), &needed);
        break;
    case 8: {
        uint8_t sig[64];
        session_identity* h = identity(r);
        const char* key = text(r);
        len = bytes(r, &b);
        if (u8(r) & 1) session_identity_blind15_sign(h, key, b, len, u8(r) % 5 ? sig : NULL, u8(r) % 65);
        else session_identity_blind25_sign(h, key, b, len, u8(r) % 5 ? sig : NULL, u8(r) % 65);
        break;
    }
    case 9: session_validate_session_id(text(r)); break;
    case 10: {
        session_identity* h = identity(r);
        const char* to = text(r);
        len = bytes(r, &b);
        if (session_seal(h, to, u8(r) % 6 ? b : NULL, len, &out, &out_len) == SESSION_OK) keep_sealed(out, out_len);
        break;
    }
    case 11: { /* open random bytes, or the last sealed message with one byte flipped */
        char sender[67];
        session_identity* h = identity(r);
        uint8_t* copy = NULL;
        if (last_sealed && u8(r) & 1) {
            copy = malloc(last_sealed_len);
            memcpy(copy, last_sealed, last_sealed_len);
            if (u8(r) & 1) copy[u32(r) % last_sealed_len] ^= (uint8_t)(1u << (u8(r) % 8));
            b = copy;
            len = last_sealed_len;
        } else {
            len = bytes(r, &b);
        }
        if (session_open(h, b, len, &out, &out_len, u8(r) % 5 ? sender : NULL, u8(r) % 70) == SESSION_OK) {
            volatile uint8_t sink = 0;
            for (size_t i = 0; i < out_len; i++) sink ^= out[i];
            (void)sink;
            session_free(out);
        }
        free(copy);
        break;
    }
    case 12: {
        session_identity* h = identity(r);
        const char* key = text(r);
        const char* to = text(r);
        len = bytes(r, &b);
        if (session_seal_blinded_dm(h, key, to, b, len, &out, &out_len) == SESSION_OK) keep_sealed(out, out_len);
        break;
    }
    case 13: {
        char sender[67];
        session_identity* h = identity(r);
        const char* key = text(r);
        const char* from = text(r);
        if (last_sealed && u8(r) & 1) { b = last_sealed; len = last_sealed_len; }
        else len = bytes(r, &b);
        if (session_open_blinded_dm(h, key, from, b, len, &out, &out_len, sender, u8(r) % 70) == SESSION_OK) session_free(out);
        break;
    }
    case 14: {
        int slot = u8(r) % 2;
        if (opts[slot]) { remember_stale(opts[slot]); session_options_free(opts[slot]); opts[slot] = NULL; }
        session_options_new(u8(r) % 7 ? &opts[slot] : NULL);
        if (opts[slot]) {
            session_options_set_data_dir(opts[slot], data_dir);
            session_options_add_seed_url(opts[slot], "https://127.0.0.1:1/json_rpc");
        }
        break;
    }
    case 15: {
        session_options* o = options(r);
        switch (u8(r) % 9) {
        case 0: session_options_set_data_dir(o, text(r)); break;
        case 1: len = bytes(r, &b); session_options_set_db_key(o, b, len); break;
        case 2: session_options_set_identity_mnemonic(o, text(r)); break;
        case 3: len = bytes(r, &b); session_options_set_identity_seed(o, u8(r) & 1 ? b : NULL, len); break;
        case 4: session_options_add_seed_url(o, text(r)); break;
        case 5: session_options_set_display_name(o, text(r)); break;
        case 6: session_options_set_i64(o, text(r), (int64_t)(((uint64_t)u32(r) << 32) | u32(r))); break;
        case 7: session_options_set_log_as_events(o, (session_log_level)(int8_t)u8(r)); break;
        default: session_options_set_i64(o, u8(r) & 1 ? "shutdown.timeout_ms" : "send.max_pending", (int64_t)(int32_t)u32(r)); break;
        }
        break;
    }
    case 16: { /* at most one client: SQLite and threads make it the expensive object */
        session_options* o = options(r);
        if (client) break;
        if (o && (o == opts[0] || o == opts[1])) { /* one directory, and a free that never waits long */
            session_options_set_data_dir(o, data_dir);
            session_options_set_i64(o, "shutdown.timeout_ms", 100);
        }
        session_client_new(o, u8(r) % 7 ? &client : NULL);
        break;
    }
    case 17: {
        session_client* c = a_client(r);
        switch (u8(r) % 7) {
        case 0: session_client_session_id(c, out_or_null(r), cap(r), u8(r) % 4 ? &needed : NULL); break;
        case 1: session_client_mnemonic(c, out_or_null(r), cap(r), &needed); break;
        case 2: session_client_set_display_name(c, text(r)); break;
        case 3: {
            uint64_t request;
            const char* to = text(r);
            len = bytes(r, &b);
            session_send(c, to, u8(r) % 6 ? b : NULL, len, u8(r) % 4 ? 0 : u32(r), u8(r) % 5 ? &request : NULL);
            break;
        }
        case 4: session_join_community(c, text(r), out_or_null(r), cap(r), &needed); break;
        case 5: session_leave_community(c, text(r)); break;
        default: session_client_set_display_name(c, NULL); break;
        }
        break;
    }
    case 18: {
        const session_event* evs[16];
        uint32_t n = 0;
        session_client* c = a_client(r);
        if (session_poll(c, u8(r) % 6 ? evs : NULL, u8(r) % 17, u8(r) % 6 ? &n : NULL) == SESSION_OK) read_events(evs, n);
        if (u8(r) & 1) session_release_events(c);
        break;
    }
    case 19: {
        session_handlers h;
        memset(&h, 0, sizeof h);
        h.struct_size = u8(r) % 3 == 0 ? u8(r) : (uint32_t)sizeof h;
        h.on_message = on_event;
        h.on_other = u8(r) & 1 ? on_event : NULL;
        uint32_t done;
        session_dispatch(a_client(r), u8(r) % 6 ? &h : NULL, NULL, u8(r) % 9, u8(r) % 5 ? &done : NULL);
        break;
    }
    case 20:
        switch (u8(r) % 3) {
        case 0: session_wait(a_client(r), 0); break;
        case 1: session_interrupt(a_client(r)); break;
        default: session_release_events(a_client(r)); break;
        }
        break;
    case 21: /* start talks to a seed that refuses connections: the loops retry in the background */
        if (u8(r) & 1) session_client_start(a_client(r));
        else session_client_stop(a_client(r));
        break;
    case 22: {
        session_client* c = a_client(r);
        if (c == client && c) { remember_stale(c); client = NULL; }
        session_client_free(c);
        break;
    }
    default:
        (void)session_status_name((session_status)(int32_t)u32(r));
        (void)session_abi_compatible(u8(r), u8(r));
        (void)session_last_error_message();
        (void)session_last_error_code();
        session_free(NULL);
        session_free_secret(NULL, u8(r));
        break;
    }
}

int LLVMFuzzerInitialize(int* argc, char*** argv) {
    (void)argc;
    (void)argv;
    snprintf(data_dir, sizeof data_dir, "%s/abi-fuzz-%d", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
    return 0;
}

/* Every input starts and ends with an empty world, so inputs replay alone. */
int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    reader r = {data, size};
    for (int ops = 0; r.n > 0 && ops < 64; ops++) one_op(&r);
    for (int i = 0; i < SLOTS; i++) { if (ids[i]) remember_stale(ids[i]); session_identity_free(ids[i]); ids[i] = NULL; }
    for (int i = 0; i < 2; i++) { if (opts[i]) remember_stale(opts[i]); session_options_free(opts[i]); opts[i] = NULL; }
    if (client) { remember_stale(client); session_client_free(client); client = NULL; }
    keep_sealed(NULL, 0);
    return 0;
}
