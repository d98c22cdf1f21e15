from odoo import fields, models


class MrpRoutingWorkcenter(models.Model):
    _inherit = "mrp.routing.workcenter"

    mqc_characteristic_ids = fields.Many2many(
        "mqc.characteristic",
        string="Controlled Characteristics",
        compute="_compute_mqc_characteristic_ids",
        help="Characteristics of the approved control plan checked at this operation.",
    )
    mqc_characteristic_count = fields.Integer(
        "Characteristics", compute="_compute_mqc_characteristic_ids"
    )

    def _compute_mqc_characteristic_ids(self):
        characteristics = self.env["mqc.characteristic"].search(
            [("operation_id", "in", self.ids), ("plan_id.state", "=", "approved")]
        )
        for operation in self:
            mine = characteristics.filtered(lambda c, op=operation: c.operation_id == op)
            operation.mqc_characteristic_ids = mine
            operation.mqc_characteristic_count = len(mine)
