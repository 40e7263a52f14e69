"""Benchmarks, each run as a script: ``python benchmarks/<name>.py`` (see each one's docstring).

This file makes the folder a regular package, so that with the repository root first on
``sys.path`` ``benchmarks.data`` is found here: pysbd's wheel installs a top-level
``benchmarks`` package of its own, which would otherwise win over a namespace package.
"""
