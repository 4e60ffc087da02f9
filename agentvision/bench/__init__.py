"""The mission benchmark: missions (YAML photo tasks), an independent judge and the runner.

``missions`` loads and validates mission files before anything runs; ``judge`` scores a run folder
against a mission from ground truth; ``runner`` runs every mission x strategy x seed under one budget.
"""
