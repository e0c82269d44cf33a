"""`python -m gateway` is the `pitchgate` command."""

from gateway.commands.main import main

main()
