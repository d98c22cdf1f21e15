from odoo import api, fields, models

from .mqc_guarded_mixin import require_quality_user


class MrpWorkcenter(models.Model):
    _inherit = "mrp.workcenter"

    mqc_supervisor_id = fields.Many2one(
        "res.users",
        "Quality Supervisor",
        help="Told of the quality alerts raised at this work centre, and acknowledges them.",
    )

    @api.model
    def _mqc_kiosk_data(self):
        """Work centres with their work orders ready or in progress, for the
        tablet kiosk (mqc.tablet.kiosk checked the caller)."""
        workorders = self.env["mrp.workorder"].search(
            [
                ("state", "in", ("ready", "progress")),
                ("production_state", "not in", ("done", "cancel")),
            ],
            order="workcenter_id, date_start, id",
        )
        centres = {}
        for workorder in workorders:
            centre = centres.setdefault(
                workorder.workcenter_id.id,
                {
                    "id": workorder.workcenter_id.id,
                    "name": workorder.workcenter_id.name,
                    "workorders": [],
                },
            )
            centre["workorders"].append(
                {
                    "id": workorder.id,
                    "name": workorder.name,
                    "production": workorder.production_id.name,
                    "product": workorder.product_id.display_name,
                    "state": workorder.state,
                    "todo": workorder.mqc_check_todo_count,
                }
            )
        return list(centres.values())
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
        require_quality_user(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_quality_control.mqc_shift_note_action"
        )
        action["domain"] = [("workcenter_id", "=", self.id)]
        action["context"] = {
            "default_workcenter_id": self.id,
            "search_default_filter_open": 1,
        }
        return action
