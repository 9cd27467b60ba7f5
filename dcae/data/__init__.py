"""Data: reading image files and building the training corpus (torch-free: `files`, `scan`, `corpus`), and
the PyTorch side (`tensors`: images <-> tensors; `datasets`: crops and loaders for training and evaluation).

The torch-free modules are what `dcae data fetch` and the gateway-side tools run; import-linter keeps them so
(pyproject's [tool.importlinter]).
"""
