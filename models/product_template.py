from odoo import fields, models

from .mqc_guarded_mixin import require_quality_user


class ProductTemplate(models.Model):
    _inherit = "product.template"

    mqc_plan_ids = fields.One2many("mqc.control.plan", "product_tmpl_id", "Control Plan Revisions")
    mqc_plan_count = fields.Integer("Control Plans", compute="_compute_mqc_plan_count")
    mqc_approved_plan_id = fields.Many2one(
        "mqc.control.plan", "Approved Control Plan", compute="_compute_mqc_plan_count"
    )

    def _compute_mqc_plan_count(self):
        groups = self.env["mqc.control.plan"]._read_group(
            [("product_tmpl_id", "in", self.ids)], ["product_tmpl_id"], ["__count"]
        )
        counts = {product.id: count for product, count in groups}
        approved = self.env["mqc.control.plan"].search(
            [
                ("product_tmpl_id", "in", self.ids),
                ("state", "=", "approved"),
                ("product_id", "=", False),
                ("company_id", "=", self.env.company.id),
            ]
        )
        approved_by_product = {plan.product_tmpl_id.id: plan for plan in approved}
        for product in self:
            product.mqc_plan_count = counts.get(product.id, 0)
            product.mqc_approved_plan_id = approved_by_product.get(product.id, False)

    def action_open_mqc_plans(self):
        self.ensure_one()
        require_quality_user(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mrp_quality_control.mqc_control_plan_action"
        )
        action["domain"] = [("product_tmpl_id", "=", self.id)]
        action["context"] = {"default_product_tmpl_id": self.id}
        return action
