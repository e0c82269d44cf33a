"""The IMAP front: watches a hosted mailbox (Gmail, Fastmail, Outlook) and acts on the mailbox itself.

connection (TLS and authentication), mailbox (the IMAP operations, typed), cursor (how far each folder was
read), actions (pass, tag, hold), learning (Sent folder and people's drags), backfill (the first start) and
watcher (IDLE, polling, reconnecting) are each one module.
"""
