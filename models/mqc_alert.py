from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .mqc_guarded_mixin import ALL


class MqcAlert(models.Model):
    """Quality alert raised by an out-of-tolerance result; the supervisor acknowledges it."""

    _name = "mqc.alert"
    _description = "Quality Alert"
    _inherit = ["mqc.guarded.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True
    # Raised by a failed value, acknowledged and closed by the buttons only.
    _mqc_guarded_fields = ALL
    _mail_post_access = "read"

    name = fields.Char(required=True, copy=False, readonly=True, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    check_id = fields.Many2one("mqc.check", readonly=True, ondelete="restrict", check_company=True)
    measurement_id = fields.Many2one(
        "mqc.measurement", readonly=True, ondelete="restrict", check_company=True
    )
    production_id = fields.Many2one(
        "mrp.production", readonly=True, index=True, check_company=True
    )
    workorder_id = fields.Many2one("mrp.workorder", readonly=True, check_company=True)
    workcenter_id = fields.Many2one(related="workorder_id.workcenter_id", store=True)
    product_id = fields.Many2one("product.product", readonly=True, check_company=True)
    lot_id = fields.Many2one("stock.lot", "Lot/Serial", readonly=True, check_company=True)
    characteristic_id = fields.Many2one("mqc.characteristic", readonly=True, check_company=True)
    gauge_id = fields.Many2one("maintenance.equipment", readonly=True, check_company=True)
    operator_id = fields.Many2one("res.users", readonly=True)
    summary = fields.Text(readonly=True)
    disposition = fields.Selection(related="check_id.disposition")
    disposition_note = fields.Text(related="check_id.disposition_note")
    responsible_id = fields.Many2one("res.users", "Supervisor", tracking=True)
    state = fields.Selection(
        [("new", "New"), ("acknowledged", "Acknowledged"), ("closed", "Closed")],
        default="new",
        required=True,
        tracking=True,
    )
    acknowledged_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    acknowledged_date = fields.Datetime(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("mqc.alert") or "/"
        return super().create(vals_list)

    @api.model
    def _raise_for(self, measurement):
        """Opens the alert of an out-of-tolerance measurement and tells the supervisor."""
        check = measurement.check_id
        char = measurement.characteristic_id
        production = check.production_id
        responsible = self._supervisor_for(check)
        label = check._label()
        workorder = f" / {check.workorder_id.name}" if check.workorder_id else ""
        summary = self.env._(
            "%(char)s: %(value)s outside %(tolerance)s on %(mo)s%(wo)s, piece %(piece)s, "
            "gauge %(gauge)s, operator %(user)s.",
            char=label,
            value=measurement._value_text(),
            tolerance=char.tolerance_display,
            mo=production.name,
            wo=workorder,
            piece=check.due_piece or "-",
            gauge=measurement.gauge_id.display_name or "-",
            user=measurement.user_id.name,
        )
        # Called by the recording of a failed value, whose caller was checked
        # (mqc.check._mqc_check_recorder); users have no create access on alerts.
        alert = self.sudo().create(
            {
                "company_id": production.company_id.id,
                "check_id": check.id,
                "measurement_id": measurement.id,
                "production_id": production.id,
                "workorder_id": check.workorder_id.id,
                "product_id": production.product_id.id,
                "lot_id": production.lot_producing_id.id,
                "characteristic_id": char.id,
                "gauge_id": measurement.gauge_id.id,
                "operator_id": measurement.user_id.id,
                "summary": summary,
                "responsible_id": responsible.id,
            }
        )
        if responsible:
            alert.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=self.env._("Acknowledge quality alert %s", alert.name),
                note=summary,
            )
        body = Markup("<p>%s</p><p>%s</p>") % (
            self.env._("Quality alert %s raised.", alert.name),
            summary,
        )
        partners = (responsible | char.notify_user_ids).partner_id
        alert.message_post(body=body, partner_ids=partners.ids, subtype_xmlid="mail.mt_comment")
        # The operator may read the order; the alert's note is logged for them.
        production.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        return alert.with_env(self.env)

    @api.model
    def _supervisor_for(self, check):
        workcenter = check.workorder_id.workcenter_id
        supervisor = workcenter.mqc_supervisor_id if workcenter else self.env["res.users"]
        if not supervisor:
            supervisor = check.characteristic_id.notify_user_ids[:1]
        if not supervisor:
            supervisor = check.plan_id.approved_by_id
        return supervisor

    def action_acknowledge(self):
        user = self.env.user
        allowed = user.has_group("mrp_quality_control.group_mqc_technician")
        for alert in self:
            if not (allowed or alert.responsible_id == user):
                raise AccessError(
                    self.env._(
                        "Only the supervisor of alert %s or the quality team acknowledges it.",
                        alert.name,
                    )
                )
            if alert.state != "new":
                raise UserError(self.env._("Alert %s was already acknowledged.", alert.name))
        self.check_access("read")
        # The supervisor named on each alert, or the quality team (checked above).
        self.sudo().write(
            {
                "state": "acknowledged",
                "acknowledged_by_id": user.id,
                "acknowledged_date": fields.Datetime.now(),
            }
        )
        # The to-do of these alerts (assigned to the supervisor) is done.
        self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        ).action_feedback(feedback=self.env._("Acknowledged by %s", user.name))
        return True

    def action_close(self):
        if not self.env.user.has_group("mrp_quality_control.group_mqc_technician"):
            raise AccessError(self.env._("Only the quality team closes an alert."))
        if self.filtered(lambda a: a.state != "acknowledged"):
            raise UserError(self.env._("An alert is acknowledged before it is closed."))
        self.check_access("read")
        # A Quality Technician or Manager who may read these alerts (checked above).
        self.sudo().write({"state": "closed"})
        return True

    def action_scrap(self):
        """Opens Odoo's own scrap form for the failed part (scrap or quarantine location)."""
        self.ensure_one()
        quarantine = self.env.ref("mrp_quality_control.stock_location_quarantine")
        return {
            "name": self.env._("Scrap or quarantine"),
            "type": "ir.actions.act_window",
            "res_model": "stock.scrap",
            "view_mode": "form",
            "views": [[self.env.ref("stock.stock_scrap_form_view2").id, "form"]],
            "target": "new",
            "context": {
                "default_production_id": self.production_id.id,
                "default_product_id": self.product_id.id,
                "default_lot_id": self.lot_id.id,
                "default_scrap_qty": 1.0,
                "default_company_id": self.company_id.id,
                "default_origin": self.name,
                **(
                    {"default_scrap_location_id": quarantine.id}
                    if self.disposition in ("quarantine", "hold")
                    else {}
                ),
            },
        }
