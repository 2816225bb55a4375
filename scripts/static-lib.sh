#!/usr/bin/env bash
# Turns NativeAOT's static output (-p:NativeLib=Static) into one self-contained libsession.a.
#   scripts/static-lib.sh PUBLISH_DIR OUT.a "SYSTEM_LIBS"
# NativeAOT's libsession.a holds only the compiled managed code; a program must also link the
# runtime's archives and its bootstrapper object (listed by the WriteStaticLinkInputs target in
# src/NativeExports). We merge them into one archive, with the bootstrapper joined to the code
# object (ld -r) so that any reference to a session_* function pulls both in. SYSTEM_LIBS is what
# the Makefile puts into libsession.pc's Libs.private; it must cover every -l the runtime needs.
set -euo pipefail
publish=$1 out=$2 system_libs=$3
inputs=$publish/static-link-inputs.txt
[[ -f $publish/libsession.a && -f $inputs ]] || { echo "static-lib.sh: run the NativeLib=Static publish first" >&2; exit 1; }

for lib in $(grep '^-l' "$inputs"); do
    [[ " $system_libs " == *" $lib "* ]] || { echo "static-lib.sh: the runtime now needs $lib: add it to STATIC_SYSTEM_LIBS" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
archive=$(realpath "$publish/libsession.a")
(cd "$work" && ar x "$archive")
objects=("$work"/*.o)
ld -r -o "$work/libsession-core.o" "${objects[@]}" $(grep 'bootstrapperdll\.o$' "$inputs")
{
    echo "create $work/libsession.a"
    echo "addmod $work/libsession-core.o"
    grep '\.a$' "$inputs" | sed 's/^/addlib /'
    echo "save"
    echo "end"
} | ar -M
mv "$work/libsession.a" "$out"
