"""`python -m bench.summary`: see evaluate.py."""

from bench.summary.evaluate import main

main()
