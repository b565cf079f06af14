def make_input(n):
    return list(range(n))
