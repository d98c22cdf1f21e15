from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .spc_common import SpcCommon
from .test_spc_capability import BORES

CHART = "report.mrp_quality_control.report_spc_control_chart"


@tagged("post_install", "-at_install")
class TestProcessStream(SpcCommon):
    """One history per controlled characteristic: the limits, the Cpk, the
    tightening and the drift rules carry on across the plan's revisions."""

    def revise(self, plan, approve=True, **char_vals):
        wizard = Form(
            self.env["mqc.control.plan.revise"]
            .with_user(self.technician)
            .with_context(default_plan_id=plan.id)
        )
        wizard.reason = "Drawing ind. B"
        new = self.env["mqc.control.plan"].browse(wizard.save().action_confirm()["res_id"])
        if char_vals:
            new.characteristic_ids.filtered(lambda c: c.balloon == "1").with_user(
                self.technician
            ).write(char_vals)
        if approve:
            self.approve_cls(new)
        return new

    def balloon(self, plan, balloon="1"):
        return plan.characteristic_ids.filtered(lambda c: c.balloon == balloon)

    def freeze(self, center=10.0, sigma=0.1):
        return (
            self.env["mqc.spc.limit"]
            .with_user(self.technician)
            .sudo()
            .create(
                {"characteristic_id": self.diameter.id, "kind": "imr", "center": center,
                 "sigma": sigma, "reason": "Reference run"}
            )
        )  # fmt: skip

    def test_the_stream_is_made_on_approval_and_carried_by_the_next_revision(self):
        stream = self.diameter.stream_id
        self.assertTrue(stream)
        self.assertEqual((stream.plan_code, stream.balloon), (self.plan.code, "1"))
        self.assertEqual(stream.company_id, self.plan.company_id)
        self.assertEqual(stream.product_tmpl_id, self.shaft)
        self.assertNotEqual(self.burr.stream_id, stream)
        draft = self.revise(self.plan, approve=False)
        # the draft copy already follows it (a technician may still split it)
        self.assertEqual(self.balloon(draft).stream_id, stream)
        self.approve_cls(draft)
        self.assertEqual(self.balloon(draft).stream_id, stream)
        self.assertEqual(stream.characteristic_id, self.balloon(draft))
        self.assertEqual(stream.characteristic_ids, self.diameter | self.balloon(draft))
        # a balloon new in the revision starts its own stream at approval
        third = self.revise(self.balloon(draft).plan_id, approve=False)
        third.with_user(self.technician).write(
            {"characteristic_ids": [(0, 0, self.char_vals(balloon="7", name="Chamfer",
                                                          frequency_mode="every_piece"))]}
        )  # fmt: skip
        self.assertFalse(self.balloon(third, "7").stream_id)
        self.approve_cls(third)
        chamfer = self.balloon(third, "7").stream_id
        self.assertTrue(chamfer)
        self.assertNotIn(chamfer, stream | self.burr.stream_id)

    def test_frozen_limits_and_drift_rules_carry_on_across_a_revision(self):
        limit = self.freeze()
        # 10.05 is half a sigma above the frozen centre 10.000: five on A...
        self.record_values([10.05] * 5)
        rev_b = self.revise(self.plan)
        diameter_b = self.balloon(rev_b)
        # ... and four on B complete Nelson 2 (nine in a row above the centre)
        production = self.make_mo(4)
        self.report(production, 4)
        answers = [self.record(check, value=10.05) for check in self.todo(production, diameter_b)]
        self.assertEqual([bool(a["drift_event_id"]) for a in answers], [False] * 3 + [True])
        event = self.env["mqc.drift.event"].browse(answers[3]["drift_event_id"])
        self.assertEqual((event.rules, event.phase), ("2", "II"))
        self.assertEqual(event.characteristic_id, diameter_b)
        self.assertEqual(event.stream_id, self.diameter.stream_id)
        # the chart of revision B: the frozen limits of A and the nine values
        data = self.env[CHART].with_user(self.operator).get_chart_data(diameter_b.id, {})
        self.assertEqual(data["limit_id"], limit.id)
        self.assertEqual(data["phase"], "II")
        self.assertEqual(data["n_measurements"], 9)
        self.assertEqual(data["center"][0], 10.0)
        self.assertAlmostEqual(data["ucl"][0], 10.3, places=9)
        # the tablet's run chart of B shows the same history
        workorder = production.workorder_ids.filtered(lambda w: w.operation_id == self.op_grinding)
        tablet = self.env["mqc.tablet"].with_user(self.operator).open(workorder.id)
        check = next(c for c in tablet["checks"] if c["balloon"] == "1")
        self.assertEqual([v["value"] for v in check["last_values"]], [10.05] * 9)
        # every measurement carries the stream, whatever the revision
        measurements = self.env["mqc.measurement"].search(
            [("characteristic_id", "in", (self.diameter | diameter_b).ids)]
        )
        self.assertEqual(len(measurements), 9)
        self.assertEqual(measurements.stream_id, self.diameter.stream_id)

    def test_cpk_and_relaxed_frequency_carry_on_across_a_revision(self):
        production = self.make_mo(30, self.housing)
        self.report(production, 1, self.op_boring)
        check = self.todo(production, self.bore)[0]
        self.env["mqc.measurement"].sudo().create(
            [
                {"check_id": check.id, "characteristic_id": self.bore.id,
                 "plan_id": self.housing_plan.id, "production_id": production.id,
                 "value": value, "verdict": "ok"}
                for value in BORES
            ]
        )  # fmt: skip
        study = (
            self.env["mqc.capability.study"]
            .with_user(self.technician)
            .create({"characteristic_id": self.bore.id, "kind": "process"})
        )
        study.action_compute()
        study.action_validate()
        # Cpk 14.35 (test_spc_capability, by hand): every 2 N = 40 pieces
        self.assertEqual(self.bore.effective_interval, 40)
        rev_b = self.revise(self.housing_plan)
        bore_b = rev_b.characteristic_ids
        self.assertAlmostEqual(bore_b.current_cpk, 14.35, places=2)
        self.assertTrue(bore_b.current_cpk_valid)
        self.assertEqual(bore_b.effective_interval, 40)
        self.assertEqual(bore_b.capability_study_ids, study)
        # a study made on B reads the whole stream: the 30 bores of A
        study_b = (
            self.env["mqc.capability.study"]
            .with_user(self.technician)
            .create({"characteristic_id": bore_b.id, "kind": "process"})
        )
        study_b.action_compute()
        self.assertEqual(study_b.n, 30)
        self.assertAlmostEqual(study_b.cpk, study.cpk, places=6)
        # orders of B: the first check falls due at piece 40, as on A
        production_b = self.make_mo(100, self.housing)
        self.report(production_b, 40, self.op_boring)
        self.assertEqual(self.todo(production_b, bore_b).mapped("due_piece"), [40])
        # a failed check on B tightens the stream: A's record shows it too
        failed = self.todo(production_b, bore_b)
        self.record(failed, value=12.0)
        self.assertEqual(failed.state, "fail")
        self.assertTrue(bore_b.stream_id.tightened)
        self.assertEqual(bore_b.effective_interval, 1)
        self.assertEqual((self.bore.mqc_tightened, self.bore.effective_interval), (True, 1))
        change = bore_b.stream_id.frequency_change_ids.filtered(lambda c: c.reason == "tightened")
        self.assertEqual((change.old_interval, change.new_interval), (40, 1))
        self.assertEqual(change.characteristic_id, bore_b)

    def test_a_new_nominal_splits_the_stream_with_a_reason(self):
        self.freeze()
        self.record_values([10.05] * 3)
        old = self.diameter.stream_id
        draft = self.revise(self.plan, approve=False, nominal=12.0, lower_limit=11.0,
                            upper_limit=13.0)  # fmt: skip
        char = self.balloon(draft)
        Stream = self.env["mqc.spc.stream"]
        with self.assertRaises(AccessError):
            Stream.with_user(self.operator).mqc_split(char.id, "New nominal")
        with self.assertRaisesRegex(UserError, "Reason"):
            Stream.with_user(self.technician).mqc_split(char.id, "  ")
        # A's characteristic has measurements: they stay in their stream
        with self.assertRaisesRegex(UserError, "already has measurements"):
            Stream.with_user(self.technician).mqc_split(self.diameter.id, "New nominal")
        new_id = Stream.with_user(self.technician).mqc_split(char.id, "Nominal 12 mm (ECN 42)")
        new = Stream.browse(new_id)
        self.assertEqual(char.stream_id, new)
        self.assertEqual(
            (new.previous_stream_id, new.split_reason), (old, "Nominal 12 mm (ECN 42)")
        )
        for stream in old | new:
            self.assertIn("ECN 42", stream.message_ids[0].body)
        self.approve_cls(draft)
        # limits, Cpk and tightening start again on the new stream
        self.assertEqual(char.stream_id, new)
        data = self.env[CHART].with_user(self.operator).get_chart_data(char.id, {})
        self.assertEqual((data["n_measurements"], data["limit_id"]), (0, False))
        self.assertFalse(new.limit_ids)
        self.assertEqual(self.diameter.stream_id, old)
        self.assertEqual(old.measurement_count, 3)
        # re-linked to the old stream (the split was a mistake), traced
        draft_c = self.revise(draft, approve=False)
        char_c = self.balloon(draft_c)
        self.assertEqual(char_c.stream_id, new)
        Stream.with_user(self.technician).mqc_relink(char_c.id, old.id, "Same feature after all")
        self.assertEqual(char_c.stream_id, old)
        self.assertIn("Same feature after all", old.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "already follows"):
            Stream.with_user(self.technician).mqc_relink(char_c.id, old.id, "Again")

    def test_users_cannot_write_a_stream_nor_a_characteristic_s_stream(self):
        stream = self.diameter.stream_id
        for user in (self.operator, self.technician, self.manager):
            with self.assertRaises(AccessError):
                stream.with_user(user).write({"current_cpk": 5.0})
            with self.assertRaises(AccessError):
                self.env["mqc.spc.stream"].with_user(user).create(
                    {"company_id": stream.company_id.id, "plan_code": "X", "balloon": "1"}
                )
        draft = self.revise(self.plan, approve=False)
        with self.assertRaises(AccessError):
            self.balloon(draft).with_user(self.technician).write({"stream_id": False})
        self.assertEqual(self.balloon(draft).stream_id, stream)

    def test_the_rule_set_is_chosen_per_characteristic(self):
        self.freeze()
        draft = self.revise(self.plan, approve=False)
        char = self.balloon(draft)
        with self.assertRaises(ValidationError) as caught:
            char.with_user(self.technician).write(
                {"spc_rule_set": "western_electric", "spc_rule_tests": "1, 9"}
            )
        self.assertIn("Tests Applied: 9 is not a test of Western Electric", str(caught.exception))
        char.with_user(self.technician).write({"spc_rule_set": "western_electric"})
        self.approve_cls(draft)
        # Western Electric's rule 4 is eight in a row on one side (Nelson's
        # test 2 needs nine): 10.05, half a sigma above the centre, 8 times.
        production = self.make_mo(8)
        self.report(production, 8)
        answers = [self.record(check, value=10.05) for check in self.todo(production, char)]
        self.assertEqual([bool(a["drift_event_id"]) for a in answers], [False] * 7 + [True])
        event = self.env["mqc.drift.event"].browse(answers[7]["drift_event_id"])
        self.assertEqual(event.rules, "4")
        self.assertEqual(
            event.rules_text, "Western Electric 4: 8 points in a row on the same side of the "
            "centre line",
        )  # fmt: skip
        data = self.env[CHART].with_user(self.operator).get_chart_data(char.id, {})
        self.assertEqual(data["violations"], [{"index": 7, "rules": ["4"]}])
        # only test 1 on the next revision: nine more in a row raise nothing
        draft_c = self.revise(draft, approve=False)
        self.balloon(draft_c).with_user(self.technician).write(
            {"spc_rule_set": "nelson", "spc_rule_tests": "1"}
        )
        self.approve_cls(draft_c)
        production = self.make_mo(9)
        self.report(production, 9)
        answers = [
            self.record(check, value=10.05)
            for check in self.todo(production, self.balloon(draft_c))
        ]
        self.assertEqual([a["drift_event_id"] for a in answers], [False] * 9)
