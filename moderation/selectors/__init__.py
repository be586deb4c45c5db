"""Reads shaped for moderation's pages, each with a fixed number of queries whatever the page size."""
