"""Values sent by clients (the tablet, the SPC screen, any JSON-RPC script),
checked and converted before a public method uses them.

JSON-RPC hands Python whatever the client wrote: ids may be strings or
lists, numbers NaN, +/-Infinity or 1e309 (infinity again), text megabytes
long. Each helper returns the value converted, or raises a translated
``UserError`` naming the field and the limit broken: never a traceback, and
nothing is written before the arguments are checked.

``message``: the refusal to raise instead of the generic one (to keep a text
the users and the translations already know).
"""

import math
import re
from datetime import date, datetime

from odoo import api, fields
from odoo.exceptions import UserError, ValidationError

MAX_ID = 2**31 - 1  # PostgreSQL integer, the type of ids
MAX_INT = 2**31 - 1  # fields.Integer
NUMBER_MAX_LEN = 32  # characters of a number typed as text
# Largest magnitude of a number: 12 digits before the point and 6 after are
# what a float holds, and what the ORM's rounding to 6 decimals can scale
# (it overflows near 1e302).
MAX_MAGNITUDE = 1e12
SHOWN = 40  # characters of a refused value quoted in a message

# Free-text limits of the add-on's fields and of the methods that write them.
CHAR_MAX = 256
NOTE_MAX = 2000
REASON_MAX = 4000
HTML_MAX = 50000

# A decimal point or comma; digits grouped by thousands with a space
# (normal, no-break, narrow no-break, thin) or an apostrophe: 1 234,5 / 1'234.5.
PLAIN = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")
GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:[ \u00a0\u202f\u2009'\u2019][0-9]{3})+([.,][0-9]*)?")
INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
ID = re.compile(r"[0-9]{1,10}")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2})?")
GROUP_MARKS = str.maketrans("", "", " \u00a0\u202f\u2009'\u2019")


def shown(raw):
    """``raw`` as quoted in a refusal: short, whatever its size."""
    text = raw if isinstance(raw, str) else repr(raw)
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}…"


def empty(raw):
    """None, False or "": no value sent (0 and [] are values)."""
    return raw is None or raw is False or (isinstance(raw, str) and raw == "")


def _refuse(message, default):
    raise UserError(message or default)


def record_id(env, raw, label, required=True, message=None):
    """An id: an int or a string of decimal digits, from 1 to 2**31 - 1.
    Empty (None, False, "", 0) gives False when not ``required``."""
    if not required and (empty(raw) or type(raw) is int and raw == 0):
        return False
    value = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and ID.fullmatch(raw.strip()):
        value = int(raw.strip())
    if value is None or not 1 <= value <= MAX_ID:
        _refuse(
            message,
            env._(
                "%(field)s: the id of a record is due, a whole number from 1 to %(maximum)s "
                "(got %(value)s).",
                field=label,
                maximum=MAX_ID,
                value=shown(raw),
            ),
        )
    return value


def ids(env, raw, label, max_count, message=None):
    """A list of ids (see ``record_id``), at most ``max_count``, duplicates
    dropped, order kept."""
    if not isinstance(raw, list | tuple):
        _refuse(
            message,
            env._(
                "%(field)s: a list of ids is due (got %(value)s).", field=label, value=shown(raw)
            ),
        )
    if len(raw) > max_count:
        _refuse(
            message,
            env._(
                "%(field)s: at most %(maximum)s ids (got %(count)s).",
                field=label,
                maximum=max_count,
                count=len(raw),
            ),
        )
    return list(dict.fromkeys(record_id(env, item, label, message=message) for item in raw))


def existing(env, model, raw, label, access="read", message=None):
    """The record of ``model`` whose id is ``raw``: refused when the id is not
    an id or the record does not exist (deleted; ``message`` then); AccessError
    when the user may not ``access`` it."""
    record = env[model].browse(record_id(env, raw, label)).exists()
    if not record:
        _refuse(
            message,
            env._("%(field)s: this record does not exist (id %(id)s).", field=label, id=shown(raw)),
        )
    if access:
        record.check_access(access)
    return record


