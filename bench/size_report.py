#!/usr/bin/env python3
"""What libsession.so is made of: its sections, and its symbols' sizes summed per managed assembly,
per namespace of our own code, and per statically linked native part (runtime, OpenSSL shim, ...).

    python3 bench/size_report.py build/publish/lib/libsession.so.dbg \
        src/NativeExports/obj/Release/net10.0/linux-x64/native/libsession.ilc.rsp > size.md

Reads the unstripped copy NativeAOT leaves beside the library (libsession.so.dbg) with `nm`, `readelf`
and `size -A` (binutils), and the ILC response file for the list of input assemblies (their names, as
NativeAOT mangles them, prefix each managed symbol). Symbols cover the code and most data; the rest
(.hydrated, unwind and exception tables) is shown per section only. Prints Markdown.
"""
import collections
import os
import re
import subprocess
import sys

# Statically linked native parts, recognised by symbol name (the first pattern that matches wins).
NATIVE_PARTS = [
    ("OpenSSL shim (System.Security.Cryptography.Native.OpenSsl)", re.compile(r"^(CryptoNative_|InitializeOpenSSLShim|[A-Z0-9]+_[A-Za-z0-9_]+_ptr$|[A-Z][A-Z0-9]*_[a-z_0-9]+$|EVP_|SSL_|X509_|ERR_|BIO_|OPENSSL|OpenSSL)")),
    ("TLS (System.Net.Security.Native)", re.compile(r"^NetSecurityNative_")),
    ("Brotli (System.IO.Compression.Native)", re.compile(r"^(Brotli|kStatic|kBrotli|_kBrotli|Brotli_|base_dist|kDictionary|kContext|kCodeLength|kInsert|kCopy|kBlock|kZeroRepsBits|kNonZeroRepsBits|kLog2Table|kUTF8|kSigned)")),
    ("zlib (System.IO.Compression.Native)", re.compile(r"^(CompressionNative_|deflate|inflate|zng_|z_|crc32|adler32|_tr_|zcalloc|zcfree)", re.I)),
    ("System.Native (POSIX shim)", re.compile(r"^SystemNative_")),
    ("runtime: GC", re.compile(r"^(WKS::|SVR::|GCHeap|gc_|GCToEEInterface|GCConfig|GCHandle|GCScan|GCToOSInterface)")),
    ("runtime: other (NativeAOT's C++ runtime, libstdc++ bits)", re.compile(r".")),
]


def assemblies(rsp):
    """Input assemblies of the ILC run, longest mangled prefix first."""
    names = []
    with open(rsp) as f:
        for line in f:
            line = line.strip()
            path = line[3:] if line.startswith("-r:") else line
            if path.endswith(".dll"):
                names.append(os.path.basename(path)[:-4])
    out = []
    for n in set(names):
        mangled = n.replace("System.Private.", "S_P_").replace(".", "_")
        out.append((mangled + "_", n))
    return sorted(out, key=lambda p: -len(p[0]))


# NativeAOT's own tables, by symbol name: what they hold, and the setting that shrinks them if any.
AOT_TABLES = [
    ("managed: type and code data, compressed (__dehydrated_data; all assemblies)", re.compile(r"^__dehydrated_data$")),
    ("managed: metadata for reflection and stack traces (StackTraceSupport)", re.compile(r"^(__embedded_metadata|_stacktrace_)")),
    ("managed: string literals", re.compile(r"^__Str_")),
    ("unwind tables (.eh_frame_hdr)", re.compile(r"^__GNU_EH_FRAME_HDR$")),
    ("managed: runtime lookup tables (generics, statics, interop)", re.compile(r"^(__generic|__external_|__method_to|__nativelayout|__type_to|__Generic|__array_type|__gvm|__GCStatic|__embedded_resource|_StaticsInfo|__Frozen|__writ|__Interop|__read)")),
]


