from odoo import fields, models

from ..tools import client_input


class MqcDriftAction(models.Model):
    _name = "mqc.drift.action"
    _description = "Drift Action"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to offer it in every company.")

    _check_mqc_text_lengths = client_input.max_lengths(name=client_input.CHAR_MAX)
