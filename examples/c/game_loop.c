/* game_loop — how a game embeds Session chat: a fixed 60 Hz loop that calls session_poll once per
 * frame (never blocking), prints chat lines as they arrive, and reports the time spent in
 * session_poll per frame. Optionally says something to a peer on the first frame.
 *
 *   game_loop --data ./player [--seed-url URL] [--frames 600] [--say TEXT --to SESSION_ID]
 */
#include "example_common.h"
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void usage(void) {
    fprintf(stderr, "usage: game_loop [options]\nA 60 Hz loop that drains chat once per frame.\n"
                    EXAMPLE_NET_USAGE
                    "  --frames N        frames to run (default 600 = 10 s)\n"
                    "  --say TEXT        say TEXT on the first frame ...\n"
                    "  --to SESSION_ID   ... to this player\n"
                    "  --until-lines N   stop early once N chat lines arrived\n");
}

int main(int argc, char** argv) {
    example_net net = {.name = "player"};
    long frames = 600, until_lines = -1;
    const char *say = NULL, *to = NULL;
    for (int i = 1; i < argc; i++) {
        if (example_net_arg(&net, argc, argv, &i)) continue;
        if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc) { frames = strtol(argv[++i], NULL, 10); continue; }
        if (strcmp(argv[i], "--say") == 0 && i + 1 < argc) { say = argv[++i]; continue; }
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) { to = argv[++i]; continue; }
        if (strcmp(argv[i], "--until-lines") == 0 && i + 1 < argc) { until_lines = strtol(argv[++i], NULL, 10); continue; }
        usage();
        return 2;
    }
    if ((say == NULL) != (to == NULL)) { usage(); return 2; }
    session_client* client = example_open(&net);
    if (!client) return 1;
    char me[67];
    session_client_session_id(client, me, sizeof me, NULL);
    printf("SESSION_ID=%s\n", me);

    const double frame_ms = 1000.0 / 60.0;
    double poll_total = 0, poll_max = 0, next = now_ms();
    long lines = 0, frame = 0;
    for (; frame < frames && (until_lines < 0 || lines < until_lines); frame++) {
        if (frame == 0 && say) {
            uint64_t request = 0;
            session_status st = session_send(client, to, (const uint8_t*)say, strlen(say), 0, &request);
            if (st != SESSION_OK) example_fail("saying", st);
        }
        /* The only library call per frame: bounded, never blocks. */
        const session_event* evs[8];
        uint32_t n = 0;
        double t0 = now_ms();
        session_poll(client, evs, 8, &n);
        double spent = now_ms() - t0;
        poll_total += spent;
        if (spent > poll_max) poll_max = spent;
        for (uint32_t i = 0; i < n; i++) {
            if (evs[i]->type == SESSION_EVENT_MESSAGE) {
                printf("[frame %ld] <%.10s…> %s\n", frame, evs[i]->sender.data, evs[i]->text.data);
                lines++;
            }
        }
        /* ... game update and render would go here ... */
        next += frame_ms;
        double sleep_ms = next - now_ms();
        if (sleep_ms > 0) {
            struct timespec ts = {0, (long)(sleep_ms * 1e6)};
            nanosleep(&ts, NULL);
        }
    }
    printf("frames=%ld chat_lines=%ld poll_avg_us=%.1f poll_max_us=%.1f\n", frame, lines,
           frame ? poll_total * 1000.0 / frame : 0.0, poll_max * 1000.0);
    session_client_free(client);
    return 0;
}
