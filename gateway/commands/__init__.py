"""The `pitchgate` command line: one module per group of commands."""
