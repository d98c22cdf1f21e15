from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..tools import client_input
from .mqc_guarded_mixin import refuse_guarded_create, refuse_guarded_write, require_group
from .mqc_spc_stream import VERDICTS

LAST_VALUES = 20


OPERATOR = "mrp_quality_control.group_mqc_operator"


class MrpWorkorder(models.Model):
    _inherit = "mrp.workorder"
    # Follows the pieces reported on the tablet (mqc.tablet.set_pieces_done) only.
    _mqc_guarded_fields = frozenset({"mqc_pieces_done"})

    mqc_check_ids = fields.One2many("mqc.check", "workorder_id", "Quality Checks")
    mqc_pieces_done = fields.Integer("Pieces Reported", readonly=True, copy=False)
    mqc_check_todo_count = fields.Integer(compute="_compute_mqc_check_todo_count")

    @api.model_create_multi
    def create(self, vals_list):
        refuse_guarded_create(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        refuse_guarded_write(self, vals)
        return super().write(vals)

    def _compute_mqc_check_todo_count(self):
        groups = dict(
            self.env["mqc.check"]._read_group(
                [("workorder_id", "in", self.ids), ("state", "=", "todo")],
                ["workorder_id"],
                ["__count"],
            )
        )
        for workorder in self:
            workorder.mqc_check_todo_count = groups.get(workorder, 0)

    def _mqc_first_piece_pending(self):
        self.ensure_one()
        first = self.mqc_check_ids.filtered(lambda c: c.is_first_piece and c.state != "cancel")
        return any(c.state != "pass" or not c.first_piece_approved_by_id for c in first)

    def _mqc_characteristics(self):
        self.ensure_one()
        chars = self.production_id.mqc_plan_id.characteristic_ids
        workorders = self.production_id._mqc_workorders_of(chars)
        return chars.filtered(lambda c: workorders[c.id] == self)

    def _mqc_sync_pieces(self, pieces_done):
        self.ensure_one()
        before = self.mqc_pieces_done
        if pieces_done <= before:
            return
        quantity = max(int(round(self.production_id.product_qty)), 1)
        pieces_done = min(pieces_done, quantity)
        self.env["mqc.check"]._mqc_create_checks(
            self.production_id._mqc_count_checks(
                self._mqc_characteristics(), self, before, pieces_done
            )
        )
        # The caller (mqc.tablet.set_pieces_done) checked its rights on the work order.
        self.sudo().mqc_pieces_done = pieces_done

    def _mqc_sync_time(self):
        """Creates the periodic check of each 'every T minutes' characteristic
        whose period has elapsed (one per characteristic: the current slot)."""
        now = fields.Datetime.now()
        vals_list = []
        for workorder in self:
            periodic = workorder.production_id.mqc_plan_id.characteristic_ids.filtered(
                lambda c: c.frequency_mode == "every_t" and c.control_type != "first_piece"
            )
            if not periodic:
                continue
            chars = workorder._mqc_characteristics() & periodic
            for char in chars:
                last = max(
                    (
                        c.due_datetime
                        for c in workorder.mqc_check_ids
                        if c.characteristic_id == char and c.trigger == "time" and c.due_datetime
                    ),
                    default=None,
                )
                period = timedelta(minutes=char.frequency_minutes)
                if last and now - last >= period:
                    slots = (now - last) // period
                    vals_list.append(
                        dict(
                            workorder.production_id._mqc_check_base(char),
                            workorder_id=workorder.id,
                            trigger="time",
                            due_datetime=last + slots * period,
                        )
                    )
        self.env["mqc.check"]._mqc_create_checks(vals_list)

    @api.model
    def _mqc_cron_sync_time(self):
        self.search([("state", "=", "progress")])._mqc_sync_time()

    # ------------------------------------------------------------------
    # Tablet
    # ------------------------------------------------------------------
    def _mqc_check_tablet_writer(self):
        """Pieces and tool changes are reported by an operator (or the quality
        team) who may write the work order in Manufacturing."""
        require_group(
            self.env, OPERATOR, self.env._("Only an operator or the quality team reports pieces.")
        )
        self.check_access("write")

    def _mqc_set_pieces_done(self, pieces_done):
        """The pieces done reported on the tablet (mqc.tablet.set_pieces_done
        checked the caller and the number)."""
        self.ensure_one()
        if self.production_id.state in ("done", "cancel"):
            raise UserError(self.env._("The manufacturing order is done or cancelled."))
        self._mqc_sync_pieces(pieces_done)

    @api.model
    def _mqc_workorder(self, workorder_id, access="read"):
        return client_input.existing(
            self.env, "mrp.workorder", workorder_id, self.env._("Work Order"), access=access
        )

    def _mqc_tool_change(self, reason):
        """A tool change or an adjustment reported on the tablet
        (mqc.tablet.tool_change checked the caller and the reason): the checks
        due after one, and a message on the order."""
        self.ensure_one()
        chars = self._mqc_characteristics().filtered(
            lambda c: c.frequency_mode == "tool_change" and c.control_type != "first_piece"
        )
        self.env["mqc.check"]._mqc_create_checks(
            [
                dict(
                    self.production_id._mqc_check_base(char),
                    workorder_id=self.id,
                    trigger="tool_change",
                    due_piece=self.mqc_pieces_done + 1,
                    trigger_note=reason,
                )
                for char in chars
            ]
        )
        self.production_id.message_post(
            body=self.env._(
                "Tool change or adjustment on %(wo)s by %(user)s: %(reason)s",
                wo=self.name,
                user=self.env.user.name,
                reason=reason,
            )
        )

    @api.model
    def _mqc_tablet_data(self, workorder_id):
        workorder = self._mqc_workorder(workorder_id)
        production = workorder.production_id
        if production.state not in ("done", "cancel"):
            workorder._mqc_sync_time()
        checks = workorder.mqc_check_ids.filtered(lambda c: c.state != "cancel")
        chars = checks.characteristic_id
        first_pending = workorder._mqc_first_piece_pending()
        first_checks = checks.filtered("is_first_piece")
        last_values = self._mqc_last_values(chars.ids)
        gauges = self._mqc_gauges_of(chars.gauge_family_id, workorder.company_id)
        drift = self.env["mqc.drift.event"]._mqc_tablet_values(workorder)
        shop = {
            "open_drift": {event["characteristic_id"]: event for event in drift["events"]},
            "refusals": gauges._mqc_study_refusals(chars),
            "triggers": dict(checks._fields["trigger"]._description_selection(self.env)),
            "chars": {},
        }
        return {
            "workorder": {
                "id": workorder.id,
                "name": workorder.name,
                "production": production.name,
                "product": production.product_id.display_name,
                "qty_production": production.product_qty,
                "pieces_done": workorder.mqc_pieces_done,
                "workcenter": workorder.workcenter_id.name,
                "workcenter_id": workorder.workcenter_id.id,
                "state": workorder.state,
                "production_state": production.state,
                "plan": production.mqc_plan_id.display_name or False,
            },
            "first_piece": {
                "required": bool(first_checks),
                "approved": bool(first_checks) and not first_pending,
                "check_ids": first_checks.ids,
            },
            "checks": [
                self._mqc_check_payload(check, first_pending, last_values, shop)
                for check in checks.sorted(
                    lambda c: (c.state != "todo", c.due_piece, c.sequence, c.id)
                )
            ],
            "gauges": gauges._mqc_tablet_values(),
            "drift": drift,
            "notes": self._mqc_tablet_notes(workorder.workcenter_id),
            "alerts": [
                {"id": alert.id, "name": alert.name, "state": alert.state, "summary": alert.summary}
                for alert in self.env["mqc.alert"].search(
                    [("workorder_id", "=", workorder.id), ("state", "=", "new")]
                )
            ],
        }

    def _mqc_check_payload(self, check, first_pending, last_values, shop):
        """One check as the tablet shows it; ``shop``: the open drift events by
        characteristic, the gauge-study refusals and the trigger labels,
        computed in bulk, and ``chars``: what is the same for every check of a
        characteristic, filled once per characteristic."""
        char = check.characteristic_id
        chars = shop["chars"]
        if char.id not in chars:
            chars[char.id] = self._mqc_characteristic_payload(char, last_values, shop)
        drift = shop["open_drift"].get(char.id)
        due = shop["triggers"].get(check.trigger, "")
        if check.due_piece:
            due = self.env._("%(trigger)s, piece %(piece)s", trigger=due, piece=check.due_piece)
        if check.trigger_note:
            due = f"{due} ({check.trigger_note})"
        blocked = False
        if check.state == "todo":
            if check.production_id.state in ("done", "cancel"):
                blocked = self.env._("The manufacturing order is done or cancelled.")
            elif first_pending and not check.is_first_piece:
                blocked = self.env._(
                    "Waiting for the first-piece approval of operation %s.", self.name
                )
            elif drift:
                blocked = self.env._(
                    "Locked until the drift of %s is answered: record its cause and the action "
                    "taken.",
                    drift["characteristic"],
                )
        return dict(
            chars[char.id],
            id=check.id,
            result_type="defects" if check.trigger == "aql" else char.result_type,
            state=check.state,
            verdict=check.verdict or False,
            trigger=check.trigger,
            is_first_piece=check.is_first_piece,
            due_label=due,
            blocked_reason=blocked,
            mandatory=check.mandatory,
            max_defects=check.aql_accept if check.trigger == "aql" else char.max_defects,
            sample_size=check.sample_size,
            disposition=check.disposition or False,
            needs_disposition=check.state == "fail" and not check.disposition,
        )

    @api.model
    def _mqc_characteristic_payload(self, char, last_values, shop):
        """What every check of ``char`` shows alike on the tablet."""
        zone = char._mqc_zones()
        drift = shop["open_drift"].get(char.id)
        return {
            "sequence": char.sequence,
            "balloon": char.balloon,
            "name": char.name,
            "nominal": char.nominal,
            "lower_limit": char.lower_limit,
            "upper_limit": char.upper_limit,
            "tolerance_type": char.tolerance_type,
            "unit": char.unit or "",
            "tolerance_display": char.tolerance_display,
            "warn_lower": zone.warn_lower if zone else False,
            "warn_upper": zone.warn_upper if zone else False,
            "gauge_family": {"id": char.gauge_family_id.id, "name": char.gauge_family_id.name}
            if char.gauge_family_id
            else False,
            "method_type": char.method_type,
            "control_type": char.control_type,
            "instruction": char.instruction or "",
            "instruction_text": html2plaintext(char.instruction or ""),
            "has_image": bool(char.image),
            "characteristic_id": char.id,
            "last_values": last_values.get(char.id, []),
            "drift_event_id": drift["id"] if drift else False,
            # gauges whose latest study fails for this characteristic: {gauge id: reason}
            "gauge_refusals": {
                gauge_id: reason
                for (gauge_id, char_id), reason in shop["refusals"].items()
                if char_id == char.id
            },
        }

    @api.model
    def _mqc_last_values(self, characteristic_ids):
        """{characteristic id: the last current values of its stream, oldest
        first} (the run chart of the tablet: the stream's history across the
        plan's revisions, as the chart screen and the drift rules see it); one
        query."""
        chars = self.env["mqc.characteristic"].browse(characteristic_ids)
        streams = chars.stream_id
        if not streams:
            return {}
        data = streams._series(columns=("value", "verdict"), last=LAST_VALUES)
        by_stream = streams._mqc_split_by_stream(data)
        values = {}
        for char in chars.filtered("stream_id"):
            history = by_stream.get(char.stream_id.id)
            if history is not None:
                values[char.id] = [
                    {"value": value, "verdict": VERDICTS[verdict]}
                    for value, verdict in zip(
                        history["value"].tolist(), history["verdict"].tolist(), strict=True
                    )
                ]
        return values

    @api.model
    def _mqc_gauges_of(self, families, company=None):
        """The gauges of ``families`` the user may read; with ``company``, only
        those of that company or shared (the ones its measurements may use)."""
        Gauge = self.env["maintenance.equipment"]
        if not families:
            return Gauge
        domain = [("mqc_is_gauge", "=", True), ("mqc_gauge_family_id", "in", families.ids)]
        if company is not None:
            domain += Gauge._check_company_domain(company)
        return Gauge.search(domain, order="name")

    @api.model
    def _mqc_tablet_notes(self, workcenter):
        notes = self.env["mqc.shift.note"].search(
            [("workcenter_id", "=", workcenter.id), ("state", "=", "open")], order="note_date"
        )
        return [
            {
                "id": note.id,
                "author": note.author_id.name,
                "date": fields.Datetime.to_string(note.note_date),
                "todo": note.todo or "",
                "problems": note.problems or "",
                "time_spent": note.time_spent,
            }
            for note in notes
        ]
