/* The multi-device config ABI without the network: display name, contacts (a size-prefixed record
 * array in one block freed with session_free), communities, read state, and misuse. Built with
 * -Werror, run plain and under AddressSanitizer (which would catch a bad block layout or free). */
#include <stdlib.h>
#include <unistd.h>
#include "session.h"
#include "check.h"
#include "localnet.h"

int main(void) {
    const char* seed_url = getenv("SESSION_SEED_URL");
    if (!seed_url) seed_url = "http://127.0.0.1:1";   /* never contacted: the client is not started */
    char dir[] = "/tmp/session-c-config-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    session_options* opts = localnet_options(seed_url, dir);
    session_client* c = NULL;
    CHECK_STATUS(session_client_new(opts, &c), SESSION_OK);
    session_options_free(opts);

    char name[128];
    size_t needed = 0;
    CHECK_STATUS(session_client_display_name(c, name, sizeof name, &needed), SESSION_OK);
    CHECK(strcmp(name, "") == 0);
    CHECK_STATUS(session_client_set_display_name(c, "Config Bot"), SESSION_OK);
    CHECK_STATUS(session_client_display_name(c, NULL, 0, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(needed == strlen("Config Bot") + 1);
    CHECK_STATUS(session_client_display_name(c, name, sizeof name, &needed), SESSION_OK);
    CHECK(strcmp(name, "Config Bot") == 0);

    const char* friend_id = "05aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const char* other_id = "05bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    CHECK_STATUS(session_set_contact(c, friend_id, "Pal", 1, -1), SESSION_OK);
    CHECK_STATUS(session_set_contact(c, other_id, NULL, -1, 1), SESSION_OK);
    /* Misuse: nothing changes. */
    CHECK_STATUS(session_set_contact(c, NULL, "x", -1, -1), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_set_contact(c, "15aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "x", -1, -1), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_set_contact(c, friend_id, "x", 7, -1), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_set_contact(c, friend_id, "\xc3\x28", -1, -1), SESSION_E_INVALID_UTF8);

    session_contact* contacts = NULL;
    uint32_t count = 99;
    CHECK_STATUS(session_client_contacts(c, NULL, &count), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_client_contacts(c, &contacts, &count), SESSION_OK);
    CHECK(count == 2 && contacts != NULL);
    const session_contact* first = contacts;
    const session_contact* second = (const session_contact*)((const char*)contacts + contacts->struct_size);
    CHECK(first->struct_size >= sizeof(session_contact));
    CHECK(strcmp(first->session_id.data, friend_id) == 0 && first->session_id.len == 66);
    CHECK(strcmp(first->nickname.data, "Pal") == 0 && first->approved == 1 && first->blocked == 0);
    CHECK(first->name.data != NULL && first->name.len == 0);
    CHECK(strcmp(second->session_id.data, other_id) == 0 && second->blocked == 1 && second->approved == 0);
    CHECK(second->nickname.len == 0 && second->nickname.data[0] == '\0');
    session_free(contacts);

    session_str* rooms = NULL;
    CHECK_STATUS(session_client_communities(c, &rooms, &count), SESSION_OK);
    CHECK(count == 0);
    session_free(rooms);
    const char* room = "http://127.0.0.1:9/lobby?public_key=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char joined[256];
    CHECK_STATUS(session_join_community(c, room, joined, sizeof joined, &needed), SESSION_OK);
    CHECK_STATUS(session_client_communities(c, &rooms, &count), SESSION_OK);
    CHECK(count == 1 && strcmp(rooms[0].data, joined) == 0);
    session_free(rooms);

    CHECK_STATUS(session_mark_read(c, friend_id, 1700000000000), SESSION_OK);
    CHECK_STATUS(session_mark_read(c, joined, 1700000000000), SESSION_OK);
    CHECK_STATUS(session_mark_read(c, "nonsense", 1), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_mark_read(c, NULL, 1), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_mark_read(NULL, friend_id, 1), SESSION_E_INVALID_HANDLE);

    /* Reopening the directory: everything was saved. */
    session_client_free(c);
    opts = localnet_options(seed_url, dir);
    CHECK_STATUS(session_client_new(opts, &c), SESSION_OK);
    session_options_free(opts);
    CHECK_STATUS(session_client_contacts(c, &contacts, &count), SESSION_OK);
    CHECK(count == 2);
    session_free(contacts);
    CHECK_STATUS(session_client_display_name(c, name, sizeof name, &needed), SESSION_OK);
    CHECK(strcmp(name, "Config Bot") == 0);
    session_client_free(c);

    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return SUMMARY("test_config");
}
