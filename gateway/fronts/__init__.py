"""The fronts: the ways mail reaches the detection core (the SMTP proxy, replay, the IMAP watcher)."""
