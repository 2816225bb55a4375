/* test_attachments.c — attachments through the C ABI against the LocalNet of scripts/with-localnet.sh
 * (SESSION_SEED_URL, SESSION_FILE_SERVER_URL/_PUBKEY): misuse of session_send_ex, session_download,
 * session_set_avatar and session_options_set_file_server, then a picture and an avatar from one C
 * client to another, downloaded byte-identical. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "localnet.h"

static const char* seed_url;

static session_client* new_client(const char* dir) {
    session_options* opts = localnet_options(seed_url, dir);
    CHECK_STATUS(session_options_set_file_server(opts, getenv("SESSION_FILE_SERVER_URL"), getenv("SESSION_FILE_SERVER_PUBKEY")), SESSION_OK);
    session_client* c = NULL;
    CHECK_STATUS(session_client_new(opts, &c), SESSION_OK);
    session_options_free(opts);
    CHECK_STATUS(session_client_start(c), SESSION_OK);
    return c;
}

/* Polls until the REQUEST_DONE of rid; returns its status. */
static session_status wait_done(session_client* c, uint64_t rid) {
    for (int i = 0; i < 400; i++) {
        session_wait(c, 250);
        const session_event* evs[16];
        uint32_t n = 0;
        session_poll(c, evs, 16, &n);
        for (uint32_t k = 0; k < n; k++)
            if (evs[k]->type == SESSION_EVENT_REQUEST_DONE && evs[k]->request_id == rid) return evs[k]->status;
    }
    return SESSION_E_TIMEOUT;
}

/* Polls until both requests are done (either order); their statuses in st[0], st[1]. */
static void wait_two(session_client* c, uint64_t r0, uint64_t r1, session_status st[2]) {
    int left = 2;
    st[0] = st[1] = SESSION_E_TIMEOUT;
    for (int i = 0; i < 400 && left > 0; i++) {
        session_wait(c, 250);
        const session_event* evs[16];
        uint32_t n = 0;
        session_poll(c, evs, 16, &n);
        for (uint32_t k = 0; k < n; k++) {
            if (evs[k]->type != SESSION_EVENT_REQUEST_DONE) continue;
            if (evs[k]->request_id == r0) { st[0] = evs[k]->status; left--; }
            if (evs[k]->request_id == r1) { st[1] = evs[k]->status; left--; }
        }
    }
}

static int same_file(const char* path, const uint8_t* data, size_t len) {
    FILE* f = fopen(path, "rb");
    if (!f) return 0;
    uint8_t* buf = malloc(len + 1);
    size_t got = fread(buf, 1, len + 1, f);
    fclose(f);
    int same = got == len && memcmp(buf, data, len) == 0;
    free(buf);
    return same;
}

