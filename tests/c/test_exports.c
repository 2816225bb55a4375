/* The export audit (issue 11): for every export the other C tests and pytest do not already break,
 * a failing call returns its status, changes nothing, and leaves no stale bytes in out-buffers.
 * No network: the client's seed is a closed loopback port. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "session.h"
#include "check.h"

static const char* server_key = "c3b3c6f32f0ab5a57f853cc4f30f5da7fda5624b0c77b3fb0829de562ada081d";

static int all_zero(const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; i++) if (p[i]) return 0;
    return 1;
}

int main(void) {
    /* Version and errors never fail. */
    CHECK(session_version_string() != NULL && strlen(session_version_string()) > 0);
    CHECK(session_abi_compatible(session_abi_major(), session_abi_minor()));
    CHECK_STATUS(session_validate_session_id("nope"), SESSION_E_INVALID_ARGUMENT);
    CHECK(strlen(session_last_error_code()) > 0 && strlen(session_last_error_message()) > 0);
    CHECK(strcmp(session_status_name(SESSION_E_REMOTE), "SESSION_E_REMOTE") == 0);
    session_free(NULL);        /* no-ops */
    session_free_secret(NULL, 0);

    /* Identities. */
    session_identity* id = NULL;
    CHECK_STATUS(session_identity_generate(&id), SESSION_OK);
    char text[200] = "stale";
    size_t needed = 99;
    CHECK_STATUS(session_identity_mnemonic(id, text, 8, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(text[0] == '\0' && needed > 8);
    strcpy(text, "stale");
    CHECK_STATUS(session_identity_blinded25_id(id, "not hex", text, sizeof text, &needed), SESSION_E_INVALID_ARGUMENT);
    CHECK(text[0] == '\0' && needed == 0);
    CHECK_STATUS(session_identity_blinded25_id(id, server_key, text, sizeof text, &needed), SESSION_OK);
    CHECK(text[0] == '2' && text[1] == '5');
    uint8_t key[32];
    memset(key, 0xAA, sizeof key);
    CHECK_STATUS(session_identity_ed25519_public_key(id, key, 31), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(all_zero(key, 31));
    CHECK_STATUS(session_identity_ed25519_public_key(id, key, 32), SESSION_OK);
    uint8_t sig[64];
    memset(sig, 0xAA, sizeof sig);
    CHECK_STATUS(session_identity_blind25_sign(id, server_key, (const uint8_t*)"m", 1, sig, 63), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(all_zero(sig, 63));
    memset(sig, 0xAA, sizeof sig);
    CHECK_STATUS(session_identity_blind25_sign(id, "zz", (const uint8_t*)"m", 1, sig, 64), SESSION_E_INVALID_ARGUMENT);
    CHECK(all_zero(sig, 64));
    CHECK_STATUS(session_identity_blind25_sign(id, server_key, (const uint8_t*)"m", 1, sig, 64), SESSION_OK);
    session_identity_free(id);
    session_identity_free(id);   /* stale: ignored */
    session_identity_free(NULL);
    CHECK_STATUS(session_identity_mnemonic(id, text, sizeof text, &needed), SESSION_E_INVALID_HANDLE);

    /* Options: a refused setter keeps the previous value. */
    char dir[] = "/tmp/session-c-exports-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    session_options* o = NULL;
    CHECK_STATUS(session_options_new(&o), SESSION_OK);
    CHECK_STATUS(session_options_set_data_dir(o, dir), SESSION_OK);
    CHECK_STATUS(session_options_add_seed_url(o, "http://127.0.0.1:9/"), SESSION_OK);
    CHECK_STATUS(session_options_set_display_name(o, "kept"), SESSION_OK);
    char long_name[600];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    CHECK_STATUS(session_options_set_display_name(o, long_name), SESSION_E_TOO_LARGE);
    CHECK_STATUS(session_options_set_log(o, 17, NULL, NULL, NULL), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_wakeup((session_options*)0x77, NULL, NULL, NULL), SESSION_E_INVALID_HANDLE);
    CHECK_STATUS(session_options_set_i64(o, "events.max_ready", 0), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_i64(o, "events.max_ready", 50), SESSION_OK);
    CHECK_STATUS(session_options_set_i64(o, "events.max_log", -1), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_i64(o, "replay.clock_tolerance_ms", 0), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_identity_mnemonic(o, "abbey abbey"), SESSION_E_INVALID_ARGUMENT);
    session_client* c = NULL;
    CHECK_STATUS(session_client_new(o, &c), SESSION_OK);
    session_options_free(o);
    session_options_free(o);     /* stale: ignored */
    session_options_free(NULL);

    /* Client calls that fail change nothing. */
    CHECK_STATUS(session_client_stop(c), SESSION_E_WRONG_STATE);           /* not started */
    CHECK_STATUS(session_client_set_display_name(c, long_name), SESSION_E_TOO_LARGE);
    CHECK_STATUS(session_client_set_display_name((session_client*)0x99, "x"), SESSION_E_INVALID_HANDLE);
    CHECK_STATUS(session_client_set_display_name(c, NULL), SESSION_OK);
    CHECK_STATUS(session_release_events((session_client*)0x99), SESSION_E_INVALID_HANDLE);
    CHECK_STATUS(session_interrupt((session_client*)0x99), SESSION_E_INVALID_HANDLE);
    CHECK_STATUS(session_wait((session_client*)0x99, 0), SESSION_E_INVALID_HANDLE);
    uint32_t n = 7;
    CHECK_STATUS(session_dispatch((session_client*)0x99, NULL, NULL, 1, &n), SESSION_E_INVALID_HANDLE);
    CHECK(n == 0);
    CHECK_STATUS(session_wait(c, 0), SESSION_E_TIMEOUT);
    CHECK_STATUS(session_interrupt(c), SESSION_OK);
    CHECK_STATUS(session_wait(c, 0), SESSION_OK);
    CHECK_STATUS(session_release_events(c), SESSION_OK);
    CHECK_STATUS(session_client_start(c), SESSION_OK);
    CHECK_STATUS(session_client_stop(c), SESSION_OK);
    CHECK_STATUS(session_client_stop(c), SESSION_E_WRONG_STATE);           /* already stopping */
    CHECK_STATUS(session_client_start(c), SESSION_OK);                     /* stop -> start works */
    session_client_free(c);
    session_client_free(c);      /* stale: ignored */
    session_client_free(NULL);
    CHECK_STATUS(session_client_start(c), SESSION_E_INVALID_HANDLE);
    return SUMMARY("test_exports");
}
