"""A second, independent scenario generator (issue 13): a multilingual company mailbox with labels, and its measurement."""
