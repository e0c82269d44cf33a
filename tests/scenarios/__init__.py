"""Scenario suite: generated mailboxes that play out the post-connection hard sell over weeks."""
