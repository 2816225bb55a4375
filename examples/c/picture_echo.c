/* picture_echo — downloads every attachment it receives and sends the files back to their sender
 * (with the text "echo"), so a picture makes the round trip C ↔ anyone. Prints its Session ID on
 * start. Runs until --max replies were stored or --duration passes (default: forever).
 *
 *   picture_echo --data ./bot [--seed-url URL] [--file-server URL --file-server-key HEX] [--max N] [--duration SECS]
 */
#include "example_common.h"
#include <stddef.h>
#include <time.h>

static void usage(void) {
    fprintf(stderr, "usage: picture_echo [options]\nDownloads each attachment received and sends it back.\n"
                    EXAMPLE_NET_USAGE
                    "  --max N           exit after N replies were stored\n"
                    "  --duration SECS   exit after SECS seconds\n");
}

/* A download in flight: where it goes and whom it goes back to. */
typedef struct { uint64_t request; char path[512]; char to[67]; } pending;

int main(int argc, char** argv) {
    example_net net = {.name = "picture echo"};
    long max_replies = -1, duration = -1;
    for (int i = 1; i < argc; i++) {
        if (example_net_arg(&net, argc, argv, &i)) continue;
        if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) { max_replies = strtol(argv[++i], NULL, 10); continue; }
        if (strcmp(argv[i], "--duration") == 0 && i + 1 < argc) { duration = strtol(argv[++i], NULL, 10); continue; }
        usage();
        return 2;
    }
    session_client* client = example_open(&net);
    if (!client) return 1;
    char me[67];
    session_client_session_id(client, me, sizeof me, NULL);
    printf("SESSION_ID=%s\n", me);
    fflush(stdout);

    pending downloads[64];
    size_t n_downloads = 0, counter = 0;
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
            /* Fields after data are newer than some headers: check struct_size first. */
            int has_attachments = ev->struct_size >= offsetof(session_event, attachment_count) + sizeof(size_t);
            if (ev->type == SESSION_EVENT_MESSAGE && has_attachments) {
                for (size_t a = 0; a < ev->attachment_count && n_downloads < 64; a++) {
                    const session_attachment* att = (const session_attachment*)((const char*)ev->attachments + a * ev->attachments->struct_size);
                    pending* p = &downloads[n_downloads];
                    snprintf(p->path, sizeof p->path, "%s/received-%zu.bin", net.data_dir, counter++);
                    snprintf(p->to, sizeof p->to, "%s", ev->sender.data);
                    st = session_download(client, att, p->path, 0, &p->request);
                    if (st != SESSION_OK) { example_fail("downloading", st); continue; }
                    printf("[%.10s…] sent %s (%llu bytes)\n", ev->sender.data, att->file_name.data, (unsigned long long)att->size);
                    n_downloads++;
                }
            } else if (ev->type == SESSION_EVENT_REQUEST_DONE) {
                size_t d = 0;
                while (d < n_downloads && downloads[d].request != ev->request_id) d++;
                if (d == n_downloads) { /* one of our replies */
                    if (ev->status == SESSION_OK) stored++;
                    else fprintf(stderr, "reply %llu failed: %s\n", (unsigned long long)ev->request_id, ev->error_code.data);
                    continue;
                }
                if (ev->status != SESSION_OK) fprintf(stderr, "download failed: %s\n", ev->error_code.data);
                else {
                    /* The verified file is in place: send it back. */
                    session_attachment_source src = {.struct_size = sizeof src, .path = downloads[d].path};
                    session_message msg = {.struct_size = sizeof msg, .kind = SESSION_MESSAGE_TEXT,
                                           .text = (const uint8_t*)"echo", .text_len = 4, .attachments = &src, .attachment_count = 1};
                    uint64_t request = 0;
                    st = session_send_ex(client, downloads[d].to, &msg, &request);
                    if (st != SESSION_OK) example_fail("replying", st);
                }
                downloads[d] = downloads[--n_downloads];
            }
        }
        fflush(stdout);
    }
    printf("replied %ld time(s)\n", stored);
    session_client_free(client);
    return 0;
}
