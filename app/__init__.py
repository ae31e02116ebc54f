"""Moot's core: data model, op log, clock, merge rules, services, local store.

Nothing here imports Qt or a network library, so the same core runs in the desktop
app, the headless CLI and the hub.
"""
