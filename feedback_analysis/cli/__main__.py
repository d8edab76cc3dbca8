"""``python -m feedback_analysis.cli``: the command line (the scheduled job runs it this way)."""

import sys

from feedback_analysis.cli import app

if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
