"""A module of a package that reaches its siblings through a hack."""

import suite.core.types as types
from suite.core.sibling import helper


def run():
    return helper(), types.VALUE
