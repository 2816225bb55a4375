#!/usr/bin/env bash
# `make demo`: runs after `make dist`. Until the messaging client lands (issues 5 and 6), the demo
# shows the published library from C and from Python: its version, and a fresh identity.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=$PWD/dist
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/demo.c" <<'C'
#include <stdio.h>
#include "session.h"
int main(void) {
    session_identity* me = NULL;
    char id[67], phrase[256];
    if (session_identity_generate(&me) != SESSION_OK ||
        session_identity_session_id(me, id, sizeof id, NULL) != SESSION_OK ||
        session_identity_mnemonic(me, phrase, sizeof phrase, NULL) != SESSION_OK) {
        fprintf(stderr, "error: %s\n", session_last_error_message());
        return 1;
    }
    printf("[C]      libsession %s\n[C]      new Session ID  %s\n[C]      recovery phrase %s\n",
           session_version_string(), id, phrase);
    session_identity_free(me);
    return 0;
}
C
gcc -std=c11 -Wall -Wextra -Werror -I"$DIST/include" "$work/demo.c" -o "$work/demo" -L"$DIST/lib" -l:libsession.so -Wl,-rpath,"$DIST/lib"
"$work/demo"

SESSION_LIBRARY=$DIST/lib/libsession.so PYTHONPATH=$PWD/bindings/python python3 - <<'PY'
import session_interop as si
me, friend = si.Identity.generate(), si.Identity.generate()
print(f"[Python] libsession {si.version()}")
print(f"[Python] new Session ID  {me.session_id}")
print(f"[Python] recovery phrase {me.mnemonic}")
box = si.crypto.seal(me, friend.session_id, "hello from Python".encode())
text, sender = si.crypto.open(friend, box)
print(f"[Python] sealed {len(box)} bytes to {friend.session_id[:10]}…; opened: {text.decode()!r} from {sender[:10]}…")
PY
