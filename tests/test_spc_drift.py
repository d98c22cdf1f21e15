from odoo.exceptions import AccessError
from odoo.tests import tagged

from .spc_common import SpcCommon


@tagged("post_install", "-at_install")
class TestSpcDrift(SpcCommon):
    """Frozen limits 10.000 ± 3 x 0.100: Nelson 2 (nine in a row above the
    centre) and Nelson 1 (a point beyond 3 sigma), both within tolerance."""

    def freeze(self, char=None, center=10.0, sigma=0.1):
        # Limits frozen by a technician, with known values (mqc_freeze
        # estimates them from the data: see test_spc_screen).
        return self.env["mqc.spc.limit"].with_user(self.technician).sudo().create(
            {"characteristic_id": (char or self.diameter).id, "kind": "imr",
             "center": center, "sigma": sigma, "reason": "Reference run"}
        )  # fmt: skip

    def events(self, char=None):
        return self.env["mqc.drift.event"].search(
            [("characteristic_id", "=", (char or self.diameter).id)]
        )

    def test_nine_points_on_one_side_raise_a_drift_event(self):
        self.freeze()
        # 10.05 is half a sigma above the centre: only the run of nine matters.
        production, answers = self.record_values([10.05] * 9)
        self.assertEqual([a["status"] for a in answers], ["ok"] * 9)
        self.assertEqual([a["drift_event_id"] for a in answers[:8]], [False] * 8)
        event = self.events()
        self.assertEqual(len(event), 1)
        self.assertEqual(answers[8]["drift_event_id"], event.id)
        self.assertIn("9 points in a row", answers[8]["drift_message"])
        self.assertIn("Check the offset", answers[8]["drift_message"])
        self.assertEqual((event.rules, event.phase, event.state), ("2", "II", "open"))
        self.assertEqual(event.production_id, production)
        self.assertEqual(event.workorder_id.operation_id, self.op_grinding)
        self.assertEqual(event.measurement_id.value, 10.05)
        # The check itself passed: a drift is not a failure.
        self.assertEqual(event.measurement_id.check_id.state, "pass")
        # Supervisor (work centre) told by a to-do activity; critical: an alert.
        self.assertEqual(event.supervisor_id, self.manager)
        self.assertEqual(event.activity_ids.user_id, self.manager)
        self.assertTrue(event.alert_id)
        self.assertEqual(event.alert_id.responsible_id, self.manager)
        self.assertIn("drifts", event.alert_id.summary)
        # The tablet lists it and the operator answers it.
        Event = self.env["mqc.drift.event"].with_user(self.operator)
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        data = Event.mqc_open_events(event.workorder_id.id)
        self.assertEqual([e["id"] for e in data["events"]], [event.id])
        wear = self.env.ref("mrp_quality_control.drift_cause_tool_wear")
        offset = self.env.ref("mrp_quality_control.drift_action_offset")
        self.assertIn(wear.id, [c["id"] for c in data["causes"]])
        self.assertEqual(Tablet.answer_drift(event.id, False, offset.id, "")["status"], "error")
        with self.assertRaises(AccessError):
            self.env["mqc.tablet"].with_user(self.auditor).answer_drift(
                event.id, wear.id, offset.id, "x"
            )
        answer = Tablet.answer_drift(event.id, wear.id, offset.id, "Offset X -0.01")
        self.assertEqual(answer["status"], "ok")
        # The tablet gets its data with the answer: the drift is no longer open.
        self.assertEqual(answer["tablet"], Tablet.open(event.workorder_id.id))
        self.assertFalse(answer["tablet"]["drift"]["events"])
        self.assertEqual((event.state, event.cause_id, event.action_id), ("answered", wear, offset))
        self.assertEqual(event.answered_by_id, self.operator)
        self.assertEqual(event.note, "Offset X -0.01")
        self.assertFalse(event.activity_ids)
        self.assertEqual(Tablet.answer_drift(event.id, wear.id, offset.id, "")["status"], "error")
        self.assertFalse(Event.mqc_open_events(event.workorder_id.id)["events"])

    def test_a_point_beyond_three_sigma_raises_a_drift_event(self):
        self.freeze()
        _production, answers = self.record_values([10.0, 9.95, 10.05, 10.35])
        self.assertEqual(answers[3]["status"], "ok")  # within 9 - 11
        event = self.events()
        self.assertEqual(len(event), 1)
        self.assertEqual(event.rules, "1")
        self.assertIn("more than 3 sigma", event.rules_text)
        self.assertEqual(answers[3]["drift_event_id"], event.id)

    def test_phase_one_estimate_without_frozen_limits(self):
        # No frozen limits: the rules run against the limits estimated on the
        # history. 10 values alternating 10.0 / 10.1 then 10.6: mean of the
        # 11 = 10.1, MR-bar = (9 x 0.1 + 0.5) / 10 = 0.14, sigma = 0.124113;
        # 10.6 is 4.03 sigma above the centre.
        _production, answers = self.record_values([10.0, 10.1] * 5 + [10.6])
        event = self.events()
        self.assertEqual(len(event), 1)
        self.assertEqual((event.rules, event.phase), ("1", "I"))
        self.assertEqual(answers[-1]["drift_event_id"], event.id)

    def test_no_alert_when_the_reaction_plan_does_not_ask(self):
        self.assertTrue(self.diameter.drift_opens_alert)  # critical
        self.assertFalse(self.bore.drift_opens_alert)  # major
        self.freeze(self.bore)
        production = self.make_mo(40, self.housing)
        self.report(production, 20, self.op_boring)
        check = self.todo(production, self.bore)[0]
        self.record(check, value=10.5)
        event = self.events(self.bore)
        self.assertEqual(event.rules, "1")
        self.assertFalse(event.alert_id)

    def test_roles(self):
        vals = {"characteristic_id": self.diameter.id, "center": 10.0, "sigma": 0.1,
                "reason": "Reference run"}  # fmt: skip
        for user in (self.auditor, self.operator, self.technician, self.manager):
            # Limits are frozen from the data by mqc_freeze, never typed in.
            with self.assertRaises(AccessError):
                self.env["mqc.spc.limit"].with_user(user).create(vals)
        for user in (self.auditor, self.operator):
            with self.assertRaises(AccessError):
                self.env["mqc.drift.cause"].with_user(user).create({"name": "Chips"})
        limit = self.env["mqc.spc.limit"].with_user(self.technician).sudo().create(vals)
        self.assertEqual(limit.user_id, self.technician)
        with self.assertRaises(AccessError):
            limit.with_user(self.technician).unlink()
        # Everyone in quality reads the limits, the events and the lists.
        self.assertEqual(self.env["mqc.spc.limit"].with_user(self.auditor).search_count(
            [("id", "=", limit.id)]), 1)  # fmt: skip
        self.assertTrue(self.env["mqc.drift.action"].with_user(self.auditor).search([]))
        self.env["mqc.drift.cause"].with_user(self.technician).create({"name": "Chips"})

    # ------------------------------------------------------------------
    # On the tablet
    # ------------------------------------------------------------------
    def tablet(self, workorder, user=None):
        return self.env["mqc.tablet"].with_user(user or self.operator).open(workorder.id)

    def test_open_drift_locks_the_characteristic_until_answered(self):
        self.freeze()
        production = self.make_mo(4)
        workorder = self.report(production, 4)
        checks = self.todo(production, self.diameter)
        self.assertEqual(len(checks), 4)
        # 10.35 is 3.5 sigma above 10.000 (Nelson 1) and within 9 - 11.
        self.assertFalse(self.record(checks[0], value=10.0)["drift_event_id"])
        answer = self.record(checks[1], value=10.35, client_uid="drift-1")
        event = self.events()
        self.assertEqual(answer["drift_event_id"], event.id)
        # The supervisor is told (to-do activity) and, critical, an alert opens.
        self.assertEqual(event.activity_ids.user_id, self.manager)
        self.assertEqual(event.alert_id.responsible_id, self.manager)

        data = self.tablet(workorder)
        self.assertEqual([e["id"] for e in data["drift"]["events"]], [event.id])
        shown = data["drift"]["events"][0]
        self.assertEqual(shown["characteristic"], "1 Diameter")
        self.assertEqual(shown["value"], 10.35)
        self.assertEqual(shown["message"], answer["drift_message"])
        self.assertIn("more than 3 sigma", shown["message"])
        self.assertIn("Check the offset", shown["message"])
        self.assertEqual(data["drift"]["answered"], [])
        self.assertIn(event.alert_id.id, [a["id"] for a in data["alerts"]])
        by_id = {c["id"]: c for c in data["checks"]}
        for check in checks[2:]:
            self.assertEqual(by_id[check.id]["drift_event_id"], event.id)
            self.assertIn("Locked until the drift of 1 Diameter", by_id[check.id]["blocked_reason"])
        burr = self.todo(production, self.burr)
        self.assertFalse(by_id[burr[0].id]["blocked_reason"])
        self.assertFalse(by_id[burr[0].id]["drift_event_id"])

        # The server refuses a new value of the characteristic, the other one goes on.
        count = self.env["mqc.measurement"].search_count([])
        refused = self.record(checks[2], value=10.0)
        self.assertEqual(refused["status"], "error")
        self.assertEqual(refused["drift_event_id"], event.id)
        self.assertIn("1 Diameter is locked", refused["message"])
        self.assertIn("Nelson 1", refused["message"])
        batch = self.env["mqc.tablet"].with_user(self.operator).record_batch(
            [{"check_id": checks[2].id, "payload": {"value": 10.0}},
             {"check_id": burr[0].id, "payload": {"ok": True}}]
        )["results"]  # fmt: skip
        self.assertEqual([a["status"] for a in batch], ["error", "ok"])
        self.assertEqual(self.env["mqc.measurement"].search_count([]), count + 1)
        self.assertEqual(checks[2].state, "todo")
        # The entry that raised the drift, resent by the offline queue, is not refused.
        replay = self.record(checks[1], value=10.35, client_uid="drift-1")
        self.assertEqual((replay["status"], replay["replayed"]), ("ok", True))

        wear = self.env.ref("mrp_quality_control.drift_cause_tool_wear")
        offset = self.env.ref("mrp_quality_control.drift_action_offset")
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        answer = Tablet.answer_drift(event.id, wear.id, offset.id, "X -0.02")
        self.assertEqual(answer["status"], "ok")
        self.assertFalse(event.activity_ids)
        self.assertEqual(self.record(checks[2], value=10.0)["status"], "ok")
        data = self.tablet(workorder)
        self.assertEqual(data["drift"]["events"], [])
        trace = data["drift"]["answered"]
        self.assertEqual([e["id"] for e in trace], [event.id])
        self.assertEqual(
            (trace[0]["cause"], trace[0]["action"], trace[0]["answered_by"], trace[0]["note"]),
            ("Tool wear", "Adjust the offset", self.operator.name, "X -0.02"),
        )
        by_id = {c["id"]: c for c in data["checks"]}
        self.assertFalse(by_id[checks[3].id]["blocked_reason"])
        self.assertFalse(by_id[checks[3].id]["drift_event_id"])

    def test_another_work_order_is_not_locked(self):
        self.freeze()
        first = self.make_mo(2)
        self.report(first, 2)
        self.record(self.todo(first, self.diameter)[0], value=10.35)
        self.assertEqual(self.events().state, "open")
        second = self.make_mo(1)
        self.report(second, 1)
        answer = self.record(self.todo(second, self.diameter)[0], value=10.0)
        self.assertEqual(answer["status"], "ok")
        # the first order stays locked
        refused = self.record(self.todo(first, self.diameter)[0], value=10.0)
        self.assertEqual(refused["status"], "error")

    def test_cause_and_action_lists_are_active_and_of_the_company(self):
        Cause = self.env["mqc.drift.cause"]
        other_company = self.env["res.company"].create({"name": "Other works"})
        shared = Cause.create({"name": "Chips", "sequence": 1})
        elsewhere = Cause.create({"name": "Coolant", "company_id": other_company.id})
        archived = Cause.create({"name": "Old cause", "active": False})
        here = Cause.create({"name": "Clamping", "company_id": self.env.company.id})
        self.freeze()
        production = self.make_mo(1)
        workorder = self.report(production, 1)
        self.record(self.todo(production, self.diameter)[0], value=10.35)
        data = self.tablet(workorder)["drift"]
        ids = [c["id"] for c in data["causes"]]
        self.assertEqual(ids[0], shared.id)  # sequence 1
        self.assertIn(here.id, ids)
        self.assertNotIn(elsewhere.id, ids)
        self.assertNotIn(archived.id, ids)
        self.assertEqual(
            [a["id"] for a in data["actions"]],
            self.env["mqc.drift.action"].search([]).ids,
        )
        event = self.events()
        action = self.env.ref("mrp_quality_control.drift_action_sort")
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        for cause in (elsewhere, archived):
            answer = Tablet.answer_drift(event.id, cause.id, action.id, "")
            self.assertEqual(answer["status"], "error")
            self.assertEqual(answer["message"], "Cause: choose one of the list.")
        self.assertEqual(event.state, "open")
        self.assertEqual(Tablet.answer_drift(event.id, here.id, action.id, "")["status"], "ok")
        self.assertEqual(event.cause_id, here)

    def test_opening_the_tablet_with_drifts_costs_the_same_for_2_or_20_checks(self):
        self.freeze()
        wear = self.env.ref("mrp_quality_control.drift_cause_tool_wear")
        offset = self.env.ref("mrp_quality_control.drift_action_offset")
        Tablet = self.env["mqc.tablet"].with_user(self.operator)

        def cost(pieces):
            production = self.make_mo(pieces)
            workorder = self.report(production, pieces)
            checks = self.todo(production, self.diameter)
            # one drift answered, one open
            event = self.env["mqc.drift.event"].browse(
                self.record(checks[0], value=10.35)["drift_event_id"]
            )
            Tablet.answer_drift(event.id, wear.id, offset.id, "")
            self.assertTrue(self.record(checks[1], value=10.4)["drift_event_id"])
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            data = self.tablet(workorder)
            opening = self.env.cr.sql_log_count - before
            self.assertEqual((len(data["drift"]["events"]), len(data["drift"]["answered"])), (1, 1))
            return len(data["checks"]), opening

        cost(2)  # warm the caches
        few, open_few = cost(2)
        many, open_many = cost(20)
        self.assertEqual((few, many), (4, 40))  # diameter and burr, every piece
        self.assertEqual(open_many, open_few)
