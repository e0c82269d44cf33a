"""pitchgate: an SMTP gateway that judges the relationship between sender and recipient, not one message."""

__version__ = "0.1.0"
