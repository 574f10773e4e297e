"""Benchmarks (not tests): run with `make bench` or `python -m bench [name ...]`.

Each benchmark prints a table and compares against a baseline measured in the same
run, because these machines are shared and noisy: ratios travel, absolute figures
only describe this machine at this moment.
"""
