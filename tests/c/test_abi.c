/* The version, status and memory functions, called as a C program would. */
#include <pthread.h>
#include <stdlib.h>
#include "session.h"
#include "check.h"

static void* status_names_from_thread(void* arg) {
    (void)arg;
    int ok = strcmp(session_status_name(SESSION_E_TIMEOUT), "SESSION_E_TIMEOUT") == 0;
    return ok ? (void*)1 : NULL;
}

int main(void) {
    /* Versioning. */
    CHECK(session_abi_major() == SESSION_ABI_MAJOR);
    CHECK(session_abi_minor() == SESSION_ABI_MINOR);
    CHECK(session_abi_compatible(SESSION_ABI_MAJOR, SESSION_ABI_MINOR) == 1);
    CHECK(session_abi_compatible(SESSION_ABI_MAJOR + 1, 0) == 0);
    CHECK(session_abi_compatible(SESSION_ABI_MAJOR, SESSION_ABI_MINOR + 1) == 0);
    const char* version = session_version_string();
    CHECK(version != NULL && strstr(version, "abi 1.") != NULL);
    CHECK(version == session_version_string()); /* static: the same pointer every time */

    /* Status names: every code has its constant's name; unknown codes are named as unknown. */
    CHECK(strcmp(session_status_name(SESSION_OK), "SESSION_OK") == 0);
    CHECK(strcmp(session_status_name(SESSION_E_INVALID_ARGUMENT), "SESSION_E_INVALID_ARGUMENT") == 0);
    CHECK(strcmp(session_status_name(SESSION_E_BUFFER_TOO_SMALL), "SESSION_E_BUFFER_TOO_SMALL") == 0);
    CHECK(strcmp(session_status_name(SESSION_E_INTERNAL), "SESSION_E_INTERNAL") == 0);
    CHECK(strcmp(session_status_name(12345), "SESSION_E_UNKNOWN") == 0);
    CHECK(strcmp(session_status_name(-1), "SESSION_E_UNKNOWN") == 0);

    /* Last error: never NULL, empty on a thread that has not failed. */
    CHECK(session_last_error_message() != NULL);
    CHECK(session_last_error_code() != NULL);
    CHECK(strcmp(session_last_error_code(), "") == 0);

    /* Memory: NULL is a no-op for both frees. */
    session_free(NULL);
    session_free_secret(NULL, 32);
    CHECK(1);

    /* Calls from several threads at once are fine (each thread is attached on its first call). */
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, status_names_from_thread, NULL);
    for (int i = 0; i < 4; i++) {
        void* result = NULL;
        pthread_join(threads[i], &result);
        CHECK(result == (void*)1);
    }
    return SUMMARY("test_abi");
}
