"""The profile's log file: what went wrong, with its traceback, for whoever helps later.

Every part of Moot logs through ``logging`` under its module's name; this sends the
records of ``app``, ``sync`` and ``ui`` (information and worse), and every library's
warnings, to ``moot.log`` in the profile folder. It is kept small: two old files
at most beside it.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "moot.log"
MAX_BYTES = 1_000_000
OURS = ("app", "sync", "ui")
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

_handler: RotatingFileHandler | None = None


def log_to_file(data_dir: Path) -> Path:
    """Log to the profile's file from now on (a second call moves the log to its profile)."""
    global _handler
    path = Path(data_dir) / LOG_FILE
    root = logging.getLogger()
    if _handler is not None:
        if Path(_handler.baseFilename) == path.resolve():
            return path
        root.removeHandler(_handler)
        _handler.close()
    _handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=2, encoding="utf-8")
    _handler.setLevel(logging.INFO)
    _handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(_handler)
    for name in OURS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    return path
