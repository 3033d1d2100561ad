"""The demo network: a deterministic generator of a realistic customer network and its loader."""
