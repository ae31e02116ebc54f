"""What people do with a group, as plain functions over a store: no Qt, no network.

Every function takes the store as a keyword argument and opens its own unit of work,
so the CLI, the desktop app's workers and the tests all call the same code.
"""
