/* send_code — anonymous 2FA: sends a one-time code to a Session ID and waits until the network
 * has stored it (the REQUEST_DONE event), then exits 0; on failure prints why and exits 1.
 *
 *   send_code --data ./sender [--seed-url URL] [--code 123456] [--timeout 60] 05<64 hex>
 */
#include "example_common.h"
#include <time.h>

static void usage(void) {
    fprintf(stderr, "usage: send_code [options] SESSION_ID\n"
                    "Sends a one-time code to SESSION_ID and waits for the network to store it.\n"
                    EXAMPLE_NET_USAGE
                    "  --code CODE       the code to send (default: 6 random digits)\n"
                    "  --timeout SECS    how long to wait for the confirmation (default 60)\n");
}

int main(int argc, char** argv) {
    example_net net = {0};
    const char* to = NULL;
    char code[16] = {0};
    long timeout_s = 60;
    for (int i = 1; i < argc; i++) {
        if (example_net_arg(&net, argc, argv, &i)) continue;
        if (strcmp(argv[i], "--code") == 0 && i + 1 < argc) { snprintf(code, sizeof code, "%s", argv[++i]); continue; }
        if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) { timeout_s = strtol(argv[++i], NULL, 10); continue; }
        if (argv[i][0] == '-') { usage(); return 2; }
        to = argv[i];
    }
    if (!to) { usage(); return 2; }
    if (session_validate_session_id(to) != SESSION_OK) {
        fprintf(stderr, "error: %s is not a Session ID: %s\n", to, session_last_error_message());
        return 2;
    }
    if (!code[0]) {
        srand((unsigned)time(NULL) ^ (unsigned)clock());
        snprintf(code, sizeof code, "%06d", rand() % 1000000);
    }

    session_client* client = example_open(&net);
    if (!client) return 1;
    char text[96];
    int len = snprintf(text, sizeof text, "Your one-time code is %s", code);
    uint64_t request = 0;
    session_status st = session_send(client, to, (const uint8_t*)text, (size_t)len, 0, &request);
    if (st != SESSION_OK) { session_client_free(client); return example_fail("sending", st); }

    /* Wait for exactly this request's completion. */
    int result = 1;
    time_t deadline = time(NULL) + timeout_s;
    while (time(NULL) < deadline && result == 1) {
        session_wait(client, 500);
        const session_event* evs[16];
        uint32_t n = 0;
        if (session_poll(client, evs, 16, &n) != SESSION_OK) break;
        for (uint32_t i = 0; i < n; i++) {
            if (evs[i]->type != SESSION_EVENT_REQUEST_DONE || evs[i]->request_id != request) continue;
            if (evs[i]->status == SESSION_OK) {
                printf("sent code %s to %.10s… (stored as %.12s…)\n", code, to, evs[i]->message_id.data);
                result = 0;
            } else {
                fprintf(stderr, "error: not delivered: %s (%s): %s\n", session_status_name(evs[i]->status),
                        evs[i]->error_code.data, evs[i]->text.data);
                result = 3;
            }
        }
    }
    if (result == 1) fprintf(stderr, "error: no confirmation within %ld s (the message stays queued in %s)\n", timeout_s, net.data_dir);
    session_client_free(client);
    return result;
}
