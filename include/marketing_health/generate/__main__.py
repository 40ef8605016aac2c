"""``python -m marketing_health.generate``: the ``generate`` command without the package CLI."""

import sys

from marketing_health.generate.cli import main

sys.exit(main())
