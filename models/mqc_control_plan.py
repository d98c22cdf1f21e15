from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from ..tools import client_input
from .mqc_guarded_mixin import require_group, require_quality_user

TECHNICIAN = "mrp_quality_control.group_mqc_technician"

LOCKED_STATES = ("to_approve", "approved", "obsolete")
# ASME Y14.35: I, O, Q, S, X and Z are not used as revision letters
# (they read as digits or as other letters on a drawing).
REVISION_LETTERS = "ABCDEFGHJKLMNPRTUVWY"
# Fields compared between two revisions, in the order a reviewer reads them.
COMPARED_FIELDS = (
    "name",
    "kind",
    "criticality",
    "result_type",
    "nominal",
    "lower_limit",
    "upper_limit",
    "unit",
    "fit_designation",
    "operation_id",
    "control_type",
    "method_type",
    "gauge_family_id",
    "frequency_mode",
    "frequency_n",
    "frequency_minutes",
    "aql",
    "reaction_out_of_tolerance",
    "reaction_drift",
)


def next_revision(letter):
    """A → B → … → Y → AA → AB … (letters of REVISION_LETTERS only)."""
    letters = REVISION_LETTERS
    digits = [letters.index(char) for char in letter]
    position = len(digits) - 1
    while position >= 0:
        if digits[position] + 1 < len(letters):
            digits[position] += 1
            return "".join(letters[d] for d in digits)
        digits[position] = 0
        position -= 1
    return letters[0] + "".join(letters[d] for d in digits)


