"""Files that hold children's records, written for their owner only: folders 0700, files
0600, never half-written (a temporary file beside the target, then an atomic rename).

Used for reports and exports alike; nothing here needs ReportLab.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

FOLDER_MODE, FILE_MODE = 0o700, 0o600
T = TypeVar("T")


def private_folder(folder: Path) -> Path:
    """The folder, made (with its missing parents) owner-only; an existing folder of ours is
    narrowed to 0700 too. Raises OSError when it cannot be made."""
    missing = []
    here = folder
    while not here.exists():
        missing.append(here)
        here = here.parent
    for made in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            made.mkdir(mode=FOLDER_MODE)
        os.chmod(made, FOLDER_MODE)  # mkdir's mode is narrowed by the umask, never widened
    if folder.is_dir() and folder.stat().st_uid == os.getuid():
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode & 0o077:
            os.chmod(folder, FOLDER_MODE)
    return folder


def write_private(path: Path, render: Callable[[BinaryIO], T]) -> T:
    """Call `render` with a binary file opened 0600 beside `path`, then move it into place.
    On any error the partial file is removed and the error raised; an older file at `path`
    is left as it was."""
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as file:
            os.fchmod(file.fileno(), FILE_MODE)  # an older partial file may have had another mode
            result = render(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return result