int main(void) {
    seed_url = getenv("SESSION_SEED_URL");
    if (!seed_url || !getenv("SESSION_FILE_SERVER_URL")) {
        fprintf(stderr, "SESSION_SEED_URL/SESSION_FILE_SERVER_URL not set (run under scripts/with-localnet.sh)\n");
        return SUMMARY("test_attachments") + 1;
    }
    char dir_a[] = "/tmp/session-att-a-XXXXXX", dir_b[] = "/tmp/session-att-b-XXXXXX", out[] = "/tmp/session-att-out-XXXXXX";
    CHECK(mkdtemp(dir_a) && mkdtemp(dir_b) && mkdtemp(out));

    session_options* opts = NULL;
    CHECK_STATUS(session_options_new(&opts), SESSION_OK);
    CHECK_STATUS(session_options_set_file_server(opts, "http://127.0.0.1:1/", "zz"), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_file_server(opts, "ftp://x/", "0932479400000000000000000000000000000000000000000000000000000000"), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_options_set_file_server(opts, NULL, NULL), SESSION_E_NULL_POINTER);
    session_options_free(opts);

    session_client* a = new_client(dir_a);
    session_client* b = new_client(dir_b);
    char id_b[67];
    CHECK_STATUS(session_client_session_id(b, id_b, sizeof id_b, NULL), SESSION_OK);

    /* A 100 kB "picture" (PNG header: 64x48) sent as bytes. */
    size_t len = 100000;
    uint8_t* pic = malloc(len);
    for (size_t i = 0; i < len; i++) pic[i] = (uint8_t)(i * 31 + 7);
    static const uint8_t png[24] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 64, 0, 0, 0, 48};
    memcpy(pic, png, sizeof png);
    session_attachment_source src = {.struct_size = sizeof src, .data = pic, .data_len = len, .file_name = "pic.png"};
    session_message msg = {.struct_size = sizeof msg, .kind = SESSION_MESSAGE_TEXT, .text = (const uint8_t*)"see", .text_len = 3,
                           .attachments = &src, .attachment_count = 1};

    /* Misuse: refused on the calling thread, nothing queued. */
    uint64_t rid = 99;
    CHECK_STATUS(session_send_ex(a, id_b, NULL, &rid), SESSION_E_NULL_POINTER);
    CHECK(rid == 0);
    session_message bad = msg;
    bad.kind = 7;
    CHECK_STATUS(session_send_ex(a, id_b, &bad, &rid), SESSION_E_UNSUPPORTED);
    bad = msg;
    bad.emoji = "x";
    CHECK_STATUS(session_send_ex(a, id_b, &bad, &rid), SESSION_E_UNSUPPORTED);
    bad = msg;
    bad.struct_size = 0;
    CHECK_STATUS(session_send_ex(a, id_b, &bad, &rid), SESSION_E_INVALID_ARGUMENT);
    bad = msg;
    bad.attachments = NULL;
    CHECK_STATUS(session_send_ex(a, id_b, &bad, &rid), SESSION_E_NULL_POINTER);
    session_attachment_source missing = {.struct_size = sizeof missing, .path = "/nonexistent/file.png"};
    bad = msg;
    bad.attachments = &missing;
    CHECK_STATUS(session_send_ex(a, id_b, &bad, &rid), SESSION_E_NOT_FOUND);
    session_attachment_source huge = {.struct_size = sizeof huge, .data = pic, .data_len = 10000001};
    bad = msg;
    bad.attachments = &huge;
    CHECK_STATUS(session_send_ex(a, id_b, &bad, &rid), SESSION_E_TOO_LARGE);
    CHECK_STATUS(session_download(a, NULL, "/tmp/x", 0, &rid), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_set_avatar(a, &src, NULL), SESSION_E_NULL_POINTER);

    /* The avatar first, then the message: it carries the picture's URL and key. */
    CHECK_STATUS(session_set_avatar(a, &src, &rid), SESSION_OK);
    CHECK(wait_done(a, rid) == SESSION_OK);
    CHECK_STATUS(session_send_ex(a, id_b, &msg, &rid), SESSION_OK);
    CHECK(rid != 0);
    CHECK(wait_done(a, rid) == SESSION_OK);

    /* b receives it: one attachment with its descriptor, and a's avatar. */
    char pic_path[256], avatar_path[256];
    snprintf(pic_path, sizeof pic_path, "%s/pic.png", out);
    snprintf(avatar_path, sizeof avatar_path, "%s/avatar.png", out);
    uint64_t pic_req = 0, avatar_req = 0;
    int got_message = 0;
    for (int i = 0; i < 400 && !got_message; i++) {
        session_wait(b, 250);
        const session_event* evs[16];
        uint32_t n = 0;
        CHECK_STATUS(session_poll(b, evs, 16, &n), SESSION_OK);
        for (uint32_t k = 0; k < n; k++) {
            const session_event* ev = evs[k];
            if (ev->type != SESSION_EVENT_MESSAGE) continue;
            got_message = 1;
            CHECK(ev->struct_size >= sizeof(session_event));
            CHECK(strcmp(ev->text.data, "see") == 0);
            CHECK(ev->attachment_count == 1 && ev->attachments != NULL);
            const session_attachment* att = ev->attachments;
            CHECK(att->struct_size == sizeof(session_attachment));
            CHECK(att->size == len && att->width == 64 && att->height == 48);
            CHECK(strcmp(att->content_type.data, "image/png") == 0 && strcmp(att->file_name.data, "pic.png") == 0);
            CHECK(att->key.len == 64 && att->digest.len == 32 && !att->is_avatar);
            CHECK(strncmp(att->url.data, "http://filev2.getsession.org/file/", 34) == 0);
            CHECK(ev->avatar != NULL && ev->avatar->is_avatar == 1 && ev->avatar->key.len == 32);
            CHECK_STATUS(session_download(b, att, pic_path, 1, &pic_req), SESSION_E_UNSUPPORTED); /* flags */
            CHECK_STATUS(session_download(b, att, pic_path, 0, &pic_req), SESSION_OK);
            CHECK_STATUS(session_download(b, ev->avatar, avatar_path, 0, &avatar_req), SESSION_OK);
        }
    }
    CHECK(got_message);
    session_status st[2];
    wait_two(b, pic_req, avatar_req, st);
    CHECK(st[0] == SESSION_OK && st[1] == SESSION_OK);
    CHECK(same_file(pic_path, pic, len));
    CHECK(same_file(avatar_path, pic, len));

    session_client_free(a);
    session_client_free(b);
    free(pic);
    return SUMMARY("test_attachments");
}
