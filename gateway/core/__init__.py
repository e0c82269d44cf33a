"""The detection core every front calls: the parsed message, the signals, the policy, the pipeline and the classifier."""
