"""Build hook for the one optional C module; everything else is in pyproject.toml.

``optional=True``: where no C compiler is found the install still succeeds and the analyzer
uses the pure-Python versions of the same passes (same results, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "benchmig.analyzer._speedups",
            ["src/benchmig/analyzer/_speedups.c"],
            optional=True,
        )
    ]
)
