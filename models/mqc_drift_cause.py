from odoo import fields, models


class MqcDriftCause(models.Model):
    _name = "mqc.drift.cause"
    _description = "Drift Cause"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
