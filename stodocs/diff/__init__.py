"""Diffs between two versions of a region: change set, summaries, redline."""
