from odoo import fields, models


class MqcDriftCause(models.Model):
    _name = "mqc.drift.cause"
    _description = "Drift Cause"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to offer it in every company.")
