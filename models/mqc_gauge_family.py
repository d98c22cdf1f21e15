from odoo import fields, models

from ..tools import client_input


class MqcGaugeFamily(models.Model):
    """Family of measuring equipment a characteristic requires (caliper,
    micrometer, CMM...). The gauges themselves are maintenance equipment."""

    _name = "mqc.gauge.family"
    _description = "Gauge Family"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    category = fields.Selection(
        [
            ("instrument", "Measuring instrument"),
            ("fixed_gauge", "Fixed gauge"),
            ("reference", "Reference standard"),
            ("machine", "Measuring or testing machine"),
            ("ndt", "Non-destructive testing equipment"),
        ],
        required=True,
        default="instrument",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _check_mqc_text_lengths = client_input.max_lengths(
        name=client_input.CHAR_MAX,
        code=client_input.CHAR_MAX,
        description=client_input.REASON_MAX,
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a gauge family must be unique."),
    ]
