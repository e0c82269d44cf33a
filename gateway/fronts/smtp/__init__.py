"""The SMTP front: an aiosmtpd server in front of the real MTA, deciding direction from who connected."""
