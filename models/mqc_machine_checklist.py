from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..tools import client_input


class MqcMachineChecklist(models.Model):
    """First-level maintenance at shift start (maintenance de premier niveau):
    levels, safety devices, lighting, noise, coolant... Each point found not OK
    opens a corrective maintenance request on the machine."""

    _name = "mqc.machine.checklist"
    _description = "Machine Checklist"
    _inherit = ["mqc.guarded.mixin", "mail.thread"]
    # Closed by action_done only, once every point has a result.
    _mqc_guarded_fields = frozenset({"state", "done_date"})
    _order = "date desc, id desc"
    _check_company_auto = True

    workcenter_id = fields.Many2one(
        "mrp.workcenter",
        "Work Centre",
        required=True,
        check_company=True,
        index=True,
        tracking=True,
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        "Machine",
        compute="_compute_equipment_id",
        store=True,
        readonly=False,
        check_company=True,
        help="The maintenance equipment of the machine; corrective requests are filed on it.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users", "Checked By", required=True, default=lambda self: self.env.user
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    state = fields.Selection(
        [("draft", "To Do"), ("done", "Done")],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    done_date = fields.Datetime("Done On", readonly=True, copy=False)
    line_ids = fields.One2many("mqc.machine.checklist.line", "checklist_id", "Checks", copy=True)
    nok_count = fields.Integer("Not OK", compute="_compute_counts")
    missing_count = fields.Integer("Unanswered", compute="_compute_counts")
    request_ids = fields.Many2many(
        "maintenance.request", compute="_compute_request_ids", string="Maintenance Requests"
    )
    request_count = fields.Integer(compute="_compute_request_ids")

    @api.depends("workcenter_id", "date")
    def _compute_display_name(self):
        for checklist in self:
            checklist.display_name = self.env._(
                "%(workcenter)s - %(date)s",
                workcenter=checklist.workcenter_id.display_name or "",
                date=format_date(self.env, checklist.date) if checklist.date else "",
            )

    @api.depends("workcenter_id")
    def _compute_equipment_id(self):
        for checklist in self:
            checklist.equipment_id = checklist.workcenter_id.mqc_equipment_id

    @api.depends("line_ids.result")
    def _compute_counts(self):
        for checklist in self:
            results = checklist.line_ids.mapped("result")
            checklist.nok_count = results.count("nok")
            checklist.missing_count = results.count(False)

    @api.depends("line_ids.maintenance_request_id")
    def _compute_request_ids(self):
        for checklist in self:
            checklist.request_ids = checklist.line_ids.maintenance_request_id
            checklist.request_count = len(checklist.request_ids)

    @api.onchange("workcenter_id")
    def _onchange_workcenter_id(self):
        if self.workcenter_id.company_id:
            self.company_id = self.workcenter_id.company_id
        if not self.line_ids and self.workcenter_id:
            self.line_ids = self._mqc_line_commands(self.workcenter_id)

    def _mqc_line_commands(self, workcenter):
        items = self.env["mqc.checklist.item"]._mqc_items_for(workcenter)
        return [
            Command.create({"item_id": item.id, "sequence": sequence})
            for sequence, item in enumerate(items, start=1)
        ]

    @api.model_create_multi
    def create(self, vals_list):
        Workcenter = self.env["mrp.workcenter"]
        for vals in vals_list:
            workcenter = Workcenter.browse(vals.get("workcenter_id"))
            if "company_id" not in vals and workcenter.company_id:
                vals["company_id"] = workcenter.company_id.id
            if not vals.get("line_ids") and workcenter:
                vals["line_ids"] = self._mqc_line_commands(workcenter)
        return super().create(vals_list)

    def write(self, vals):
        if {"workcenter_id", "equipment_id", "date", "line_ids"} & set(vals) and any(
            checklist.state == "done" for checklist in self
        ):
            raise UserError(
                self.env._("This checklist is done; its results can no longer be changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(checklist.state == "done" for checklist in self):
            raise UserError(self.env._("A checklist that is done cannot be deleted."))

    def action_done(self):
        """Close the checklist: every point needs a result; each point not OK
        opens one corrective maintenance request on the machine."""
        self.check_access("write")
        for checklist in self.filtered(lambda c: c.state != "done"):
            missing = checklist.line_ids.filtered(lambda line: not line.result)
            if missing:
                raise UserError(
                    self.env._(
                        "Give a result (OK or not OK) to every check before closing the "
                        "checklist. Missing: %(checks)s.",
                        checks=", ".join(missing.mapped("item_id.name")),
                    )
                )
            if not checklist.line_ids:
                raise UserError(
                    self.env._(
                        "This checklist has no checks; add checklist items for %(workcenter)s.",
                        workcenter=checklist.workcenter_id.display_name,
                    )
                )
            requests = checklist._mqc_open_corrective_requests()
            # Checked above: write access to the checklist, every point answered.
            checklist.sudo().write({"state": "done", "done_date": fields.Datetime.now()})
            if requests:
                body = Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._("Corrective maintenance requested:"),
                    Markup().join(
                        Markup("<li>%s</li>") % request._get_html_link() for request in requests
                    ),
                )
            else:
                body = Markup("<p>%s</p>") % self.env._("Every check OK.")
            checklist.message_post(body=body)
        return True

    def _mqc_open_corrective_requests(self):
        self.ensure_one()
        # The operator may close the checklist (checked by action_done) but not
        # necessarily file maintenance requests (Maintenance only lets users
        # create the requests they own, and hr_maintenance computes the owner
        # from the employee of assigned equipment): file them as superuser,
        # created by and followed by the operator.
        Request = self.env["maintenance.request"].sudo()
        machine = self.equipment_id.name or self.workcenter_id.name
        requests = Request
        for line in self.line_ids.filtered(
            lambda line: line.result == "nok" and not line.maintenance_request_id
        ):
            description = Markup("<p>%s</p>") % self.env._(
                "Found not OK at the shift-start checklist of %(workcenter)s on %(date)s by "
                "%(user)s.",
                workcenter=self.workcenter_id.display_name,
                date=format_date(self.env, self.date),
                user=self.user_id.name,
            )
            if line.expected:
                description += Markup("<p>%s</p>") % self.env._(
                    "Expected: %(expected)s", expected=line.expected
                )
            if line.note:
                description += Markup("<p>%s</p>") % self.env._("Note: %(note)s", note=line.note)
            request = Request.create(
                {
                    "name": self.env._(
                        "%(machine)s: %(item)s not OK", machine=machine, item=line.item_id.name
                    ),
                    "maintenance_type": "corrective",
                    "equipment_id": self.equipment_id.id,
                    "company_id": self.company_id.id,
                    "description": description,
                }
            )
            request.message_subscribe(partner_ids=self.env.user.partner_id.ids)
            line.maintenance_request_id = request
            requests |= request
        return requests.sudo(False)

    def action_open_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "maintenance.hr_equipment_request_action"
        )
        action["domain"] = [("id", "in", self.request_ids.ids)]
        action["context"] = {}
        return action

    # Tablet API (orm.call from the shop-floor screen); plain JSON-able values.

    @api.model
    def mqc_tablet_checklist(self, workcenter_id):
        """Today's checklist of the work centre (created with its checks when
        there is none yet) as {id, state, lines: [{id, item, category, result,
        note}], ...}."""
        workcenter_id = client_input.record_id(self.env, workcenter_id, self.env._("Work Centre"))
        workcenter = self.env["mrp.workcenter"].browse(workcenter_id).exists()
        if not workcenter:
            raise UserError(self.env._("This work centre no longer exists."))
        workcenter.check_access("read")
        checklist = self.search(
            [("workcenter_id", "=", workcenter.id), ("date", "=", fields.Date.context_today(self))],
            order="id desc",
            limit=1,
        )
        if not checklist:
            checklist = self.create({"workcenter_id": workcenter.id})
        return checklist._mqc_tablet_values()

    @api.model
    def mqc_tablet_checklist_set(self, line_id, result, note=None):
        """Record the result (``ok``, ``nok`` or false to clear it) and the
        note of one check; returns the whole checklist."""
        env, ci = self.env, client_input
        result = ci.choice(
            env,
            result,
            env._("Result"),
            ("ok", "nok", False, None, ""),
            message=env._("Unknown checklist result: %(result)s", result=ci.shown(result)),
        )
        line_id = ci.record_id(env, line_id, env._("Checklist Line"))
        if note is not None:
            note = ci.text(env, note, env._("Value / Note"), ci.CHAR_MAX)
        line = self.env["mqc.machine.checklist.line"].browse(line_id).exists()
        if not line:
            raise UserError(self.env._("This checklist line no longer exists."))
        vals = {"result": result or False}
        if note is not None:
            vals["note"] = note or False
        line.write(vals)
        return line.checklist_id._mqc_tablet_values()

    @api.model
    def mqc_tablet_checklist_done(self, checklist_id):
        """Close the checklist (see ``action_done``); returns it with the
        maintenance requests opened."""
        checklist = self.browse(
            client_input.record_id(self.env, checklist_id, self.env._("Checklist"))
        ).exists()
        if not checklist:
            raise UserError(self.env._("This checklist no longer exists."))
        checklist.action_done()
        return checklist._mqc_tablet_values()

    def _mqc_tablet_values(self):
        self.ensure_one()
        category_field = self.env["mqc.checklist.item"]._fields["category"]
        categories = dict(category_field._description_selection(self.env))
        return {
            "id": self.id,
            "state": self.state,
            "workcenter": self.workcenter_id.display_name,
            "equipment": self.equipment_id.display_name or False,
            "user": self.user_id.name,
            "date": fields.Date.to_string(self.date),
            "lines": [
                {
                    "id": line.id,
                    "item": line.item_id.name,
                    "category": line.category,
                    "category_label": categories.get(line.category, ""),
                    "expected": line.expected or "",
                    "result": line.result or False,
                    "note": line.note or "",
                    "request": line.maintenance_request_id.name or False,
                }
                for line in self.line_ids
            ],
            "requests": [{"id": request.id, "name": request.name} for request in self.request_ids],
        }
