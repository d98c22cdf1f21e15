from odoo import api, fields, models
from odoo.exceptions import UserError

from ..spc.sampling import single_plan
from ..tools import client_input
from .mqc_guarded_mixin import refuse_guarded_create, refuse_guarded_write, require_quality_user


class MrpProduction(models.Model):
    _inherit = "mrp.production"
    # Set by confirmation, reported pieces and the manager's release only.
    _mqc_guarded_fields = frozenset(
        {"mqc_plan_id", "mqc_pieces_done", "mqc_released_by_id", "mqc_release_reason"}
    )

    mqc_plan_id = fields.Many2one(
        "mqc.control.plan",
        "Control Plan Revision",
        readonly=True,
        copy=False,
        help="The approved revision in force when the order was confirmed; its checks keep it.",
    )
    mqc_check_ids = fields.One2many("mqc.check", "production_id", "Quality Checks")
    mqc_pieces_done = fields.Integer("Pieces Checked Up To", readonly=True, copy=False)
    mqc_check_todo_count = fields.Integer(compute="_compute_mqc_counts")
    mqc_check_fail_count = fields.Integer(compute="_compute_mqc_counts")
    mqc_check_count = fields.Integer(compute="_compute_mqc_counts")
    mqc_alert_count = fields.Integer(compute="_compute_mqc_counts")
    mqc_first_piece_state = fields.Selection(
        [("none", "Not required"), ("pending", "Waiting for approval"), ("approved", "Approved")],
        "First Piece",
        compute="_compute_mqc_counts",
    )
    mqc_released_by_id = fields.Many2one(
        "res.users", "Quality Release By", readonly=True, copy=False, tracking=True
    )
    mqc_release_reason = fields.Text("Quality Release Justification", readonly=True, copy=False)

    _check_mqc_text_lengths = client_input.max_lengths(mqc_release_reason=client_input.REASON_MAX)

    @api.depends("mqc_check_ids.state", "mqc_check_ids.first_piece_approved_by_id")
    def _compute_mqc_counts(self):
        groups = self.env["mqc.check"]._read_group(
            [("production_id", "in", self.ids)],
            ["production_id", "state"],
            ["__count"],
        )
        counts = {(production.id, state): count for production, state, count in groups}
        alerts = dict(
            self.env["mqc.alert"]._read_group(
                [("production_id", "in", self.ids)], ["production_id"], ["__count"]
            )
        )
        first = self.env["mqc.check"]._read_group(
            [("production_id", "in", self.ids), ("is_first_piece", "=", True)],
            ["production_id"],
            ["__count", "first_piece_approved_by_id:count"],
        )
        first_state = {
            production.id: "approved" if approved == total else "pending"
            for production, total, approved in first
        }
        for production in self:
            pid = production.id
            production.mqc_check_todo_count = counts.get((pid, "todo"), 0)
            production.mqc_check_fail_count = counts.get((pid, "fail"), 0)
            production.mqc_check_count = sum(
                counts.get((pid, state), 0) for state in ("todo", "pass", "fail")
            )
            production.mqc_alert_count = alerts.get(production, 0)
            production.mqc_first_piece_state = first_state.get(pid, "none")

    # ------------------------------------------------------------------
    # Generation of the checks
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        refuse_guarded_create(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        refuse_guarded_write(self, vals)
        return super().write(vals)

    def action_confirm(self):
        result = super().action_confirm()
        self.filtered(lambda p: p.state not in ("draft", "cancel"))._mqc_generate_initial_checks()
        return result

    def _mqc_find_plan(self):
        self.ensure_one()
        plans = self.env["mqc.control.plan"].search(
            [
                ("state", "=", "approved"),
                ("company_id", "=", self.company_id.id),
                ("product_tmpl_id", "=", self.product_id.product_tmpl_id.id),
                ("product_id", "in", [self.product_id.id, False]),
            ]
        )
        return plans.filtered("product_id")[:1] or plans[:1]

    def _mqc_workorder_for(self, characteristic):
        """Work order of the characteristic's operation; a characteristic tied to
        no operation is checked at the last operation (final inspection)."""
        return self._mqc_workorders_of(characteristic)[characteristic.id]

    def _mqc_workorders_of(self, characteristics):
        """{characteristic id: its work order (see _mqc_workorder_for)}, in one
        pass over the work orders."""
        self.ensure_one()
        by_operation = {}
        for workorder in self.workorder_ids:
            by_operation.setdefault(workorder.operation_id.id, workorder)
        last = self.workorder_ids.sorted(lambda w: (w.sequence, w.id))[-1:]
        none = self.env["mrp.workorder"]
        return {
            char.id: by_operation.get(char.operation_id.id, none) if char.operation_id else last
            for char in characteristics
        }

    def _mqc_generate_initial_checks(self):
        vals_list = []
        for production in self.filtered(lambda p: not p.mqc_check_ids):
            plan = production.mqc_plan_id or production._mqc_find_plan()
            if not plan:
                continue
            # Confirmation (which Odoo's rights allowed) fixes the revision in force.
            production.sudo().mqc_plan_id = plan
            quantity = max(int(round(production.product_qty)), 1)
            for char in plan.characteristic_ids:
                base = production._mqc_check_base(char)
                mode = char.frequency_mode
                if char.control_type == "first_piece":
                    vals_list.append(
                        dict(base, trigger="first_piece", due_piece=1, is_first_piece=True)
                    )
                elif mode in ("batch_start", "batch_start_end"):
                    vals_list.append(dict(base, trigger="batch_start", due_piece=1))
                elif mode == "every_t":
                    vals_list.append(dict(base, trigger="time", due_datetime=fields.Datetime.now()))
                elif mode == "aql":
                    sampling = single_plan(
                        max(quantity, 2), float(char.aql), level=char.inspection_level
                    )
                    vals_list.append(
                        dict(
                            base,
                            trigger="aql",
                            due_piece=quantity,
                            sample_size=sampling.sample_size,
                            aql_accept=sampling.accept,
                            aql_reject=sampling.reject,
                        )
                    )
        self.env["mqc.check"]._mqc_create_checks(vals_list)

    def _mqc_check_base(self, characteristic):
        return {
            "production_id": self.id,
            "workorder_id": self._mqc_workorder_for(characteristic).id,
            "characteristic_id": characteristic.id,
            "plan_id": self.mqc_plan_id.id,
        }

    def _mqc_count_checks(self, characteristics, workorder, before, after):
        """Values of the checks that fall due between piece `before` (excluded)
        and piece `after` (included)."""
        quantity = max(int(round(self.product_qty)), 1)
        vals_list = []
        for char in characteristics:
            if char.control_type == "first_piece":
                continue
            base = dict(self._mqc_check_base(char), workorder_id=workorder.id)
            mode = char.frequency_mode
            step = {
                "every_piece": 1,
                "every_n": char.frequency_n,
                "capability": char.effective_interval,
            }.get(mode)
            if step:
                first = (before // step + 1) * step
                trigger = {"every_piece": "piece"}.get(mode, "every_n")
                vals_list += [
                    dict(base, trigger=trigger, due_piece=piece)
                    for piece in range(first, after + 1, step)
                ]
            if mode in ("batch_end", "batch_start_end") and before < quantity <= after:
                vals_list.append(dict(base, trigger="batch_end", due_piece=quantity))
        return vals_list

    def _mqc_sync_pieces(self, pieces_done):
        """Checks of the production-level characteristics (orders without work orders)."""
        self.ensure_one()
        before = self.mqc_pieces_done
        if pieces_done <= before or not self.mqc_plan_id:
            return
        chars = self.mqc_plan_id.characteristic_ids
        self.env["mqc.check"]._mqc_create_checks(
            self._mqc_count_checks(chars, self.env["mrp.workorder"], before, pieces_done)
        )
        # The caller (mqc.tablet.set_pieces_done) checked its rights.
        self.sudo().mqc_pieces_done = pieces_done

    def _split_productions(self, amounts=False, cancel_remaining_qty=False, set_consumed_qty=False):
        productions = super()._split_productions(
            amounts=amounts,
            cancel_remaining_qty=cancel_remaining_qty,
            set_consumed_qty=set_consumed_qty,
        )
        for production in self:
            quantity = int(round(production.product_qty))
            # Count-based checks beyond the new quantity belong to the backorder now.
            production.mqc_check_ids.filtered(
                lambda c, q=quantity: (
                    c.state == "todo"
                    and c.trigger in ("piece", "every_n", "batch_end", "aql")
                    and c.due_piece > q
                )
            )._internal_write({"state": "cancel"})
            for backorder in productions.filtered(
                lambda p, orig=production: (
                    p != orig
                    and p.backorder_sequence
                    and p.procurement_group_id == orig.procurement_group_id
                )
            ):
                if not backorder.mqc_check_ids and production.mqc_plan_id:
                    # The backorder keeps the revision of the order it splits from.
                    backorder.sudo().mqc_plan_id = production.mqc_plan_id
                    backorder._mqc_generate_initial_checks()
        return productions

    def _action_cancel(self):
        result = super()._action_cancel()
        self.mqc_check_ids.filtered(lambda c: c.state == "todo")._internal_write(
            {"state": "cancel"}
        )
        return result

    # ------------------------------------------------------------------
    # Completion gate
    # ------------------------------------------------------------------
    def _button_mark_done_sanity_checks(self):
        result = super()._button_mark_done_sanity_checks()
        for production in self.filtered(lambda p: p.mqc_plan_id and not p.mqc_released_by_id):
            pieces = max(int(round(production.qty_producing or production.product_qty)), 1)
            for workorder in production.workorder_ids:
                workorder._mqc_sync_pieces(pieces)
            if not production.workorder_ids:
                production._mqc_sync_pieces(pieces)
            blocking = production.mqc_check_ids.filtered(
                lambda c: (
                    (c.mandatory and c.state == "todo") or (c.state == "fail" and not c.disposition)
                )
            )
            if blocking:
                lines = "\n".join(
                    f"- {check.display_name}: "
                    + (
                        self.env._("failed, no disposition")
                        if check.state == "fail"
                        else self.env._("not done")
                    )
                    for check in blocking
                )
                raise UserError(
                    self.env._(
                        "%(mo)s cannot be marked as done, these quality checks are open:\n"
                        "%(lines)s\nRecord them, or a Quality Manager can release the order "
                        "with a written justification.",
                        mo=production.name,
                        lines=lines,
                    )
                )
        return result

    def action_mqc_release(self):
        self.ensure_one()
        require_quality_user(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quality Release"),
            "res_model": "mqc.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_production_id": self.id},
        }

    def _mqc_release(self, reason):
        self.ensure_one()
        if not self.env.user.has_group("mrp_quality_control.group_mqc_manager"):
            raise UserError(self.env._("Only a Quality Manager can release an order."))
        self.check_access("write")
        if not (reason or "").strip():
            raise UserError(self.env._("Justification: write why the order is released."))
        # A Quality Manager who may write the order (checked above) releases it.
        self.sudo().write(
            {"mqc_released_by_id": self.env.uid, "mqc_release_reason": reason.strip()}
        )
        self.message_post(
            body=self.env._(
                "Quality release by %(user)s with open checks: %(reason)s",
                user=self.env.user.name,
                reason=reason.strip(),
            )
        )

    def action_view_mqc_checks(self):
        self.ensure_one()
        require_quality_user(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quality Checks"),
            "res_model": "mqc.check",
            "view_mode": "list,form",
            "domain": [("production_id", "=", self.id)],
        }

    def action_view_mqc_alerts(self):
        self.ensure_one()
        require_quality_user(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quality Alerts"),
            "res_model": "mqc.alert",
            "view_mode": "list,form",
            "domain": [("production_id", "=", self.id)],
        }

    @api.model
    def _mqc_demo_shop_floor(self):
        """Demo data: a shaft order on the shop floor, first piece approved, a few
        values recorded on the grinding operation, one of them out of tolerance."""
        shaft = self.env.ref("mrp_quality_control.product_shaft")
        production = self.create(
            {
                "product_id": shaft.product_variant_id.id,
                "bom_id": self.env.ref("mrp_quality_control.bom_shaft").id,
                "product_qty": 20,
            }
        )
        production.action_confirm()
        production.workorder_ids.sorted("sequence")[:1].button_start()
        operator = self.env.ref("mrp_quality_control.user_operator_demo")
        technician = self.env.ref("mrp_quality_control.user_technician_demo")
        grinding = production.workorder_ids.filtered(
            lambda w: w.operation_id == self.env.ref("mrp_quality_control.op_shaft_grinding")
        )
        Equipment = self.env["maintenance.equipment"]
        # As the tablets would: the operator records, the technician approves.
        Tablet = self.env["mqc.tablet"].with_user(operator)

        def gauge_for(check):
            return Equipment._mqc_usable_gauge(check.characteristic_id.gauge_family_id).id

        first = production.mqc_check_ids.filtered(
            lambda c: c.is_first_piece and c.workorder_id == grinding
        )
        for check in first:
            Tablet.record(check.id, {"value": 19.991, "gauge_id": gauge_for(check)})
        Tablet.with_user(technician).approve_first_piece(grinding.id)
        Tablet.set_pieces_done(grinding.id, 10)
        todo = production.mqc_check_ids.filtered(
            lambda c: (
                c.workorder_id == grinding and c.state == "todo" and c.result_type == "measure"
            )
        ).sorted(lambda c: (c.due_piece, c.sequence))
        # Offsets from mid-tolerance in half-tolerances: beyond 0.5 is the warning
        # band (the fourth value), beyond 1 out of tolerance (the fifth).
        offsets = [0.1, -0.3, 0.2, 0.7, 1.3]
        for check, offset in zip(todo, offsets, strict=False):
            char = check.characteristic_id
            middle = (char.lower_limit + char.upper_limit) / 2
            value = round(middle + offset * (char.upper_limit - char.lower_limit) / 2, 3)
            Tablet.record(check.id, {"value": value, "gauge_id": gauge_for(check)})
