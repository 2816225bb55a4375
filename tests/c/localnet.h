/* localnet.h — options for a client of the LocalNet the C tests run under (scripts/with-localnet.sh
 * exports SESSION_SEED_URL): its seed, its self-signed certificates, and fast polling. The caller
 * adds what its test needs, then calls session_client_new and frees the options. */
#ifndef SESSION_TEST_LOCALNET_H
#define SESSION_TEST_LOCALNET_H
#include "session.h"
#include "check.h"

static session_options* localnet_options(const char* seed_url, const char* data_dir) {
    session_options* opts = NULL;
    CHECK_STATUS(session_options_new(&opts), SESSION_OK);
    CHECK_STATUS(session_options_set_data_dir(opts, data_dir), SESSION_OK);
    CHECK_STATUS(session_options_add_seed_url(opts, seed_url), SESSION_OK);
    CHECK_STATUS(session_options_set_i64(opts, "tls.accept_self_signed", 1), SESSION_OK);
    CHECK_STATUS(session_options_set_i64(opts, "poll.min_interval_ms", 100), SESSION_OK);
    CHECK_STATUS(session_options_set_i64(opts, "poll.max_interval_ms", 400), SESSION_OK);
    return opts;
}
#endif
