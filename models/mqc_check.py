import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

from ..spc.precontrol import classify
from ..tools import client_input
from .mqc_guarded_mixin import ALL, require_group

OPERATOR = "mrp_quality_control.group_mqc_operator"
TECHNICIAN = "mrp_quality_control.group_mqc_technician"

TRIGGERS = [
    ("first_piece", "First piece / setup"),
    ("piece", "Every piece"),
    ("every_n", "Every N pieces"),
    ("time", "Every T minutes"),
    ("batch_start", "Start of batch"),
    ("batch_end", "End of batch"),
    ("tool_change", "After tool change or adjustment"),
    ("aql", "AQL sample"),
]
DISPOSITIONS = [
    ("rework", "Rework"),
    ("scrap", "Scrap"),
    ("quarantine", "Quarantine"),
    ("hold", "Hold for decision"),
]
# The keys of an entry's payload.
PAYLOAD_KEYS = {
    "value", "ok", "defects", "gauge_id", "note", "sample_reference", "ndt_inspector_id",
    "client_uid",
}  # fmt: skip
CLIENT_UID_MAX = 64


class MqcCheck(models.Model):
    """One check to do on a manufacturing or work order, generated from the
    approved control plan revision."""

    _name = "mqc.check"
    _description = "Quality Check"
    _inherit = ["mqc.guarded.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "production_id, workorder_id, due_piece, sequence, id"
    _check_company_auto = True
    # Checks are generated, recorded, disposed of and approved by the server
    # methods below only: users have no create or write access.
    _mqc_guarded_fields = ALL
    # Whoever may read a check may comment on it and plan activities.
    _mail_post_access = "read"

    production_id = fields.Many2one(
        "mrp.production", required=True, ondelete="cascade", index=True, check_company=True
    )
    workorder_id = fields.Many2one(
        "mrp.workorder", ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="production_id.company_id", store=True, index=True)
    characteristic_id = fields.Many2one(
        "mqc.characteristic", required=True, ondelete="restrict", index=True, check_company=True
    )
    plan_id = fields.Many2one(
        "mqc.control.plan",
        "Plan Revision",
        required=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    balloon = fields.Char(related="characteristic_id.balloon")
    name = fields.Char(related="characteristic_id.name", string="Characteristic Name")
    result_type = fields.Selection(related="characteristic_id.result_type")
    sequence = fields.Integer(related="characteristic_id.sequence", store=True)
    trigger = fields.Selection(TRIGGERS, required=True, readonly=True)
    due_piece = fields.Integer(
        readonly=True, help="Piece number after which the check is due (0: at start)."
    )
    due_datetime = fields.Datetime(readonly=True)
    trigger_note = fields.Char(readonly=True)
    sample_size = fields.Integer(readonly=True)
    aql_accept = fields.Integer("Acceptance Number", readonly=True)
    aql_reject = fields.Integer("Rejection Number", readonly=True)
    mandatory = fields.Boolean(default=True, readonly=True)
    is_first_piece = fields.Boolean(readonly=True)
    state = fields.Selection(
        [("todo", "To Do"), ("pass", "Passed"), ("fail", "Failed"), ("cancel", "Cancelled")],
        default="todo",
        required=True,
        tracking=True,
        index=True,
    )
    measurement_ids = fields.One2many("mqc.measurement", "check_id", "Measurements")
    current_measurement_id = fields.Many2one("mqc.measurement", readonly=True, check_company=True)
    verdict = fields.Selection(related="current_measurement_id.verdict")
    first_piece_approved_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    first_piece_approval_date = fields.Datetime(readonly=True)
    disposition = fields.Selection(DISPOSITIONS, tracking=True)
    disposition_note = fields.Text(tracking=True)
    alert_id = fields.Many2one("mqc.alert", readonly=True, check_company=True)
    lot_id = fields.Many2one(related="production_id.lot_producing_id", store=True)
    product_id = fields.Many2one(related="production_id.product_id", store=True)

    _check_mqc_text_lengths = client_input.max_lengths(
        disposition_note=client_input.NOTE_MAX,
        trigger_note=client_input.CHAR_MAX,
    )

    @api.depends("characteristic_id", "production_id", "due_piece", "trigger")
    def _compute_display_name(self):
        triggers = dict(self._fields["trigger"]._description_selection(self.env))
        for check in self:
            check.display_name = (
                f"{check.production_id.name} · {check.balloon} {check.name} · "
                f"{triggers.get(check.trigger, '')}"
                + (f" #{check.due_piece}" if check.due_piece else "")
            )

    def _internal_write(self, vals):
        # Private: every caller has checked who is calling and that the checks
        # are theirs to change (group, read access within their companies).
        return self.sudo().write(vals)

    @api.model
    def _mqc_create_checks(self, vals_list):
        """Checks generated by the server (confirmation, pieces reported, tool
        changes, elapsed periods) from the approved plan: the callers checked
        their access to the order or work order first."""
        return self.sudo().create(vals_list).with_env(self.env)

    def _mqc_check_recorder(self):
        """The caller records on these checks: an operator (or above) who may
        read them, so within the companies allowed to them."""
        require_group(
            self.env, OPERATOR, self.env._("Only an operator or the quality team records results.")
        )
        self.check_access("read")

    # ------------------------------------------------------------------
    # Verdicts
    # ------------------------------------------------------------------
    def _zones(self):
        return self.characteristic_id._mqc_zones()

    def _verdict(self, value=None, attribute_ok=None, defects=None):
        self.ensure_one()
        char = self.characteristic_id
        if self.trigger == "aql":
            return "ok" if defects <= self.aql_accept else "nok"
        if char.result_type == "attribute":
            return "ok" if attribute_ok else "nok"
        if char.result_type == "defects":
            return "ok" if defects <= char.max_defects else "nok"
        return str(classify([value], self._zones())[0])

    def _label(self):
        return f"{self.balloon} {self.name}"

    def _blocked_reason(self):
        """Why the check cannot be filled yet (False when it can)."""
        self.ensure_one()
        if self.production_id.state in ("done", "cancel") or self.state == "cancel":
            return self.env._("The manufacturing order is done or cancelled.")
        if self.is_first_piece or not self.workorder_id:
            return False
        if self.workorder_id._mqc_first_piece_pending():
            return self.env._(
                "Waiting for the first-piece approval of operation %s.",
                self.workorder_id.name,
            )
        return False

    # ------------------------------------------------------------------
    # Recording (the tablet's door, mqc.tablet, checks the caller first)
    # ------------------------------------------------------------------
    @api.model
    def _mqc_payload(self, payload):
        """The payload of one entry with its keys checked and its identifiers
        and texts converted; the value, the result and the defects are checked
        against the characteristic by _measurement_values."""
        env, ci = self.env, client_input
        payload = dict(ci.mapping(env, payload, env._("Entry"), PAYLOAD_KEYS))
        payload["gauge_id"] = ci.record_id(
            env, payload.get("gauge_id"), env._("Gauge"), required=False
        )
        payload["ndt_inspector_id"] = ci.record_id(
            env, payload.get("ndt_inspector_id"), env._("NDT Inspector"), required=False
        )
        payload["note"] = ci.text(env, payload.get("note"), env._("Note"), ci.NOTE_MAX)
        payload["sample_reference"] = ci.text(
            env, payload.get("sample_reference"), env._("Sample"), ci.CHAR_MAX
        )
        payload["client_uid"] = ci.text(
            env, payload.get("client_uid"), env._("Client Entry Id"), CLIENT_UID_MAX
        )
        return payload

    def _record_many(self, payloads):
        """Records one entry per check of self (same order); the queries do not
        grow with the number of entries: one lock, one look-up of retried
        entries, one insert of the measurements, one update of the checks."""
        self._mqc_check_recorder()
        Measurement = self.env["mqc.measurement"]
        uids = [p["client_uid"] for p in payloads if p.get("client_uid")]
        # Entry ids are unique across the database: look them up whoever
        # recorded them, so that an id already used elsewhere is refused
        # cleanly instead of breaking the insert.
        replayed = (
            {
                m.client_uid: m.with_env(self.env)
                for m in Measurement.sudo().search([("client_uid", "in", uids)])
            }
            if uids
            else {}
        )
        # Two operators on the same check: the second waits here for the first
        # to commit, then is told by whom it was recorded (or, for its own entry
        # resent, that it is recorded) from what was committed.
        committed = self._mqc_lock()
        self.invalidate_recordset(["state", "current_measurement_id"])
        open_drift = self._mqc_open_drift()
        gauges = self._mqc_gauges_named(payloads)
        results = [None] * len(payloads)
        pending, seen, batch_uids, resent = [], set(), {}, []
        for index, (check, payload) in enumerate(zip(self, payloads, strict=True)):
            uid = payload.get("client_uid")
            done = replayed.get(uid)
            drift = open_drift.get(check._mqc_drift_key())
            if check.id in committed:
                results[index] = check._answer_committed(committed[check.id], uid)
            elif uid in batch_uids and batch_uids[uid] == check:
                # The same entry twice in one batch (a queue resent): one record.
                resent.append((index, check, uid))
            elif (done and done.sudo().check_id != check) or uid in batch_uids:
                results[index] = {
                    "status": "error",
                    "message": self.env._(
                        "Entry id %s was already used for another check: your entry was not "
                        "saved.",
                        payload["client_uid"],
                    ),
                    "check_state": check.state,
                }
            elif done:
                results[index] = check._answer(done, replayed=True)
            elif blocked := check._blocked_reason():
                results[index] = {"status": "error", "message": blocked, "check_state": check.state}
            elif check.state != "todo" or check.id in seen:
                results[index] = check._conflict()
            else:
                try:
                    if drift:
                        raise UserError(check._mqc_drift_refusal(drift))
                    pending.append((index, check, check._measurement_values(payload, gauges)))
                    seen.add(check.id)
                    if uid:
                        batch_uids[uid] = check
                except UserError as error:
                    results[index] = {
                        "status": "error",
                        "message": error.args[0],
                        "check_state": check.state,
                        "drift_event_id": drift.id if drift else False,
                    }
        # The caller and each entry were checked above; measurements have no
        # create access for users, whatever the context.
        measurements = (
            Measurement.sudo().create([vals for _index, _check, vals in pending])
        ).with_env(self.env)
        for (_index, check, _vals), measurement in zip(pending, measurements, strict=True):
            check._apply(measurement)
        # SPC: run rules on the recent history, then the capability-driven frequency.
        drift = self.env["mqc.drift.event"]._mqc_detect(measurements)
        done = self.browse([check.id for _index, check, _vals in pending])
        done._mqc_frequency_feedback(drift)
        for (index, check, _vals), measurement in zip(pending, measurements, strict=True):
            results[index] = check._answer(measurement, drift_event=drift.get(measurement.id))
        by_uid = {m.client_uid: m for m in measurements if m.client_uid}
        for index, check, uid in resent:
            results[index] = check._answer(by_uid[uid], replayed=True)
        return results

    def _mqc_drift_key(self):
        return (self.production_id.id, self.workorder_id.id, self.characteristic_id.id)

    def _mqc_open_drift(self):
        """{(production, work order, characteristic): oldest unanswered drift
        event} for the checks of self, in one search."""
        if not self:
            return {}
        # Every open drift of these orders locks them, whoever opened it; the
        # caller may read the checks (and so their orders), and gets only ids.
        events = (
            self.env["mqc.drift.event"]
            .sudo()
            .search(
                [
                    ("state", "=", "open"),
                    ("production_id", "in", self.production_id.ids),
                    ("characteristic_id", "in", self.characteristic_id.ids),
                ],
                order="id",
            )
        )
        found = {}
        for event in events:
            key = (event.production_id.id, event.workorder_id.id, event.characteristic_id.id)
            found.setdefault(key, event.with_env(self.env))
        return found

    def _mqc_drift_refusal(self, event):
        return self.env._(
            "%(check)s is locked: the drift of %(date)s (%(rules)s) has no answer yet. Record "
            "its cause and the action taken first; your value was not saved.",
            check=self._label(),
            # The event locking the user's check: its date and rules only.
            date=format_datetime(self.env, event.sudo().create_date, dt_format="short"),
            rules=self.env._("Nelson %s", event.sudo().rules or ""),
        )

    def _mqc_gauges_named(self, payloads):
        """The gauges named by ``payloads`` (one per check of self), looked up
        in bulk: {"ids": existing gauge ids, "refusals": {(gauge id,
        characteristic id): reason}} where the latest gauge study fails for
        the characteristic; the queries do not grow with the entries."""
        ids = {p["gauge_id"] for p in payloads if p.get("gauge_id")}
        gauges = self.env["maintenance.equipment"].browse(ids).exists()._filtered_access("read")
        return {
            "ids": set(gauges.ids),
            "refusals": gauges._mqc_study_refusals(self.characteristic_id) if gauges else {},
        }

    def _mqc_frequency_feedback(self, drift):
        """A failed check or a drift tightens a capability-driven
        characteristic; each passed check is a conforming subgroup."""
        failed = self.filtered(lambda c: c.state == "fail").characteristic_id
        for event in drift.values():
            failed |= event.characteristic_id
        conforming = {}
        for check in self.filtered(lambda c: c.state == "pass"):
            key = check.characteristic_id.id
            conforming[key] = conforming.get(key, 0) + 1
        self.characteristic_id._mqc_frequency_feedback(failed, conforming)

    def _mqc_lock(self):
        """Locks the checks of self (FOR UPDATE) for this transaction. A check
        that another transaction recorded after this one began cannot be locked
        under REPEATABLE READ: a serialization failure, which Odoo would retry
        by running the whole request again after sleeping up to seconds in the
        worker. Those checks are answered at once instead, from what was
        committed: {check id: committed row (see _mqc_committed)}."""
        query = "SELECT id FROM mqc_check WHERE id IN %s ORDER BY id FOR UPDATE"
        ids = sorted(set(self.ids))
        if self._mqc_try_lock(SQL(query, tuple(ids))):
            return {}
        busy = [i for i in ids if not self._mqc_try_lock(SQL(query, (i,)))]
        committed = self.browse(busy)._mqc_committed() if busy else {}
        if any(row["state"] == "todo" for row in committed.values()):
            # Changed by someone but still to do (its order's lot, say): this
            # transaction cannot record it; the failure lets Odoo run the
            # request again on fresh data, as it would have without the above.
            self.env.cr.execute(SQL(query, tuple(ids)))
        return committed

    def _mqc_try_lock(self, query):
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
        except psycopg2.errors.SerializationFailure:
            return False
        return True

    def _mqc_committed(self):
        """The current measurement of the checks of self as committed now,
        read on a cursor of its own (this transaction's snapshot is older):
        {check id: row}. Only their ids were read by the caller's own rights."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    """
                    SELECT c.id, c.state, c.disposition, c.alert_id, m.id, m.client_uid,
                           m.verdict, m.value, m.rounding_note, m.recorded_at, p.name
                      FROM mqc_check c
                      LEFT JOIN mqc_measurement m ON m.id = c.current_measurement_id
                      LEFT JOIN res_users u ON u.id = m.user_id
                      LEFT JOIN res_partner p ON p.id = u.partner_id
                     WHERE c.id IN %s
                    """,
                    tuple(self.ids),
                )
            )
            keys = ("state", "disposition", "alert_id", "measurement_id", "client_uid",
                    "verdict", "value", "rounding_note", "recorded_at", "user")  # fmt: skip
            return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in cr.fetchall()}

    def _answer_committed(self, row, client_uid):
        """The answer to an entry on a check another transaction just recorded:
        this very entry (resent while it was being recorded) or someone else's.
        ``refresh``: what this transaction reads is older than the answer."""
        if row["state"] == "cancel":
            answer = {
                "status": "error",
                "message": self.env._("The manufacturing order is done or cancelled."),
                "check_state": "cancel",
            }
        elif client_uid and row["client_uid"] == client_uid:
            answer = self._answer_values(
                row["verdict"], row["measurement_id"], row["value"], row["rounding_note"],
                state=row["state"], disposition=row["disposition"], alert_id=row["alert_id"],
                replayed=True,
            )  # fmt: skip
        else:
            answer = self._conflict(row["user"], row["recorded_at"], row["state"])
        return dict(answer, refresh=True)

    def _conflict(self, user=None, when=None, state=None):
        last = self.current_measurement_id
        if user is None:
            user, when = last.user_id.name, last.recorded_at
        return {
            "status": "conflict",
            "check_state": state or self.state,
            "message": self.env._(
                "%(check)s was already recorded by %(user)s at %(when)s: your entry was "
                "not saved. Refresh to see it.",
                check=self._label(),
                user=user or "-",
                when=fields.Datetime.to_string(when) if when else "-",
            ),
        }

    def _measurement_values(self, payload, gauges=None):
        """Checks and converts one entry; raises UserError naming what is wrong.
        ``gauges``: the gauges of a batch looked up in bulk (see
        _mqc_gauges_named); looked up for this entry when not given."""
        char = self.characteristic_id
        vals = {
            "check_id": self.id,
            "characteristic_id": char.id,
            "plan_id": self.plan_id.id,
            "production_id": self.production_id.id,
            "workorder_id": self.workorder_id.id,
            "lot_id": self.production_id.lot_producing_id.id,
            "client_uid": payload.get("client_uid") or False,
            "note": payload.get("note") or False,
        }
        if gauges is None:
            gauges = self._mqc_gauges_named([payload])
        gauge = self.env["maintenance.equipment"]
        if payload.get("gauge_id"):
            if payload["gauge_id"] not in gauges["ids"]:
                raise UserError(
                    self.env._(
                        "%(field)s: this record does not exist (id %(id)s).",
                        field=self.env._("Gauge"),
                        id=payload["gauge_id"],
                    )
                )
            gauge = gauge.browse(payload["gauge_id"])
            # A gauge of another company (the user may work in both) is refused
            # here, for this entry, rather than by the company check of the
            # measurements' insert, which would refuse the whole batch.
            if not gauge.filtered_domain(gauge._check_company_domain(self.company_id)):
                raise UserError(
                    self.env._(
                        "Gauge: %(gauge)s belongs to %(company)s, not to %(order_company)s "
                        "whose order this is; measure with a gauge of %(order_company)s.",
                        gauge=gauge.display_name,
                        company=gauge.company_id.name,
                        order_company=self.company_id.name,
                    )
                )
        if char.method_type == "gauge":
            if not gauge:
                raise UserError(
                    self.env._("Gauge: say which %s you measured with.", char.gauge_family_id.name)
                )
            gauge._mqc_check_usable(char.gauge_family_id)
        if gauge and (refusal := gauges["refusals"].get((gauge.id, char.id))):
            raise UserError(refusal)
        vals["gauge_id"] = gauge.id
        if char.method_type == "destructive":
            if not payload.get("sample_reference"):
                raise UserError(
                    self.env._("Sample: give the reference of the sample the test consumed.")
                )
            vals["sample_reference"] = payload["sample_reference"]
        if char.method_type == "ndt":
            inspector_id = payload.get("ndt_inspector_id") or self.env.uid
            if not self.env["res.users"].browse(inspector_id).exists():
                raise UserError(
                    self.env._(
                        "%(field)s: this record does not exist (id %(id)s).",
                        field=self.env._("NDT Inspector"),
                        id=inspector_id,
                    )
                )
            vals["ndt_inspector_id"] = inspector_id
        if self.trigger == "aql" or char.result_type == "defects":
            raw = payload.get("defects")
            defects = client_input.whole_number(
                self.env,
                raw,
                self.env._("Defects"),
                message=self.env._(
                    "Defects: a whole number, 0 or more, is due (got %r).",
                    client_input.shown(raw),
                ),
            )
            vals.update(defects=defects, verdict=self._verdict(defects=defects))
        elif char.result_type == "attribute":
            if not isinstance(payload.get("ok"), bool):
                raise UserError(self.env._("Result: choose OK or NOK."))
            vals.update(
                attribute_ok=payload["ok"], verdict=self._verdict(attribute_ok=payload["ok"])
            )
        else:
            value = self._parse_value(payload.get("value"))
            if gauge:
                value, note = gauge._mqc_check_value(value)
                vals["rounding_note"] = note or False
            vals.update(value=value, verdict=self._verdict(value=value))
        return vals

    def _parse_value(self, raw):
        label = self.env._("Value of %s", self._label())
        return client_input.finite_number(self.env, raw, label)

    def _apply(self, measurement):
        """New state of the check after a measurement; a failure raises an alert."""
        self._internal_write(
            {
                "current_measurement_id": measurement.id,
                "state": "pass" if measurement.verdict in ("ok", "warning") else "fail",
            }
        )
        if measurement.verdict == "nok":
            self._internal_write({"alert_id": self.env["mqc.alert"]._raise_for(measurement).id})

    def _answer(self, measurement, replayed=False, drift_event=None):
        return self._answer_values(
            measurement.verdict, measurement.id, measurement.value, measurement.rounding_note,
            replayed=replayed, drift_event=drift_event,
        )  # fmt: skip

    def _answer_values(
        self,
        verdict,
        measurement_id,
        value,
        rounding_note,
        state=None,
        disposition=None,
        alert_id=None,
        replayed=False,
        drift_event=None,
    ):
        """The tablet's answer to an entry recorded as ``measurement_id``;
        ``state``, ``disposition``, ``alert_id``: the check's as committed when
        they are not this transaction's."""
        if state is None:
            state, disposition, alert_id = self.state, self.disposition, self.alert_id.id
        messages = {
            "ok": self.env._("Within tolerance."),
            "warning": self.env._(
                "Within tolerance but in the warning band: watch for a drift (%s).",
                self.characteristic_id.reaction_drift or self.env._("see the reaction plan"),
            ),
            "nok": self.env._(
                "Out of tolerance: choose a disposition and write what happened. %s",
                self.characteristic_id.reaction_out_of_tolerance or "",
            ),
        }
        return {
            "status": verdict,
            "message": messages[verdict].strip(),
            "measurement_id": measurement_id,
            "check_state": state,
            "needs_disposition": state == "fail" and not disposition,
            "alert_id": alert_id or False,
            "rounded_value": value,
            "rounding_warning": rounding_note or False,
            "replayed": replayed,
            "drift_event_id": drift_event.id if drift_event else False,
            "drift_message": drift_event._mqc_message() if drift_event else False,
        }

    def _mqc_set_disposition(self, disposition, note):
        """What happens to the part of this failed check, and why (``note``,
        stripped); mqc.tablet.set_disposition checked the caller."""
        self.ensure_one()
        if self.state != "fail":
            return {
                "status": "error",
                "message": self.env._("Only a failed check takes a disposition."),
            }
        if not isinstance(disposition, str) or disposition not in dict(DISPOSITIONS):
            return {
                "status": "error",
                "message": self.env._("Disposition: choose one of the list."),
            }
        if not note:
            return {
                "status": "error",
                "message": self.env._("What happened: write it, the alert needs it."),
            }
        self._internal_write({"disposition": disposition, "disposition_note": note})
        label = dict(self._fields["disposition"]._description_selection(self.env))[disposition]
        # The operator may read the alert, not write it: the note is posted for them.
        self.alert_id.sudo().message_post(
            body=Markup("<p><b>%s</b>: %s</p>") % (label, note),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return {"status": "ok", "message": self.env._("Disposition recorded: %s.", label)}

    def _mqc_approve_first_piece(self):
        """The first piece of these checks approved by the caller, a Quality
        Technician who may read them (mqc.tablet.approve_first_piece checked)."""
        user = self.env.user
        checks = self.filtered("is_first_piece")
        if not checks:
            return {"status": "error", "message": self.env._("No first-piece check to approve.")}
        pending = checks.filtered(lambda c: c.state != "pass")
        if pending:
            labels = ", ".join(check._label() for check in pending)
            return {
                "status": "error",
                "message": self.env._("First piece not approved: %s not passed yet.", labels),
            }
        checks._internal_write(
            {
                "first_piece_approved_by_id": user.id,
                "first_piece_approval_date": fields.Datetime.now(),
            }
        )
        for production in checks.production_id:
            production.message_post(
                body=self.env._("First piece approved by %s: the series can start.", user.name)
            )
        return {
            "status": "ok",
            "message": self.env._("First piece approved: the series can start."),
        }

    def mqc_correct(self, payload, reason):
        """Records a corrected value; the old measurement stays, pointing to the new one."""
        self.ensure_one()
        require_group(
            self.env,
            TECHNICIAN,
            self.env._("Only a Quality Technician or Manager corrects a record."),
        )
        self.check_access("read")
        payload = self._mqc_payload(payload)
        reason = client_input.text(
            self.env, reason, self.env._("Reason for the correction"), client_input.REASON_MAX
        )
        if not reason:
            raise UserError(self.env._("Reason for the correction: it is required."))
        old = self.current_measurement_id
        if not old:
            raise UserError(self.env._("There is no recorded value to correct."))
        vals = self._measurement_values(payload)
        vals.update(replaces_id=old.id, correction_reason=reason)
        # A technician of the check's company (checked above) records the
        # correction; measurements have no create or write access for users, and
        # the link to the correction is the one change a measurement takes.
        new = self.env["mqc.measurement"].sudo().create(vals).with_env(self.env)
        old.sudo().write({"replaced_by_id": new.id, "is_current": False})
        if self.alert_id and new.verdict != "nok":
            self.alert_id.sudo().message_post(body=self.env._("Value corrected: %s", reason))
        self._internal_write(
            {
                "current_measurement_id": new.id,
                "state": "pass" if new.verdict in ("ok", "warning") else "fail",
            }
        )
        if new.verdict == "nok" and not self.alert_id:
            self._internal_write({"alert_id": self.env["mqc.alert"]._raise_for(new).id})
        # SPC: the corrected value goes through the run rules; a failure or a
        # drift tightens a capability-driven frequency (never relaxes it).
        drift = self.env["mqc.drift.event"]._mqc_detect(new)
        if new.verdict == "nok" or drift:
            self.characteristic_id._mqc_frequency_feedback(self.characteristic_id, {})
        self.message_post(
            body=self.env._(
                "Measurement corrected from %(old)s to %(new)s by %(user)s: %(reason)s",
                old=old._value_text(),
                new=new._value_text(),
                user=self.env.user.name,
                reason=reason,
            )
        )
        return new
