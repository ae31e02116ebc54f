"""A new laptop joining a group, alone in its process: the bootstrap ``bench.hub_bench`` times.

    python -m bench.join_probe HUB_URL CODE PROFILE_DIR

A laptop that joins is a process of its own, holding nothing else; timed inside the
benchmark's process, the join would also pay for that process's heap (the whole
history it built), which no laptop has. Prints one JSON object: the join's seconds,
ops pulled, requests, bytes as ``HubClient`` counts them, the hub token, and the CPU
seconds this process spent in the join.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from app.store import open_store
from sync.client import HubClient
from sync.hubs import join_hub


def main(argv: list[str]) -> int:
    hub_url, code, folder = argv
    store = open_store(Path(folder), use_keyring=False)
    client = HubClient(hub_url)
    cpu, start = time.process_time(), time.perf_counter()
    joined = join_hub(store=store, hub_url=hub_url, code=code, client=client)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    store.close()
    answer = {
        "seconds": seconds,
        "pulled": joined.pulled,
        "requests": client.requests,
        "bytes_sent": client.bytes_sent,
        "bytes_received": client.bytes_received,
        "token": client.token or "",
        "cpu": cpu,
    }
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
