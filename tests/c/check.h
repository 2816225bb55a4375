/* check.h — a tiny test harness for the C tests: CHECK(cond) counts, SUMMARY() prints
 * "<name>: N passed, N failed" (the line tests/run_all.sh adds up) and returns the exit code. */
#ifndef SESSION_TEST_CHECK_H
#define SESSION_TEST_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond) do { \
        if (cond) { check_passed++; } \
        else { check_failed++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)

#define CHECK_STATUS(expr, want) do { \
        session_status st_ = (expr); \
        if (st_ == (want)) { check_passed++; } \
        else { check_failed++; fprintf(stderr, "%s:%d: %s returned %s (%s), want %s\n", __FILE__, __LINE__, #expr, \
                                       session_status_name(st_), session_last_error_message(), session_status_name(want)); } \
    } while (0)

#ifndef TEST_SUFFIX
#define TEST_SUFFIX ""
#endif
#define SUMMARY(name) (printf("%s%s: %d passed, %d failed\n", (name), TEST_SUFFIX, check_passed, check_failed), check_failed ? 1 : 0)
#endif
