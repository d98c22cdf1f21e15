from odoo import api, models
from odoo.exceptions import UserError

from ..tools import client_input
from .mqc_guarded_mixin import require_group, require_quality_user

OPERATOR = "mrp_quality_control.group_mqc_operator"
TECHNICIAN = "mrp_quality_control.group_mqc_technician"

# Entries of one batch, and the keys of an entry (the payload's: mqc.check).
MAX_BATCH = 500
ENTRY_KEYS = {"check_id", "payload"}
# Points of the control chart shown on the tablet: the latest ones, limits
# from the whole history (the SPC screen asks for more).
TABLET_POINTS = 50
# Users offered as NDT inspectors.
MAX_INSPECTORS = 200


class MqcTablet(models.AbstractModel):
    """The shop-floor tablet's one door to the server, as Odoo's attendance
    kiosk has its controller: the tablet's JavaScript calls these methods and
    no other. Each checks the caller (quality group, access to the records and
    so their companies), checks and converts what the client sent
    (``tools/client_input``), then calls the add-on's private code.

    Each write answers with the fresh state of the screen under ``tablet``
    (``mrp.workorder._mqc_tablet_data``), except a value recorded within
    tolerance without a drift: its answer is what the tablet updates itself
    with (``patchRecorded`` in ``static/src/tablet/tablet_utils.js``), the
    speed of the shop floor."""

    _name = "mqc.tablet"
    _description = "Shop-Floor Tablet"

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    @api.model
    def kiosk(self):
        """The work centres with their work orders ready or in progress:
        [{id, name, workorders: [{id, name, production, product, state, todo}]}]."""
        workcenters = self.env["mrp.workcenter"]
        require_quality_user(workcenters)
        return workcenters._mqc_kiosk_data()

    @api.model
    def open(self, workorder_id):
        """The screen of a work order (see ``mrp.workorder._mqc_tablet_data``)."""
        return self._screen(self._workorder(workorder_id))

    @api.model
    def inspectors(self):
        """The users who may be named as NDT inspector: [{id, name}]."""
        users = self.env["res.users"]
        require_quality_user(users)
        return users.search_read(
            [("share", "=", False)], ["name"], limit=MAX_INSPECTORS, order="name"
        )

    @api.model
    def find_gauge(self, barcode, characteristic_id=False):
        """The gauge whose serial number is ``barcode`` (scanned or typed), as
        {id, name, serial_no, family_id}, or False; with ``characteristic_id``
        also {usable, reason}: whether it may measure that characteristic."""
        env, ci = self.env, client_input
        gauges = env["maintenance.equipment"]
        require_quality_user(gauges)
        barcode = ci.text(env, barcode, env._("Serial Number"), ci.CHAR_MAX)
        char_id = ci.record_id(env, characteristic_id, env._("Characteristic"), required=False)
        char = env["mqc.characteristic"].browse(char_id).exists()
        char.check_access("read")
        return gauges._mqc_find_gauge(barcode, char)

    @api.model
    def chart(self, characteristic_id):
        """The control chart of a characteristic's process stream, its latest
        points (the chart screen's data: ``get_chart_data`` of the control
        chart report, which checks the caller)."""
        return self.env["report.mrp_quality_control.report_spc_control_chart"].get_chart_data(
            characteristic_id, {"max_points": TABLET_POINTS}
        )

    # ------------------------------------------------------------------
    # Recording values
    # ------------------------------------------------------------------
    @api.model
    def record(self, check_id, payload):
        """Records one entry (payload: value, ok or defects, gauge_id, note,
        sample_reference, ndt_inspector_id, client_uid); the answer of
        ``mqc.check._record_many``. A value within tolerance without a drift:
        the tablet updates itself from it. Out of tolerance, a drift or a
        refusal change more (alerts, locks): the answer carries the screen of
        the check's work order under ``tablet``."""
        env = self.env
        self._require_recorder()
        check = client_input.existing(env, "mqc.check", check_id, env._("Check"))
        result = check._record_many([check._mqc_payload(payload)])[0]
        if check.workorder_id and self._needs_screen([result]):
            result["tablet"] = self._screen(check.workorder_id)
        return result

    @api.model
    def record_batch(self, entries, workorder_id=False):
        """Records the entries [{check_id, payload}] of the tablet's offline
        queue in one call, idempotent with their ``client_uid`` (an entry
        already recorded is answered as recorded, ``replayed``). The whole call
        is refused before anything is written when the entries themselves are
        malformed; an entry whose values are wrong gets its own refusal.
        Returns {results: [one answer per entry, in order]}, and under
        ``tablet`` the screen of ``workorder_id`` (the work order shown) when
        an entry of that work order cannot be shown from its answer alone."""
        env, ci = self.env, client_input
        self._require_recorder()
        label = env._("Entries")
        if not isinstance(entries, list | tuple) or len(entries) > MAX_BATCH:
            raise UserError(
                env._(
                    "%(field)s: a list of at most %(maximum)s entries is due (got %(value)s).",
                    field=label,
                    maximum=MAX_BATCH,
                    value=ci.shown(entries),
                )
            )
        shown = self._workorder(workorder_id) if not ci.empty(workorder_id) else None
        if not entries:
            return {"results": []}
        entries = [ci.mapping(env, e, label, ENTRY_KEYS) for e in entries]
        check_ids = [ci.record_id(env, e.get("check_id"), env._("Check")) for e in entries]
        Check = env["mqc.check"]
        payloads = [Check._mqc_payload(e.get("payload")) for e in entries]
        checks = Check.browse(check_ids)
        missing = set(check_ids) - set(checks.exists().ids)
        if missing:
            raise UserError(
                env._(
                    "%(field)s: this record does not exist (id %(id)s).",
                    field=env._("Check"),
                    id=min(missing),
                )
            )
        results = checks._record_many(payloads)
        answer = {"results": results}
        if shown:
            mine = [
                result
                for check, result in zip(checks, results, strict=True)
                if check.workorder_id == shown
            ]
            if self._needs_screen(mine):
                answer["tablet"] = self._screen(shown)
        return answer

    @api.model
    def set_disposition(self, check_id, disposition, note):
        """What happens to the part of a failed check (rework, scrap,
        quarantine, hold) and why: {status, message, tablet}."""
        env, ci = self.env, client_input
        check = ci.existing(env, "mqc.check", check_id, env._("Check"), access=None)
        check._mqc_check_recorder()
        note = ci.text(env, note, env._("What happened"), ci.NOTE_MAX)
        return self._with_screen(check._mqc_set_disposition(disposition, note), check.workorder_id)

    @api.model
    def approve_first_piece(self, workorder_id):
        """A Quality Technician approves the first piece of the work order
        (its first-piece checks all passed): {status, message, tablet}."""
        env = self.env
        require_group(
            env, TECHNICIAN, env._("Only a Quality Technician or Manager approves a first piece.")
        )
        workorder = self._workorder(workorder_id)
        checks = workorder.mqc_check_ids.filtered(
            lambda c: c.is_first_piece and c.state != "cancel"
        )
        checks.check_access("read")
        return self._with_screen(checks._mqc_approve_first_piece(), workorder)

    # ------------------------------------------------------------------
    # Drift, pieces, tool changes, notes, alerts, finish
    # ------------------------------------------------------------------
    @api.model
    def answer_drift(self, event_id, cause_id, action_id, note=""):
        """Answers an open drift event: the cause found and the action taken
        (from the lists of the screen), a note: {status, message, tablet}."""
        env, ci = self.env, client_input
        event_id = ci.record_id(env, event_id, env._("Drift Event"))
        cause_id = ci.record_id(
            env, cause_id, env._("Cause"), False, env._("Cause: choose one of the list.")
        )
        action_id = ci.record_id(
            env, action_id, env._("Action"), False, env._("Action: choose one of the list.")
        )
        note = ci.text(env, note, env._("Note"), ci.NOTE_MAX)
        event = env["mqc.drift.event"].browse(event_id).exists()
        if not event:
            return {"status": "error", "message": env._("This drift event does not exist.")}
        require_group(
            env, OPERATOR, env._("Only an operator or the quality team answers a drift.")
        )
        event.check_access("read")
        return self._with_screen(event._mqc_answer(cause_id, action_id, note), event.workorder_id)

    @api.model
    def set_pieces_done(self, workorder_id, pieces_done):
        """The pieces done on the work order; the checks they make due appear:
        {status, tablet}."""
        env = self.env
        workorder = self._workorder(workorder_id, access=None)
        workorder._mqc_check_tablet_writer()
        pieces_done = client_input.whole_number(
            env,
            pieces_done,
            env._("Pieces done"),
            message=env._("Pieces done: a whole number, 0 or more, is due."),
        )
        workorder._mqc_set_pieces_done(pieces_done)
        return self._with_screen({"status": "ok"}, workorder)

    @api.model
    def tool_change(self, workorder_id, reason):
        """A tool change or an adjustment, and why; the checks due after one
        appear: {status, tablet}."""
        env, ci = self.env, client_input
        workorder = self._workorder(workorder_id, access=None)
        workorder._mqc_check_tablet_writer()
        reason = ci.text(env, reason, env._("Tool change"), ci.CHAR_MAX)
        if not reason:
            raise UserError(env._("Tool change: say which tool or which adjustment."))
        workorder._mqc_tool_change(reason)
        return self._with_screen({"status": "ok"}, workorder)

    @api.model
    def acknowledge_note(self, note_id, workorder_id=False):
        """The next shift has read a handover note of the work centre (see
        ``mqc.shift.note.action_acknowledge``): {status}, and the screen of
        ``workorder_id`` (the work order shown) under ``tablet``."""
        env = self.env
        notes = env["mqc.shift.note"]
        require_quality_user(notes)
        note_id = client_input.record_id(env, note_id, env._("Handover Note"))
        workorder = self._workorder(workorder_id) if not client_input.empty(workorder_id) else None
        note = notes.browse(note_id).exists()
        if not note:
            raise UserError(env._("This handover note no longer exists."))
        note.action_acknowledge()
        return self._with_screen({"status": "ok"}, workorder)

    @api.model
    def acknowledge_alert(self, alert_id):
        """The supervisor of a quality alert or the quality team acknowledges
        it (see ``mqc.alert.action_acknowledge``): {status, tablet} (the screen
        of the alert's work order)."""
        env = self.env
        alerts = env["mqc.alert"]
        require_quality_user(alerts)
        alert = client_input.existing(env, "mqc.alert", alert_id, env._("Quality Alert"))
        alert.action_acknowledge()
        return self._with_screen({"status": "ok"}, alert.workorder_id)

    @api.model
    def finish(self, workorder_id):
        """Finishes the work order (Odoo's own button, with the caller's
        rights): {status, tablet}."""
        workorder = self._workorder(workorder_id, access=None)
        workorder._mqc_check_tablet_writer()
        workorder.button_finish()
        return self._with_screen({"status": "ok"}, workorder)

    # ------------------------------------------------------------------
    # Private
    # ------------------------------------------------------------------
    @api.model
    def _workorder(self, workorder_id, access="read"):
        """The work order of the screen: a quality user's, one they may read."""
        workorders = self.env["mrp.workorder"]
        require_quality_user(workorders)
        return workorders._mqc_workorder(workorder_id, access=access)

    @api.model
    def _require_recorder(self):
        require_group(
            self.env,
            OPERATOR,
            self.env._("Only an operator or the quality team records results."),
        )

    @api.model
    def _screen(self, workorder):
        return self.env["mrp.workorder"]._mqc_tablet_data(workorder.id)

    @api.model
    def _with_screen(self, result, workorder):
        if workorder:
            result["tablet"] = self._screen(workorder)
        return result

    @api.model
    def _needs_screen(self, results):
        """Whether the tablet needs the fresh screen to show these answers:
        not when each is a value within tolerance without a drift (it updates
        itself from it), nor when one was read from another transaction's
        commit (``refresh``: this transaction's snapshot is older; the tablet
        reloads)."""
        if any(result.get("refresh") for result in results):
            return False
        return any(
            result["status"] not in ("ok", "warning") or result.get("drift_event_id")
            for result in results
        )
