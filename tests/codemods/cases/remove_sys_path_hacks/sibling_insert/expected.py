"""Sum a list."""
import time

from helpers import make_input


def main():
    data = make_input(1000)
    start = time.perf_counter()
    sum(data)
    print(time.perf_counter() - start)


if __name__ == "__main__":
    main()
