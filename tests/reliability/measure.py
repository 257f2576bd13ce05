"""Run a command, then write its exit code, peak RSS and wall time as JSON to a file.

    python -m tests.reliability.measure RESULT.json COMMAND ...

Why a separate launcher: on Linux a child's ru_maxrss includes the memory of the process it
was forked from, up to its exec. Forked from the test process (hundreds of MB once the model
is loaded), any command would seem to use that much. Forked from this small launcher, the
command's figure is its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> int:
    result_path, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "code": os.waitstatus_to_exitcode(status),
                "peak_rss_kb": usage.ru_maxrss,  # kilobytes on Linux
                "seconds": seconds,
            },
            handle,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
