"""What the frozen ``moot`` runs: the same entry point as the installed command."""

import sys

from ui.main import main

sys.exit(main())
