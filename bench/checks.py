"""The bench scripts' own checks (never timings): each script counts them and ends with
"<name>: N passed, N failed" ("<name>-smoke: ..." in a smoke run), the line bench/run.sh adds up."""
import sys


class Checks:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def __call__(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"{self.name}: CHECK FAILED: {what}", file=sys.stderr)

    def summary(self, smoke=False):
        """Prints the summary line; returns the script's exit status."""
        print(f"{self.name}{'-smoke' if smoke else ''}: {self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1
