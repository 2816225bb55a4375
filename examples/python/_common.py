"""Shared command-line options of the Python examples (network, data directory, name)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# Run from a checkout without installing: use bindings/python and dist/lib when present.
_ROOT = Path(__file__).resolve().parents[2]
if (_ROOT / "bindings" / "python").is_dir():
    sys.path.insert(0, str(_ROOT / "bindings" / "python"))
if "SESSION_LIBRARY" not in os.environ and (_ROOT / "dist" / "lib" / "libsession.so").exists():
    os.environ["SESSION_LIBRARY"] = str(_ROOT / "dist" / "lib" / "libsession.so")

import session_interop as si  # noqa: E402


def add_network_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="directory keeping this identity (created if new)")
    parser.add_argument("--seed-url", default=os.environ.get("SESSION_SEED_URL"),
                        help="network: a LocalNet's SEED_URL (default: $SESSION_SEED_URL, else mainnet)")
    parser.add_argument("--name", help="display name shown to recipients")


def open_client(args: argparse.Namespace) -> si.Client:
    return si.Client(data_dir=args.data, seed_url=args.seed_url, display_name=args.name,
                     options={"poll.min_interval_ms": 200, "poll.max_interval_ms": 1000})
