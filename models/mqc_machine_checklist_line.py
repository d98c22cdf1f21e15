from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import client_input


class MqcMachineChecklistLine(models.Model):
    _name = "mqc.machine.checklist.line"
    _description = "Machine Checklist Line"
    _order = "checklist_id, sequence, id"

    checklist_id = fields.Many2one(
        "mqc.machine.checklist", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="checklist_id.company_id", store=True, index=True)
    item_id = fields.Many2one("mqc.checklist.item", "Check", required=True, ondelete="restrict")
    sequence = fields.Integer(default=10)
    category = fields.Selection(related="item_id.category", store=True)
    expected = fields.Char(related="item_id.expected")
    result = fields.Selection([("ok", "OK"), ("nok", "Not OK")])
    note = fields.Char("Value / Note", help="The value read (coolant at 6 %) or what is wrong.")
    maintenance_request_id = fields.Many2one("maintenance.request", readonly=True, copy=False)

    _check_mqc_text_lengths = client_input.max_lengths(note=client_input.CHAR_MAX)

    @api.depends("item_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.item_id.display_name or ""

    def write(self, vals):
        if {"result", "note", "item_id"} & set(vals) and any(
            line.checklist_id.state == "done" for line in self
        ):
            raise UserError(
                self.env._("This checklist is done; its results can no longer be changed.")
            )
        return super().write(vals)
