"""Errors raised by the metrology engine."""


class MetrologyInputError(ValueError):
    """Bad input to a metrology function (fits, uncertainty, decisions, intervals).

    The message names the argument and the limit that was broken.
    """