class MqcControlPlan(models.Model):
    """One revision of a product's control plan (gamme de contrôle)."""

    _name = "mqc.control.plan"
    _description = "Control Plan Revision"
    _inherit = ["mqc.guarded.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "code, revision_sequence desc, id desc"
    _check_company_auto = True
    # Set by the Submit, Back to Draft, Approve and New Revision buttons only.
    _mqc_guarded_fields = frozenset(
        {
            "state",
            "revision",
            "revision_sequence",
            "previous_revision_id",
            "submitted_by_id",
            "approved_by_id",
            "approval_date",
            "obsolete_date",
        }
    )

    code = fields.Char(
        "Plan Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
        index=True,
    )
    revision = fields.Char(required=True, default="A", copy=False, tracking=True)
    revision_sequence = fields.Integer(default=1, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("approved", "Approved"),
            ("obsolete", "Obsolete"),
        ],
        default="draft",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    product_tmpl_id = fields.Many2one(
        "product.template",
        "Product",
        required=True,
        check_company=True,
        tracking=True,
        index=True,
        domain="[('type', '=', 'consu')]",
    )
    product_id = fields.Many2one(
        "product.product",
        "Product Variant",
        check_company=True,
        tracking=True,
        domain="[('product_tmpl_id', '=', product_tmpl_id)]",
        help="Leave empty when the plan applies to every variant of the product.",
    )
    bom_id = fields.Many2one(
        "mrp.bom",
        "Bill of Materials",
        check_company=True,
        domain="[('product_tmpl_id', '=', product_tmpl_id)]",
        help="Bill of materials whose operations the characteristics are tied to.",
    )
    drawing_reference = fields.Char(tracking=True)
    drawing_revision = fields.Char(tracking=True)
    characteristic_ids = fields.One2many(
        "mqc.characteristic", "plan_id", "Characteristics", copy=True
    )
    characteristic_count = fields.Integer(compute="_compute_characteristic_count")
    previous_revision_id = fields.Many2one(
        "mqc.control.plan", readonly=True, copy=False, check_company=True
    )
    change_reason = fields.Text("Reason for Change", copy=False, tracking=True)
    change_summary = fields.Html(
        "Changes Since Previous Revision", compute="_compute_change_summary", sanitize=True
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    approval_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    obsolete_date = fields.Datetime(readonly=True, copy=False)
    corrosion_protection_between_ops = fields.Text(
        "Corrosion Protection Between Operations"
    )
    corrosion_protection_final = fields.Text("Final Corrosion Protection")
    handling = fields.Text()
    packaging = fields.Text()
    storage = fields.Text("Storage After Control")
    notes = fields.Html()
    document_ids = fields.Many2many(
        "ir.attachment",
        "mqc_control_plan_attachment_rel",
        "plan_id",
        "attachment_id",
        string="Documents",
        help="Drawing, photos and work instructions of this revision.",
    )
    active = fields.Boolean(default=True)

    _check_mqc_text_lengths = client_input.max_lengths(
        code=client_input.CHAR_MAX,
        revision=client_input.CHAR_MAX,
        drawing_reference=client_input.CHAR_MAX,
        drawing_revision=client_input.CHAR_MAX,
        change_reason=client_input.REASON_MAX,
        corrosion_protection_between_ops=client_input.REASON_MAX,
        corrosion_protection_final=client_input.REASON_MAX,
        handling=client_input.REASON_MAX,
        packaging=client_input.REASON_MAX,
        storage=client_input.REASON_MAX,
        notes=client_input.HTML_MAX,
    )

    _sql_constraints = [
        (
            "code_revision_unique",
            "unique(code, revision, company_id)",
            "A control plan revision letter is used only once per plan.",
        ),
    ]

    def init(self):
        # Last line of defence behind _check_single_approved: two concurrent
        # approvals must not both commit.
        if not index_exists(self.env.cr, "mqc_control_plan_single_approved"):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX mqc_control_plan_single_approved ON %s "
                    "(product_tmpl_id, COALESCE(product_id, 0), company_id) "
                    "WHERE state = 'approved' AND active",
                    SQL.identifier(self._table),
                )
            )

    @api.depends("code", "revision", "product_tmpl_id", "product_id")
    def _compute_display_name(self):
        for plan in self:
            product = plan.product_id or plan.product_tmpl_id
            plan.display_name = self.env._(
                "%(code)s rev. %(revision)s - %(product)s",
                code=plan.code,
                revision=plan.revision,
                product=product.display_name or "",
            )

    @api.depends("characteristic_ids")
    def _compute_characteristic_count(self):
        for plan in self:
            plan.characteristic_count = len(plan.characteristic_ids)

    @api.depends(
        "previous_revision_id",
        "characteristic_ids",
        "characteristic_ids.balloon",
        *(f"characteristic_ids.{name}" for name in COMPARED_FIELDS),
    )
    def _compute_change_summary(self):
        for plan in self:
            plan.change_summary = plan._render_change_summary()

    def _render_change_summary(self):
        self.ensure_one()
        previous = self.previous_revision_id
        if not previous:
            return Markup("<p>%s</p>") % self.env._("First revision.")
        before = {c.balloon: c for c in previous.characteristic_ids}
        after = {c.balloon: c for c in self.characteristic_ids}
        Characteristic = self.env["mqc.characteristic"]
        lines = []
        for balloon in sorted(set(before) | set(after), key=_balloon_key):
            old, new = before.get(balloon), after.get(balloon)
            if not old:
                lines.append(
                    self.env._("Added %(balloon)s %(name)s", balloon=balloon, name=new.name)
                )
            elif not new:
                lines.append(
                    self.env._(
                        "Removed %(balloon)s %(name)s", balloon=balloon, name=old.name
                    )
                )
            else:
                for field_name in COMPARED_FIELDS:
                    old_value = old._display_value(field_name)
                    new_value = new._display_value(field_name)
                    if old_value != new_value:
                        lines.append(
                            self.env._(
                                "%(balloon)s %(field)s: %(old)s → %(new)s",
                                balloon=balloon,
                                field=Characteristic._fields[field_name]._description_string(
                                    self.env
                                ),
                                old=old_value or "-",
                                new=new_value or "-",
                            )
                        )
        if not lines:
            return Markup("<p>%s</p>") % self.env._(
                "No change to the characteristics since revision %s.", previous.revision
            )
        items = Markup("").join(Markup("<li>%s</li>") % escape(line) for line in lines)
        title = self.env._("Since revision %s:", previous.revision)
        return Markup("<p>%s</p><ul>%s</ul>") % (title, items)

    def _check_single_approved(self):
        """Called before a revision enters the approved state (the database
        still holds the previous state, so a search sees only the others)."""
        for plan in self:
            others = self.search_count(
                [
                    ("id", "!=", plan.id),
                    ("state", "=", "approved"),
                    ("product_tmpl_id", "=", plan.product_tmpl_id.id),
                    ("product_id", "=", plan.product_id.id),
                    ("company_id", "=", plan.company_id.id),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s already has an approved control plan "
                        "in company %(company)s: only one approved revision is allowed.",
                        product=(plan.product_id or plan.product_tmpl_id).display_name,
                        company=plan.company_id.name,
                    )
                )

    @api.constrains("product_id", "product_tmpl_id", "bom_id")
    def _check_product_consistency(self):
        for plan in self:
            if plan.product_id and plan.product_id.product_tmpl_id != plan.product_tmpl_id:
                raise ValidationError(
                    self.env._(
                        "Product Variant: %(variant)s is not a variant of %(product)s.",
                        variant=plan.product_id.display_name,
                        product=plan.product_tmpl_id.display_name,
                    )
                )
            if plan.bom_id and plan.bom_id.product_tmpl_id != plan.product_tmpl_id:
                raise ValidationError(
                    self.env._(
                        "Bill of Materials: %(bom)s does not make %(product)s.",
                        bom=plan.bom_id.display_name,
                        product=plan.product_tmpl_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code", self.env._("New")) == self.env._("New") or not vals.get(
                "code"
            ):
                vals["code"] = self.env["ir.sequence"].next_by_code("mqc.control.plan")
            if vals.get("state", "draft") != "draft" and not self.env.su:
                raise UserError(self.env._("A control plan revision starts as a draft."))
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The state of a control plan changes only through its "
                    "Submit, Approve and New Revision buttons."
                )
            )
        # A submitted, approved or obsolete revision is locked for everyone;
        # only the workflow's own fields change, from the buttons.
        self._check_editable({name: 1 for name in vals if name not in self._mqc_guarded_fields})
        if vals.get("state") == "approved":
            self._check_single_approved()
        return super().write(vals)

    def _check_editable(self, vals):
        editable = {
            name
            for name in vals
            if name.startswith(("message_", "activity_")) or name == "website_message_ids"
        }
        if set(vals) <= editable:
            return
        locked = self.filtered(lambda p: p.state in LOCKED_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "Control plan %(plan)s is %(state)s and cannot be modified. "
                    "Create a new revision (or send it back to draft if it is "
                    "waiting for approval).",
                    plan=locked[0].display_name,
                    state=dict(
                        self._fields["state"]._description_selection(self.env)
                    )[locked[0].state],
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda p: p.state != "draft"):
            raise UserError(
                self.env._(
                    "Only draft control plan revisions can be deleted: submitted, "
                    "approved and obsolete revisions are quality records."
                )
            )

    def _set_state(self, vals):
        # Private: the buttons calling it checked the caller's group and their
        # write access to these revisions (so their companies) first.
        return self.sudo().write(vals)

    def _check_plan_writer(self):
        require_group(
            self.env,
            TECHNICIAN,
            self.env._("Only a Quality Technician or Manager prepares a control plan revision."),
        )
        self.check_access("write")

    def action_submit(self):
        self._check_plan_writer()
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._("Only a draft revision can be submitted for approval.")
                )
            if not plan.characteristic_ids:
                raise UserError(
                    self.env._(
                        "Control plan %s has no characteristic: add at least one "
                        "before submitting it.",
                        plan.display_name,
                    )
                )
        self._set_state({"state": "to_approve", "submitted_by_id": self.env.uid})
        return True

    def action_back_to_draft(self):
        self._check_plan_writer()
        if self.filtered(lambda p: p.state != "to_approve"):
            raise UserError(
                self.env._("Only a revision waiting for approval can go back to draft.")
            )
        self._set_state({"state": "draft"})
        return True

    def action_approve(self):
        if not self.env.user.has_group("mrp_quality_control.group_mqc_manager"):
            raise AccessError(
                self.env._("Only a Quality Manager can approve a control plan revision.")
            )
        self.check_access("write")
        for plan in self:
            if plan.state != "to_approve":
                raise UserError(
                    self.env._(
                        "Revision %s is not waiting for approval.", plan.display_name
                    )
                )
            plan._check_company()
            current = self.search(
                [
                    ("id", "!=", plan.id),
                    ("state", "=", "approved"),
                    ("product_tmpl_id", "=", plan.product_tmpl_id.id),
                    ("product_id", "=", plan.product_id.id),
                    ("company_id", "=", plan.company_id.id),
                ]
            )
            now = fields.Datetime.now()
            current._set_state({"state": "obsolete", "obsolete_date": now})
            # The unique index is checked row by row: the old revision must
            # leave the approved state in the database before the new one enters it.
            current.flush_recordset(["state"])
            for old in current:
                old.message_post(
                    body=self.env._(
                        "Made obsolete by the approval of revision %s.", plan.revision
                    )
                )
            plan._set_state(
                {"state": "approved", "approved_by_id": self.env.uid, "approval_date": now}
            )
            # Each characteristic follows the process stream of its balloon in
            # the earlier revisions (limits, Cpk, tightening carry on), or
            # starts one (the approver was checked above).
            self.env["mqc.spc.stream"]._mqc_link(plan.characteristic_ids)
        return True

    def action_new_revision(self):
        self.ensure_one()
        require_quality_user(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Revision"),
            "res_model": "mqc.control.plan.revise",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def _create_revision(self, reason):
        """Copy this revision into the next draft one; returns the new revision."""
        self.ensure_one()
        self._check_plan_writer()
        if self.state not in ("approved", "obsolete"):
            raise UserError(
                self.env._(
                    "A new revision is made from an approved or obsolete revision; "
                    "%s can still be edited.",
                    self.display_name,
                )
            )
        if not (reason or "").strip():
            raise ValidationError(
                self.env._("Reason for Change: say why the plan is being revised.")
            )
        pending = self.search(
            [
                ("code", "=", self.code),
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("draft", "to_approve")),
            ],
            limit=1,
        )
        if pending:
            raise UserError(
                self.env._(
                    "Revision %s of this plan is already being prepared: finish or "
                    "delete it first.",
                    pending.revision,
                )
            )
        latest = self.search(
            [("code", "=", self.code), ("company_id", "=", self.company_id.id)],
            order="revision_sequence desc",
            limit=1,
        )
        # A technician who may write this revision (checked above) makes the next one.
        new_plan = self.sudo().copy(
            {
                "code": self.code,
                "revision": next_revision(latest.revision),
                "revision_sequence": latest.revision_sequence + 1,
                "previous_revision_id": self.id,
                "change_reason": reason.strip(),
                "document_ids": [Command.set(self.document_ids.ids)],
            }
        ).with_env(self.env)
        self.message_post(
            body=self.env._(
                "Revision %(revision)s created from this one: %(reason)s",
                revision=new_plan.revision,
                reason=reason.strip(),
            )
        )
        return new_plan

    def action_open_characteristics(self):
        self.ensure_one()
        require_quality_user(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Characteristics"),
            "res_model": "mqc.characteristic",
            "view_mode": "list,form",
            "domain": [("plan_id", "=", self.id)],
            "context": {"default_plan_id": self.id},
        }

    def action_export_xlsx(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/mrp_quality_control/control_plan/{self.id}/xlsx",
            "target": "download",
        }


def _balloon_key(balloon):
    """Sort balloon numbers as a reader does: 2 before 10, then 10a."""
    digits = "".join(ch for ch in balloon or "" if ch.isdigit())
    return (int(digits) if digits else 0, balloon or "")
