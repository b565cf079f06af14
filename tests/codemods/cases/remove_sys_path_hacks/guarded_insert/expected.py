from helpers import make_input

print(len(make_input(3)))
