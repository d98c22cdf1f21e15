from odoo.exceptions import AccessError
from odoo.tests import tagged

from .spc_common import SpcCommon


@tagged("post_install", "-at_install")
class TestSpcDrift(SpcCommon):
    """Frozen limits 10.000 ± 3 x 0.100: Nelson 2 (nine in a row above the
    centre) and Nelson 1 (a point beyond 3 sigma), both within tolerance."""

    def freeze(self, char=None, center=10.0, sigma=0.1):
        return self.env["mqc.spc.limit"].with_user(self.technician).create(
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
        data = Event.mqc_open_events(event.workorder_id.id)
        self.assertEqual([e["id"] for e in data["events"]], [event.id])
        wear = self.env.ref("mrp_quality_control.drift_cause_tool_wear")
        offset = self.env.ref("mrp_quality_control.drift_action_offset")
        self.assertIn(wear.id, [c["id"] for c in data["causes"]])
        self.assertEqual(Event.mqc_answer(event.id, False, offset.id, "")["status"], "error")
        with self.assertRaises(AccessError):
            self.env["mqc.drift.event"].with_user(self.auditor).mqc_answer(
                event.id, wear.id, offset.id, "x"
            )
        answer = Event.mqc_answer(event.id, wear.id, offset.id, "Offset X -0.01")
        self.assertEqual(answer["status"], "ok")
        self.assertEqual((event.state, event.cause_id, event.action_id), ("answered", wear, offset))
        self.assertEqual(event.answered_by_id, self.operator)
        self.assertEqual(event.note, "Offset X -0.01")
        self.assertFalse(event.activity_ids)
        self.assertEqual(Event.mqc_answer(event.id, wear.id, offset.id, "")["status"], "error")
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
        for user in (self.auditor, self.operator):
            with self.assertRaises(AccessError):
                self.env["mqc.spc.limit"].with_user(user).create(vals)
            with self.assertRaises(AccessError):
                self.env["mqc.drift.cause"].with_user(user).create({"name": "Chips"})
        limit = self.env["mqc.spc.limit"].with_user(self.technician).create(vals)
        self.assertEqual(limit.user_id, self.technician)
        with self.assertRaises(AccessError):
            limit.with_user(self.technician).unlink()
        # Everyone in quality reads the limits, the events and the lists.
        self.assertEqual(self.env["mqc.spc.limit"].with_user(self.auditor).search_count(
            [("id", "=", limit.id)]), 1)  # fmt: skip
        self.assertTrue(self.env["mqc.drift.action"].with_user(self.auditor).search([]))
        self.env["mqc.drift.cause"].with_user(self.technician).create({"name": "Chips"})
