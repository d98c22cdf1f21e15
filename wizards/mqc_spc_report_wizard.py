from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.mqc_spc_limit import KINDS


class MqcSpcReportWizard(models.TransientModel):
    """Prints the control-chart report of a characteristic with the filters
    of the SPC screen."""

    _name = "mqc.spc.report.wizard"
    _description = "Print a Control Chart Report"

    characteristic_id = fields.Many2one(
        "mqc.characteristic", required=True, ondelete="cascade",
        domain=[("result_type", "!=", False)],
    )  # fmt: skip
    result_type = fields.Selection(related="characteristic_id.result_type")
    plan_code = fields.Char(related="characteristic_id.plan_id.code")
    date_from = fields.Datetime("From")
    date_to = fields.Datetime("To")
    product_id = fields.Many2one("product.product")
    operation_id = fields.Many2one("mrp.routing.workcenter")
    workcenter_id = fields.Many2one("mrp.workcenter", "Work Centre")
    lot_id = fields.Many2one("stock.lot", "Lot/Serial Number")
    plan_id = fields.Many2one(
        "mqc.control.plan", "Plan Revision", help="Only the values recorded under this revision."
    )
    subgroup_size = fields.Integer(
        default=1, help="1: individuals chart (I-MR); 2 to 8: X-bar R; 9 and more: X-bar S."
    )
    kind = fields.Selection(KINDS, "Chart", help="Empty: the chart that fits the data.")

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "mqc.characteristic" and context.get("active_id"):
            vals.setdefault("characteristic_id", context["active_id"])
        return vals

    def _filters(self):
        self.ensure_one()
        if self.subgroup_size < 1:
            raise UserError(self.env._("Subgroup size: must be at least 1."))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(self.env._("Period: the start must be before the end."))
        filters = {"subgroup_size": self.subgroup_size}
        for name in ("product_id", "operation_id", "workcenter_id", "lot_id", "plan_id"):
            if self[name]:
                filters[name] = self[name].id
        for name in ("date_from", "date_to"):
            if self[name]:
                filters[name] = fields.Datetime.to_string(self[name])
        if self.kind:
            filters["kind"] = self.kind
        return filters

    def action_print(self):
        self.ensure_one()
        return self.env.ref("mrp_quality_control.action_report_spc_control_chart").report_action(
            self.characteristic_id,
            data={"filters": self._filters(), "characteristic_ids": self.characteristic_id.ids},
            config=False,
        )
