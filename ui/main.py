"""The ``moot`` command: a subcommand runs headless; none opens the desktop app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    window_args = _window_args(args)
    if window_args is not None:
        from ui.gui import run_gui  # Qt is loaded only for the window

        return run_gui(
            data_dir=Path(window_args.data_dir) if window_args.data_dir else None,
            demo=window_args.demo,
            smoke_test=window_args.smoke_test,
        )
    from ui.cli import run

    return run(args)


def _window_args(args: list[str]) -> argparse.Namespace | None:
    """The options of ``moot [--data-dir DIR] [--demo] [--smoke-test]``; None when a
    subcommand is given.
    """
    parser = argparse.ArgumentParser(prog="moot", add_help=False)
    parser.add_argument("--data-dir")
    parser.add_argument("--demo", action="store_true")  # a sample profile of its own
    parser.add_argument("--smoke-test", action="store_true")  # start, say so, quit
    try:
        parsed, rest = parser.parse_known_args(args)
    except SystemExit:
        return None
    return None if rest else parsed


if __name__ == "__main__":
    sys.exit(main())
