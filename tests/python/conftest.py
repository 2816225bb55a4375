import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "bindings" / "python"))
os.environ.setdefault("SESSION_LIBRARY", str(ROOT / "dist" / "lib" / "libsession.so"))
