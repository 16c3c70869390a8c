"""Run one command and report its wall time, CPU time and peak memory as JSON on stdout.

    python benchmarks/measure.py COMMAND [ARG]...

A process's peak resident set (``ru_maxrss``) starts from that of the process that forked it, so
measuring from the benchmark itself, which holds fonts and documents in memory, would report the
benchmark's size for every small command. This launcher is small, so the figure is the command's.
The command's own output goes to this process's stderr; its exit status becomes this one's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=sys.stderr)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = process.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in kilobytes, macOS in bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    cpu = usage.ru_utime + usage.ru_stime  # with the worker processes it waited for
    report = {"pid": process.pid, "seconds": seconds, "cpu_seconds": cpu}
    print(json.dumps({**report, "peak_rss": usage.ru_maxrss * scale}))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