def classify(symbol, prefixes):
    """(assembly or native part, rest of the name) for one symbol."""
    for part, pattern in AOT_TABLES:
        if pattern.search(symbol):
            return part, symbol
    s = re.sub(r"^(_lsda\d+|_ZTV\d+|unbox_|<Boxed>)", "", symbol)
    for strip in ("__GenericDict_", "__GenericLookupFromDict_", "__NonGCStaticBase_", "__GCStaticBase_",
                  "__ThreadStaticBase_", "__TypeHandle_", "__RuntimeFieldHandle_", "__readonlydata_", "<Boxed>", "_ZL"):
        if s.startswith(strip):
            s = s[len(strip):]
    for prefix, name in prefixes:
        if s.startswith(prefix):
            return name, s[len(prefix):]
    if s.startswith("System___Canon") or (s.startswith("__") and not s.startswith("__cxa")):
        return "managed: other compiler-generated", s
    for part, pattern in NATIVE_PARTS:
        if pattern.search(symbol):
            return part, symbol
    return "other", symbol


def symbol_sizes(dbg):
    """(name, bytes) per symbol: a symbol owns the bytes up to the next symbol of its section (NativeAOT
    gives most managed methods no size), so the sizes add up to each section's symbolised span."""
    ranges = []
    for line in subprocess.run(["readelf", "-S", "-W", dbg], capture_output=True, text=True, check=True).stdout.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if m and int(m.group(2), 16) > 0:
            ranges.append((int(m.group(2), 16), int(m.group(2), 16) + int(m.group(3), 16)))
    by_section = collections.defaultdict(dict)
    for line in subprocess.run(["nm", "-n", "--defined-only", dbg], capture_output=True, text=True, check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] in "aAU":
            continue
        addr = int(parts[0], 16)
        for r in ranges:
            if r[0] <= addr < r[1]:
                by_section[r].setdefault(addr, parts[2])   # aliases at one address count once
                break
    for (start, end), symbols in by_section.items():
        addrs = sorted(symbols)
        for i, addr in enumerate(addrs):
            yield symbols[addr], (addrs[i + 1] if i + 1 < len(addrs) else end) - addr


def namespace(rest):
    """SessionInterop_Crypto_Identity__Foo -> SessionInterop.Crypto (two name parts before the type)."""
    head = rest.split("__", 1)[0]
    parts = head.split("_")
    return ".".join(parts[:2]) if len(parts) > 2 else ".".join(parts[:1])


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    dbg, rsp = sys.argv[1], sys.argv[2]
    prefixes = assemblies(rsp)
    sections = []
    for line in subprocess.run(["size", "-A", dbg], capture_output=True, text=True, check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit() and parts[0].startswith((".", "__")) and not parts[0].startswith(".debug"):
            sections.append((parts[0], int(parts[1])))
    per_part = collections.Counter()
    per_ns = collections.Counter()
    total = 0
    for name, size in symbol_sizes(dbg):
        part, rest = classify(name, prefixes)
        per_part[part] += size
        total += size
        if part in ("SessionInterop.Managed", "libsession"):
            per_ns[f"{part}: {namespace(rest)}"] += size
    loaded = sum(s for n, s in sections if not n.startswith(".debug") and n not in (".bss", ".tbss"))
    mb = 1e6
    print(f"Sections of libsession.so (loaded bytes {loaded / mb:.2f} MB; the file also holds headers and symbol tables):")
    print()
    print("| Section | MB |")
    print("|---|---:|")
    for n, s in sorted(sections, key=lambda p: -p[1])[:10]:
        print(f"| `{n}` | {s / mb:.2f} |")
    print()
    print(f"Symbol sizes per assembly or native part ({total / mb:.2f} MB attributed to symbols):")
    print()
    print("| Part | MB | Share |")
    print("|---|---:|---:|")
    for part, s in per_part.most_common(25):
        print(f"| {part} | {s / mb:.2f} | {s / total:.0%} |")
    print()
    print("Our own code, per namespace:")
    print()
    print("| Namespace | KB |")
    print("|---|---:|")
    for ns, s in per_ns.most_common(20):
        print(f"| {ns} | {s / 1e3:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
