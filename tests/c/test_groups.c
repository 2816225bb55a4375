/* The closed-group ABI without the network (issue 17): argument checks on the calling thread (a
 * failed call changes nothing), a group created with two invitees, its member records (one block
 * freed with session_free), admin-only and member-only calls refused in the wrong state, sending
 * to a group, leaving it. Built with -Werror, run plain and under AddressSanitizer. */
#include <stdlib.h>
#include <unistd.h>
#include "session.h"
#include "check.h"
#include "localnet.h"

static const session_group_member* member_at(const session_group_member* first, uint32_t i) {
    return (const session_group_member*)((const char*)first + (size_t)i * first->struct_size);
}

int main(void) {
    const char* seed_url = getenv("SESSION_SEED_URL");
    if (!seed_url) seed_url = "http://127.0.0.1:1";   /* never contacted: the client is not started */
    char dir[] = "/tmp/session-c-groups-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    session_options* opts = localnet_options(seed_url, dir);
    session_client* c = NULL;
    CHECK_STATUS(session_client_new(opts, &c), SESSION_OK);
    session_options_free(opts);
    char me[67];
    size_t needed = 0;
    CHECK_STATUS(session_client_session_id(c, me, sizeof me, &needed), SESSION_OK);

    /* Two valid Session IDs (X25519 keys of real identities). */
    char bob[67], carol[67];
    session_identity* ib = NULL;
    session_identity* ic = NULL;
    CHECK_STATUS(session_identity_generate(&ib), SESSION_OK);
    CHECK_STATUS(session_identity_generate(&ic), SESSION_OK);
    CHECK_STATUS(session_identity_session_id(ib, bob, sizeof bob, &needed), SESSION_OK);
    CHECK_STATUS(session_identity_session_id(ic, carol, sizeof carol, &needed), SESSION_OK);
    session_identity_free(ib);
    session_identity_free(ic);
    const char* members[] = { bob, carol };
    const char* bad_members[] = { bob, "15aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
    const char* null_member[] = { bob, NULL };

    /* Misuse of create: nothing is created. */
    char gid[80];
    CHECK_STATUS(session_create_group(NULL, "guild", members, 2, gid, sizeof gid, &needed), SESSION_E_INVALID_HANDLE);
    CHECK_STATUS(session_create_group(c, NULL, members, 2, gid, sizeof gid, &needed), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_create_group(c, "   ", members, 2, gid, sizeof gid, &needed), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_create_group(c, "\xc3\x28", members, 2, gid, sizeof gid, &needed), SESSION_E_INVALID_UTF8);
    CHECK_STATUS(session_create_group(c, "guild", NULL, 2, gid, sizeof gid, &needed), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_create_group(c, "guild", null_member, 2, gid, sizeof gid, &needed), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_create_group(c, "guild", bad_members, 2, gid, sizeof gid, &needed), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_create_group(c, "guild", members, 2, NULL, 0, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(needed == 67);
    CHECK_STATUS(session_create_group(c, "guild", members, 2, gid, 10, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(gid[0] == '\0');

    /* A group: we are its admin, both invitees are "invited" (status 1). */
    CHECK_STATUS(session_create_group(c, "guild", members, 2, gid, sizeof gid, &needed), SESSION_OK);
    CHECK(strlen(gid) == 66 && gid[0] == '0' && gid[1] == '3');
    session_group_member* list = NULL;
    uint32_t count = 99;
    CHECK_STATUS(session_group_members(c, gid, NULL, &count), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_group_members(c, gid, &list, NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_group_members(c, "03zz", &list, &count), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_group_members(c, me, &list, &count), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_group_members(c, gid, &list, &count), SESSION_OK);
    CHECK(count == 3 && list != NULL && list->struct_size >= sizeof(session_group_member));
    int admins = 0, invited = 0;
    for (uint32_t i = 0; i < count; i++) {
        const session_group_member* m = member_at(list, i);
        CHECK(m->session_id.len == 66 && m->name.data != NULL);
        if (strcmp(m->session_id.data, me) == 0) admins += m->admin == 1 && m->status == 0;
        else invited += m->admin == 0 && m->status == 1;
    }
    CHECK(admins == 1 && invited == 2);
    session_free(list);

    /* Admin calls: wrong arguments refused, the group unchanged. */
    CHECK_STATUS(session_add_group_members(c, gid, members, 0), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_add_group_members(c, gid, NULL, 1), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_add_group_members(c, NULL, members, 1), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_add_group_members(c, gid, members, 101), SESSION_E_INVALID_ARGUMENT);
    const char* stranger[] = { "05cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc" };
    const char* myself[] = { me };
    CHECK_STATUS(session_remove_group_members(c, gid, stranger, 1), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_remove_group_members(c, gid, myself, 1), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_promote_group_admin(c, gid, stranger[0]), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_promote_group_admin(c, gid, NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_rename_group(c, gid, ""), SESSION_E_INVALID_ARGUMENT);
    char long_name[102];
    memset(long_name, 'x', 101);
    long_name[101] = '\0';
    CHECK_STATUS(session_rename_group(c, gid, long_name), SESSION_E_TOO_LARGE);
    CHECK_STATUS(session_group_members(c, gid, &list, &count), SESSION_OK);
    CHECK(count == 3);
    session_free(list);

    /* Member-side calls on a group that is not a pending invite, and on an unknown group. */
    CHECK_STATUS(session_accept_group_invite(c, gid), SESSION_E_WRONG_STATE);
    CHECK_STATUS(session_decline_group_invite(c, gid), SESSION_E_WRONG_STATE);
    const char* unknown = "03dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";
    CHECK_STATUS(session_accept_group_invite(c, unknown), SESSION_E_NOT_FOUND);
    CHECK_STATUS(session_leave_group(c, unknown), SESSION_E_NOT_FOUND);

    /* Valid admin calls and a message are accepted (queued; the client is not started). */
    CHECK_STATUS(session_rename_group(c, gid, "guild two"), SESSION_OK);
    CHECK_STATUS(session_promote_group_admin(c, gid, bob), SESSION_OK);
    CHECK_STATUS(session_remove_group_members(c, gid, &members[1], 1), SESSION_OK);
    CHECK_STATUS(session_group_members(c, gid, &list, &count), SESSION_OK);
    CHECK(count == 2);
    session_free(list);
    uint64_t request = 0;
    const char* hello = "hello group";
    CHECK_STATUS(session_send(c, gid, (const uint8_t*)hello, strlen(hello), 0, &request), SESSION_OK);
    CHECK(request != 0);

    /* Description: NULL, invalid UTF-8 and over 2,000 bytes refused; "" clears it. */
    CHECK_STATUS(session_set_group_description(c, gid, NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_set_group_description(c, gid, "\xff\xfe"), SESSION_E_INVALID_UTF8);
    static char long_description[2002];
    memset(long_description, 'd', 2001);
    long_description[2001] = '\0';
    CHECK_STATUS(session_set_group_description(c, gid, long_description), SESSION_E_TOO_LARGE);
    CHECK_STATUS(session_set_group_description(c, gid, "a guild"), SESSION_OK);
    CHECK_STATUS(session_set_group_description(c, gid, ""), SESSION_OK);
    CHECK_STATUS(session_delete_group(c, NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_delete_group(c, unknown), SESSION_E_NOT_FOUND);

    /* Leaving: no more sends, no second leave. */
    CHECK_STATUS(session_leave_group(c, gid), SESSION_OK);
    CHECK_STATUS(session_send(c, gid, (const uint8_t*)hello, strlen(hello), 0, &request), SESSION_E_WRONG_STATE);
    CHECK_STATUS(session_leave_group(c, gid), SESSION_E_WRONG_STATE);

    /* Deleting: permanent; no admin action nor message afterwards. */
    char gid2[67];
    size_t gid2_len = 0;
    CHECK_STATUS(session_create_group(c, "doomed", members, 1, gid2, sizeof gid2, &gid2_len), SESSION_OK);
    CHECK_STATUS(session_delete_group(c, gid2), SESSION_OK);
    CHECK_STATUS(session_rename_group(c, gid2, "undead"), SESSION_E_WRONG_STATE);
    CHECK_STATUS(session_delete_group(c, gid2), SESSION_E_WRONG_STATE);
    CHECK_STATUS(session_send(c, gid2, (const uint8_t*)hello, strlen(hello), 0, &request), SESSION_E_WRONG_STATE);

    session_client_free(c);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return SUMMARY("test_groups");
}
