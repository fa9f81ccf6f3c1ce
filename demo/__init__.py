"""`make demo`: both taps against the local sandboxes into a real Singer target, twice.

See demo/run.py for what it shows; demo.toolenv installs the target.
"""
