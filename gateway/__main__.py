"""`python -m gateway` is the `pitchgate` command."""

from gateway.cli import main

main()
