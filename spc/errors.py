"""Errors raised by the statistics engine."""


class SpcInputError(ValueError):
    """Bad input to an SPC / capability / MSA / sampling function.

    The message names the argument and the limit that was broken.
    """
