"""`python -m neuroimmune ...` runs the command line."""

from .cli import main

main()
