"""`python -m kzkg_tools` behaves exactly like the `kzkg` console script."""

from kzkg_tools.cli import main

main()
