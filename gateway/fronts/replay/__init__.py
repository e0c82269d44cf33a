"""The replay front: mailboxes on disk judged in Date order, as if they had arrived live."""
