"""The fronts that receive mail and hand it to the detection core: the SMTP proxy, replay of mailboxes, and IMAP."""
