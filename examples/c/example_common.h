/* example_common.h — the few helpers every C example shares: command-line options for the
 * network, opening a client, and printing errors. Read send_code.c first. */
#ifndef SESSION_EXAMPLE_COMMON_H
#define SESSION_EXAMPLE_COMMON_H

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "session.h"

typedef struct {
    const char* data_dir;   /* --data DIR: where the identity and its state live */
    const char* seed_url;   /* --seed-url URL: a LocalNet's SEED_URL; default: $SESSION_SEED_URL, else mainnet */
    const char* name;       /* --name NAME: display name */
    const char* file_server;     /* --file-server URL: a LocalNet's FILE_SERVER_URL; default: $SESSION_FILE_SERVER_URL, else the official one */
    const char* file_server_key; /* --file-server-key HEX: its FILE_SERVER_PUBKEY; default: $SESSION_FILE_SERVER_PUBKEY */
} example_net;

/* Consumes --data/--seed-url/--name at argv[*i]; returns 1 if it did. */
static int example_net_arg(example_net* net, int argc, char** argv, int* i) {
    if (*i + 1 >= argc) return 0;
    if (strcmp(argv[*i], "--data") == 0) { net->data_dir = argv[++*i]; return 1; }
    if (strcmp(argv[*i], "--seed-url") == 0) { net->seed_url = argv[++*i]; return 1; }
    if (strcmp(argv[*i], "--name") == 0) { net->name = argv[++*i]; return 1; }
    if (strcmp(argv[*i], "--file-server") == 0) { net->file_server = argv[++*i]; return 1; }
    if (strcmp(argv[*i], "--file-server-key") == 0) { net->file_server_key = argv[++*i]; return 1; }
    return 0;
}

static int example_fail(const char* what, session_status status) {
    fprintf(stderr, "error: %s: %s (%s): %s\n", what, session_status_name(status),
            session_last_error_code(), session_last_error_message());
    return 1;
}

/* Opens (and starts) the client for net; NULL after printing the error. */
static session_client* example_open(example_net* net) {
    session_options* opts = NULL;
    session_client* client = NULL;
    session_status st;
    if (!net->seed_url) net->seed_url = getenv("SESSION_SEED_URL");
    if (!net->file_server) net->file_server = getenv("SESSION_FILE_SERVER_URL");
    if (!net->file_server_key) net->file_server_key = getenv("SESSION_FILE_SERVER_PUBKEY");
    if (!net->data_dir) { fprintf(stderr, "error: --data DIR is required\n"); return NULL; }
    if ((st = session_options_new(&opts)) != SESSION_OK) { example_fail("options", st); return NULL; }
    st = session_options_set_data_dir(opts, net->data_dir);
    if (st == SESSION_OK && net->seed_url) {
        st = session_options_add_seed_url(opts, net->seed_url);
        /* LocalNet's certificates are self-signed; accept them only for a seed on this machine. */
        if (st == SESSION_OK && (strstr(net->seed_url, "://127.") || strstr(net->seed_url, "://localhost")))
            st = session_options_set_i64(opts, "tls.accept_self_signed", 1);
    }
    if (st == SESSION_OK) st = session_options_set_i64(opts, "poll.min_interval_ms", 200);
    if (st == SESSION_OK) st = session_options_set_i64(opts, "poll.max_interval_ms", 1000);
    if (st == SESSION_OK && net->name) st = session_options_set_display_name(opts, net->name);
    if (st == SESSION_OK && net->file_server && net->file_server_key)
        st = session_options_set_file_server(opts, net->file_server, net->file_server_key);
    if (st == SESSION_OK) st = session_client_new(opts, &client);
    session_options_free(opts);
    if (st != SESSION_OK) { example_fail("opening the client", st); return NULL; }
    if ((st = session_client_start(client)) != SESSION_OK) {
        example_fail("starting", st);
        session_client_free(client);
        return NULL;
    }
    return client;
}

#define EXAMPLE_NET_USAGE \
    "  --data DIR        directory keeping this identity (created if new)\n" \
    "  --seed-url URL    network to use: a LocalNet's SEED_URL (default: $SESSION_SEED_URL, else mainnet)\n" \
    "  --name NAME       display name shown to recipients\n" \
    "  --file-server URL --file-server-key HEX   file server for attachments: a LocalNet's\n" \
    "                    FILE_SERVER_URL/PUBKEY (default: $SESSION_FILE_SERVER_URL/_PUBKEY, else the official one)\n"

#endif
