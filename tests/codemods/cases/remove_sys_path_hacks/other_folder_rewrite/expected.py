import lib.stats as stats
import lib.timing as tm
from lib.timing import Timer


def bench():
    with Timer("sum"):
        total = sum(range(100))
    return stats.mean([total]), tm
