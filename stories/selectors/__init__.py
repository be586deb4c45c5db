"""Reads of stories shaped for the pages that show them, each with a fixed number of queries."""
