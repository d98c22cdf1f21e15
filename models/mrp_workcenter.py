from odoo import fields, models


class MrpWorkcenter(models.Model):
    _inherit = "mrp.workcenter"

    mqc_equipment_id = fields.Many2one(
        "maintenance.equipment",
        "Machine (Equipment)",
        check_company=True,
        help="The maintenance equipment of this machine: corrective requests opened by the "
        "shift-start checklist are filed on it.",
    )
    mqc_shift_note_ids = fields.One2many("mqc.shift.note", "workcenter_id", "Handover Notes")
    mqc_open_note_count = fields.Integer(
        "Open Handover Notes", compute="_compute_mqc_open_note_count"
    )

    def _compute_mqc_open_note_count(self):
        counts = dict(
            self.env["mqc.shift.note"]._read_group(
                [("workcenter_id", "in", self.ids), ("state", "=", "open")],
                ["workcenter_id"],
                ["__count"],
            )
        )
        for workcenter in self:
            workcenter.mqc_open_note_count = counts.get(workcenter, 0)

    def action_mqc_open_shift_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_quality_control.mqc_shift_note_action"
        )
        action["domain"] = [("workcenter_id", "=", self.id)]
        action["context"] = {
            "default_workcenter_id": self.id,
            "search_default_filter_open": 1,
        }
        return action
