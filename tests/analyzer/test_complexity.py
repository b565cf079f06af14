"""McCabe complexity per function, for the module, and in total."""

from __future__ import annotations

import textwrap

from benchmig.analyzer._complexity import MODULE_KEY, Complexity
from benchmig.analyzer._extract import extract_facts
from benchmig.analyzer._facts import FileFacts


def facts(source: str) -> FileFacts:
    result = extract_facts("c.py", textwrap.dedent(source).lstrip("\n").encode())
    assert result.status == "ok", result.error
    return result


def test_straight_line_code() -> None:
    result = facts(
        """
        def f():
            return 1

        x = f()
        """
    )
    assert result.extra["function_complexity"] == {"f": 1}
    assert result.extra["module_complexity"] == 1
    assert (result.complexity, result.max_function_complexity) == (2, 1)


def test_every_decision_point_counts() -> None:
    result = facts(
        """
        def f(xs, a, b):
            if a and b or a:          # if +1, two extra boolean operands +2
                pass
            elif b:                   # +1
                pass
            for x in xs:              # +1
                while x:              # +1
                    x -= 1
            try:
                pass
            except ValueError:        # +1
                pass
            except (KeyError, TypeError):  # +1
                pass
            y = 1 if a else 2         # +1
            z = [i for i in xs if i if i > 1]  # comprehension +1, two ifs +2
            match a:
                case 1:               # +1
                    pass
                case _:               # +1
                    pass
            return y, z
        """
    )
    assert result.extra["function_complexity"] == {"f": 1 + 3 + 1 + 1 + 1 + 2 + 1 + 3 + 2}


def test_methods_count_separately_and_nested_functions_count_towards_their_parent() -> None:
    result = facts(
        """
        class A:
            def m(self, x):
                if x:
                    return 1
                return 0

            def n(self):
                def helper(y):
                    if y:
                        return y
                return helper
        if True:
            pass
        """
    )
    assert result.extra["function_complexity"] == {"A.m": 2, "A.n": 2}
    assert result.extra["module_complexity"] == 2
    assert result.complexity == 6
    assert result.max_function_complexity == 2


def test_counter_without_functions() -> None:
    counter = Complexity()
    counter.add(3)
    assert counter.counts == {MODULE_KEY: 4}
    assert counter.functions() == {}
    assert (counter.total, counter.max_function) == (4, 0)
