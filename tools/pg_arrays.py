"""Rows of a query as numpy columns through PostgreSQL's binary COPY."""

import io

import numpy as np

from odoo.tools import SQL

# PostgreSQL binary COPY: 11-byte signature, flags and extension length
# before the rows; a field count of -1 after them.
COPY_HEADER = 19
COPY_TRAILER = 2


def copy_columns(cr, query, columns):
    """Runs ``query`` through PostgreSQL's binary COPY and returns its columns
    as native numpy arrays, without building a Python object per value.

    ``columns``: [(name, numpy big-endian format)] in the order of the query's
    select list. The rows must be fixed-width: no NULL, fixed-size types only
    (the query COALESCEs)."""
    fields_ = [("count", ">i2")]
    for name, fmt in columns:
        fields_ += [(f"{name}_len", ">i4"), (name, fmt)]
    row = np.dtype(fields_)
    buffer = io.BytesIO()
    copy = SQL("COPY (%s) TO STDOUT WITH (FORMAT binary)", query)
    cr.copy_expert(cr.mogrify(copy).decode(), buffer)
    cr.sql_log_count += 1  # counted as a query, like cr.execute
    raw = buffer.getbuffer()
    body = len(raw) - COPY_HEADER - COPY_TRAILER
    if body < 0 or body % row.itemsize:
        raise ValueError(f"unexpected binary COPY size {len(raw)} for rows of {row.itemsize}")
    rows = np.frombuffer(raw, dtype=row, count=body // row.itemsize, offset=COPY_HEADER)
    return {name: rows[name].astype(np.dtype(fmt).newbyteorder("=")) for name, fmt in columns}
