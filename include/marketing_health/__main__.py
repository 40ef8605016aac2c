import sys

from marketing_health.cli import main

if __name__ == "__main__":
    sys.exit(main())
