def row(x):
    return str(x)
