/* echo_bot — replies to every message it receives with "echo: <text>". Prints its Session ID on
 * start so people can write to it. Runs until --max replies were sent or --duration passes
 * (default: forever). With --join-groups it accepts every closed-group invite and echoes in the
 * group too (to the whole group).
 *
 *   echo_bot --data ./bot [--seed-url URL] [--max N] [--duration SECS] [--join-groups]
 */
#include "example_common.h"
#include <time.h>

static void usage(void) {
    fprintf(stderr, "usage: echo_bot [options]\nReplies to every message with \"echo: <text>\".\n"
                    EXAMPLE_NET_USAGE
                    "  --max N           exit after N replies were stored\n"
                    "  --duration SECS   exit after SECS seconds\n"
                    "  --join-groups     accept every group invite and echo in groups too\n");
}

int main(int argc, char** argv) {
    example_net net = {.name = "echo bot"};
    long max_replies = -1, duration = -1;
    int join_groups = 0;
    for (int i = 1; i < argc; i++) {
        if (example_net_arg(&net, argc, argv, &i)) continue;
        if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) { max_replies = strtol(argv[++i], NULL, 10); continue; }
        if (strcmp(argv[i], "--duration") == 0 && i + 1 < argc) { duration = strtol(argv[++i], NULL, 10); continue; }
        if (strcmp(argv[i], "--join-groups") == 0) { join_groups = 1; continue; }
        usage();
        return 2;
    }
    session_client* client = example_open(&net);
    if (!client) return 1;
    char me[67];
    session_client_session_id(client, me, sizeof me, NULL);
    printf("SESSION_ID=%s\n", me);
    fflush(stdout);

    long stored = 0;
    time_t end = duration >= 0 ? time(NULL) + duration : 0;
    while ((max_replies < 0 || stored < max_replies) && (!end || time(NULL) < end)) {
        session_wait(client, 500);
        const session_event* evs[32];
        uint32_t n = 0;
        session_status st = session_poll(client, evs, 32, &n);
        if (st != SESSION_OK) { session_client_free(client); return example_fail("polling", st); }
        for (uint32_t i = 0; i < n; i++) {
            const session_event* ev = evs[i];
            if (ev->type == SESSION_EVENT_GROUP_INVITE && join_groups) {
                st = session_accept_group_invite(client, ev->conversation.data);
                if (st == SESSION_OK) printf("joined %s (\"%s\", invited by %.10s…)\n", ev->conversation.data, ev->text.data, ev->sender.data);
                else example_fail("accepting the invite", st);
            } else if (ev->type == SESSION_EVENT_GROUP_UPDATE) {
                printf("group %.10s…: %s\n", ev->conversation.data, ev->text.data);
            } else if (ev->type == SESSION_EVENT_MESSAGE && !(ev->flags & SESSION_EVENT_FLAG_OUTGOING)) {
                /* Our own messages (sent from another device, or our group messages polled back) are
                 * OUTGOING: never answer them, or the bot would answer itself forever. */
                printf("[%.10s…] %s\n", ev->sender.data, ev->text.data);
                /* Copy before the next poll: the event's strings are valid until then only. */
                size_t len = ev->text.len + 6;
                char* reply = malloc(len + 1);
                snprintf(reply, len + 1, "echo: %s", ev->text.data);
                uint64_t request = 0;
                if (strncmp(ev->conversation.data, "03", 2) == 0) {
                    /* In a closed group: to the whole group, as plain text. */
                    st = session_send(client, ev->conversation.data, (const uint8_t*)reply, len, 0, &request);
                    if (st != SESSION_OK) example_fail("replying", st);
                    free(reply);
                    continue;
                }
                /* The echo quotes the message it answers (a reply, as the apps show it). */
                session_message m;
                memset(&m, 0, sizeof m);
                m.struct_size = sizeof m;
                m.kind = SESSION_MESSAGE_TEXT;
                m.text = (const uint8_t*)reply;
                m.text_len = len;
                m.ref_timestamp_ms = ev->timestamp_ms;
                m.ref_author = ev->sender.data;
                st = session_send_ex(client, ev->conversation.data, &m, &request);
                if (st != SESSION_OK) example_fail("replying", st);
                free(reply);
            } else if (ev->type == SESSION_EVENT_REQUEST_DONE) {
                if (ev->status == SESSION_OK) stored++;
                else fprintf(stderr, "reply %llu failed: %s\n", (unsigned long long)ev->request_id, ev->error_code.data);
            }
        }
        fflush(stdout);
    }
    printf("replied %ld time(s)\n", stored);
    session_client_free(client);
    return 0;
}
