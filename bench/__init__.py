"""Benchmarks: not tests. Each starts real servers on loopback, drives them, and prints its figures with
their ratio to a baseline measured in the same run (see README.md beside this file)."""
