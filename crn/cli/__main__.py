"""`python -m crn.cli`: the same as the `crn` console script."""

from crn.cli import main

main()
