"""Reads the function declarations of include/session.h (one `SESSION_API ret name(params);` a line)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADER = ROOT / "include" / "session.h"
_DECL = re.compile(r"^SESSION_API (?P<ret>.+?) (?P<name>session_\w+)\((?P<params>.*)\);$")


@dataclass(frozen=True)
class Decl:
    name: str
    ret: str
    params: list[str]  # C types, names dropped


def _param_type(param: str) -> str:
    param = param.strip()
    # "const char* name" -> "const char*"; "uint32_t major" -> "uint32_t"
    return param.rsplit(" ", 1)[0].strip() if " " in param else param


def declarations(header: Path = HEADER) -> dict[str, Decl]:
    found = {}
    for line in header.read_text().splitlines():
        m = _DECL.match(line)
        if m:
            params = [] if m["params"] == "void" else [_param_type(p) for p in m["params"].split(",")]
            found[m["name"]] = Decl(m["name"], m["ret"], params)
    return found


def int32_typedefs(header: Path = HEADER) -> set[str]:
    """The enum-like typedefs (typedef int32_t name;) of the header."""
    return set(re.findall(r"^typedef int32_t (\w+);$", header.read_text(), re.M))