def finite_number(env, raw, label, limit=MAX_MAGNITUDE, message=None):
    """A finite float from an int, a float or a number typed as text (decimal
    point or comma, thousands grouped by spaces or apostrophes, at most
    NUMBER_MAX_LEN characters), from -``limit`` to ``limit``. NaN, +/-inf
    and overflows are refused."""
    value = None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            value = float(raw)
        except OverflowError:  # an int beyond the floats
            value = math.inf
    elif isinstance(raw, str):
        text = raw.strip()
        if len(text) > NUMBER_MAX_LEN:
            _refuse(
                message,
                env._(
                    "%(field)s: a number of at most %(limit)s characters is due (got %(length)s).",
                    field=label,
                    limit=NUMBER_MAX_LEN,
                    length=len(text),
                ),
            )
        if PLAIN.fullmatch(text) or GROUPED.fullmatch(text):
            value = float(text.translate(GROUP_MARKS).replace(",", "."))
    if value is None:
        _refuse(
            message,
            env._("%(field)s: a number is due (got '%(value)s').", field=label, value=shown(raw)),
        )
    if not math.isfinite(value):
        _refuse(
            message,
            env._(
                "%(field)s: a finite number is due (got '%(value)s').",
                field=label,
                value=shown(raw),
            ),
        )
    if abs(value) > limit:
        bound = format(limit, "g")  # outside the call: babel reads its arguments
        _refuse(
            message,
            env._(
                "%(field)s: a number from -%(limit)s to %(limit)s is due (got '%(value)s').",
                field=label,
                limit=bound,
                value=shown(raw),
            ),
        )
    return value


def whole_number(env, raw, label, minimum=0, maximum=MAX_INT, message=None):
    """An int from ``minimum`` to ``maximum``: an int, an integral float or a
    string of decimal digits (with a sign)."""
    value = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and INTEGER.fullmatch(raw.strip()):
        value = int(raw.strip())
    if value is None or value < minimum:
        _refuse(
            message,
            env._(
                "%(field)s: a whole number of at least %(minimum)s is due (got %(value)s).",
                field=label,
                minimum=minimum,
                value=shown(raw),
            ),
        )
    if value > maximum:  # the limit named whatever ``message`` says
        _refuse(
            None,
            env._(
                "%(field)s: a whole number of at most %(maximum)s is due (got %(value)s).",
                field=label,
                maximum=maximum,
                value=shown(raw),
            ),
        )
    return value


def text(env, raw, label, max_len, required=False, message=None):
    """A string, stripped, of at most ``max_len`` characters; "" for None or
    False unless ``required``."""
    if empty(raw):
        raw = ""
    if not isinstance(raw, str):
        _refuse(
            message,
            env._("%(field)s: a text is due (got %(value)s).", field=label, value=shown(raw)),
        )
    value = raw.strip()
    if len(value) > max_len:
        _refuse(message, too_long(env, label, max_len, len(value)))
    if required and not value:
        _refuse(message, env._("%(field)s: it is required.", field=label))
    return value


def too_long(env, label, max_len, length):
    return env._(
        "%(field)s: at most %(limit)s characters (got %(length)s).",
        field=label,
        limit=max_len,
        length=length,
    )


def date_or_datetime(env, raw, label, message=None):
    """A datetime from ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS`` (UTC, as the
    ORM writes them), a date or a datetime."""
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    value = None
    if isinstance(raw, str) and DATE.fullmatch(raw.strip()):
        try:
            value = fields.Datetime.to_datetime(raw.strip())
        except ValueError:  # no such day or time
            value = None
    if value:
        return value
    _refuse(
        message,
        env._(
            "%(field)s: a date is due, as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (got %(value)s).",
            field=label,
            value=shown(raw),
        ),
    )


def choice(env, raw, label, allowed, message=None):
    """``raw`` if it is one of ``allowed`` (values, or (value, label) pairs)."""
    values = [item[0] if isinstance(item, tuple | list) else item for item in allowed]
    if isinstance(raw, str | int | float | bool | None) and raw in values:
        return raw
    _refuse(
        message,
        env._(
            "%(field)s: choose one of %(choices)s (got %(value)s).",
            field=label,
            choices=", ".join(str(value) for value in values),
            value=shown(raw),
        ),
    )


def mapping(env, raw, label, keys=None, message=None):
    """A dict (None gives {}); with ``keys``, only those keys."""
    if empty(raw):
        return {}
    if not isinstance(raw, dict):
        _refuse(
            message,
            env._("%(field)s: a dictionary is due (got %(value)s).", field=label, value=shown(raw)),
        )
    unknown = sorted(str(key) for key in set(raw) - set(keys)) if keys is not None else []
    if unknown:
        _refuse(
            message,
            env._(
                "%(field)s: unknown key %(key)s; allowed: %(keys)s.",
                field=label,
                key=shown(unknown[0]),
                keys=", ".join(sorted(keys)),
            ),
        )
    return raw


def max_lengths(**limits):
    """A constraint of the model on the length of its free-text fields:
    ``_check_mqc_text_lengths = client_input.max_lengths(note=NOTE_MAX)``. The
    refusal names the field and its limit."""

    @api.constrains(*limits)
    def _check_mqc_text_lengths(self):
        for record in self:
            for name, limit in limits.items():
                value = record[name]
                if value and len(value) > limit:
                    label = record._fields[name]._description_string(self.env)
                    raise ValidationError(too_long(self.env, label, limit, len(value)))

    return _check_mqc_text_lengths
