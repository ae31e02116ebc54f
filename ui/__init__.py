"""Moot's faces: the headless command line and the desktop window.

Nothing here imports Qt at module level except the Qt shim, so the command line runs
on machines with no display and no Qt libraries loaded.
"""
