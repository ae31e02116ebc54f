"""What the frozen ``moot-hub`` runs: the same entry point as the installed command."""

import sys

from sync.hub.cli import main

sys.exit(main())
