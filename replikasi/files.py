"""Writing files that other processes read while they are written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes, prefix: str = ".tmp-") -> None:
    """Write `data` to `target` under a hidden temporary name in the same folder, then rename
    it into place: a reader (an ingest running meanwhile, another replica) sees the old file
    or the new one, never half of it. The temporary file is removed on any failure."""
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=prefix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
