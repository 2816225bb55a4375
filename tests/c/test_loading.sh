#!/usr/bin/env bash
# A host program in another directory, with a decoy libsodium.so beside it (the first place
# NativeAOT probes), still gets the libsodium 1.0.22 shipped beside libsession.so.
set -u
DIST=$(cd "$(dirname "$0")/../../dist" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "test_loading: FAILED: $*" >&2; fi; }

cat > "$work/app.c" <<'C'
#include <stdio.h>
#include "session.h"
int main(void) {
    session_identity* id = NULL;
    session_status st = session_identity_generate(&id);   /* needs libsodium */
    char sid[67];
    if (st == SESSION_OK) st = session_identity_session_id(id, sid, sizeof sid, NULL);
    if (st != SESSION_OK) { printf("error %s: %s\n", session_status_name(st), session_last_error_message()); return 1; }
    printf("%s\n", sid);
    session_identity_free(id);
    return 0;
}
C
gcc -std=c11 -Wall -Wextra -Werror -I"$DIST/include" "$work/app.c" -o "$work/app" -L"$DIST/lib" -l:libsession.so -Wl,-rpath,"$DIST/lib"
# Decoy 1: an unrelated library named libsodium.so. Decoy 2: Debian's libsodium 1.0.18, if present.
echo 'int decoy(void) { return 1; }' > "$work/decoy.c"
gcc -shared -fPIC "$work/decoy.c" -o "$work/libsodium.so"
out=$(cd / && "$work/app" 2>&1); ok grep -qE '^05[0-9a-f]{64}$' <<<"$out"
if [[ -e /usr/lib/x86_64-linux-gnu/libsodium.so.23 ]]; then
    cp /usr/lib/x86_64-linux-gnu/libsodium.so.23 "$work/libsodium.so"
    out=$(cd / && "$work/app" 2>&1); ok grep -qE '^05[0-9a-f]{64}$' <<<"$out"
fi
# And with no decoy, from a different working directory.
rm -f "$work/libsodium.so"
out=$(cd "$work" && ./app 2>&1); ok grep -qE '^05[0-9a-f]{64}$' <<<"$out"
# A host that dlopens us privately (RTLD_LOCAL), links no libm, and opens a client (SQLite).
cat > "$work/host.c" <<'C'
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
typedef int (*options_new_fn)(void**);
typedef int (*set_dir_fn)(void*, const char*);
typedef int (*client_new_fn)(const void*, void**);
int main(int argc, char** argv) {
    (void)argc;
    void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { printf("dlopen: %s\n", dlerror()); return 1; }
    void *opts = NULL, *client = NULL;
    ((options_new_fn)dlsym(lib, "session_options_new"))(&opts);
    ((set_dir_fn)dlsym(lib, "session_options_set_data_dir"))(opts, argv[2]);
    int st = ((client_new_fn)dlsym(lib, "session_client_new"))(opts, &client);
    printf("client_new=%d\n", st);
    return st;
}
C
gcc -std=c11 -Wall -Wextra -Werror "$work/host.c" -o "$work/host" -ldl
out=$(cd / && "$work/host" "$DIST/lib/libsession.so" "$work/state" 2>&1); ok grep -q '^client_new=0$' <<<"$out"
echo "test_loading: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
