"""What acts on verdicts: the headers added, the relay upstream, the quarantine, the digest and its links."""
