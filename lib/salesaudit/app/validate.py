"""Placeholder: being written now; replaced by its owner."""

HELP = "(being built)"


def add_arguments(parser):
    pass


def run(args):
    raise NotImplementedError
