"""Calls one export as the very first call into libsession in this process, with zero/NULL for
every argument, and prints its result. Usage: first_call.py LIBRARY EXPORT.

A NativeAOT library initialises its runtime inside the first call; an export that is unsafe there
(stackalloc in its body, for example) aborts the process. Zero arguments must give a clean status.
"""
import ctypes
import sys

from header import declarations, int32_typedefs

SCALARS = {
    "int32_t": ctypes.c_int32, "uint32_t": ctypes.c_uint32, "int64_t": ctypes.c_int64,
    "uint64_t": ctypes.c_uint64, "size_t": ctypes.c_size_t, "session_status": ctypes.c_int32,
    "void": None,
}


def ctype(c: str):
    if c.endswith("*") or c.endswith("_fn") or c.endswith("_cb"):
        return ctypes.c_void_p
    if c in SCALARS:
        return SCALARS[c]
    if c in int32_typedefs():
        return ctypes.c_int32
    raise SystemExit(f"first_call.py: no ctypes mapping for {c!r}")


def main() -> int:
    library, name = sys.argv[1], sys.argv[2]
    decl = declarations()[name]
    lib = ctypes.CDLL(library)
    fn = getattr(lib, name)
    fn.restype = ctype(decl.ret)
    fn.argtypes = [ctype(p) for p in decl.params]
    result = fn(*([None if t is ctypes.c_void_p else 0 for t in fn.argtypes]))
    print(f"{name} -> {result!r}")
    if decl.ret == "session_status":  # a NULL handle must be reported, never crash or be "internal"
        print(f"status={result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
