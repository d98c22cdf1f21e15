from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MqcCommon


@tagged("post_install", "-at_install")
class TestShopFloorChecks(MqcCommon):
    """Checks generated from the approved plan and filled on the work orders
    (values worked out by hand: Ø20 h7 = 19.979 - 20.000, pre-control band
    19.98425 - 19.99475)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.op_turning.workcenter_id.mqc_supervisor_id = cls.manager
        lab = {"method_type": "lab", "gauge_family_id": False}
        cls.plan = cls.make_plan(
            [
                cls.char_vals(
                    balloon="1", name="Seat first piece", control_type="first_piece", **lab
                ),
                cls.char_vals(
                    balloon="2", name="Seat", frequency_mode="every_n", frequency_n=5, **lab
                ),
                cls.char_vals(
                    balloon="3", name="Length", operation_id=cls.op_turning.id,
                    limit_source="manual", fit_designation=False, nominal=120,
                    lower_limit=119.9, upper_limit=120.1, frequency_mode="batch_start_end", **lab,
                ),
                cls.char_vals(
                    balloon="4", name="Chamfer", operation_id=cls.op_turning.id,
                    result_type="attribute", frequency_mode="every_t", frequency_minutes=30, **lab,
                ),
                cls.char_vals(
                    balloon="5", name="Scratches", operation_id=cls.op_grinding.id,
                    result_type="defects", frequency_mode="aql", aql="1.0",
                    inspection_level="II", **lab,
                ),
                cls.char_vals(
                    balloon="6", name="Insert wear", operation_id=cls.op_turning.id,
                    frequency_mode="tool_change", **lab,
                ),
            ]
        )  # fmt: skip
        cls.approve_cls(cls.plan)

    @classmethod
    def approve_cls(cls, plan):
        plan.with_user(cls.technician).action_submit()
        plan.with_user(cls.manager).action_approve()

    def wo(self, production, operation):
        return production.workorder_ids.filtered(lambda w: w.operation_id == operation)

    def check(self, production, balloon, state="todo"):
        return production.mqc_check_ids.filtered(
            lambda c: c.balloon == balloon and c.state == state
        ).sorted("due_piece")

    def record(self, check, user=None, **payload):
        Tablet = self.env["mqc.tablet"].with_user(user or self.operator)
        return Tablet.record(check.id, payload)

    def pass_first_piece(self, production):
        first = self.check(production, "1")
        self.assertEqual(self.record(first, value=19.99)["status"], "ok")
        self.env["mqc.tablet"].with_user(self.technician).approve_first_piece(first.workorder_id.id)

    # ------------------------------------------------------------------
    def test_confirmation_creates_the_upfront_checks_with_the_revision(self):
        production = self.make_mo(10)
        checks = production.mqc_check_ids
        self.assertEqual(production.mqc_plan_id, self.plan)
        self.assertEqual(
            sorted((c.balloon, c.trigger, c.due_piece) for c in checks),
            [("1", "first_piece", 1), ("3", "batch_start", 1), ("4", "time", 0), ("5", "aql", 10)],
        )
        self.assertEqual(set(checks.plan_id), {self.plan})
        self.assertEqual(
            self.check(production, "1").workorder_id, self.wo(production, self.op_grinding)
        )
        # ISO 2859-1, lot of 10, level II: letter B; AQL 1.0 points down to n = 13,
        # more than the lot: all 10 pieces, accept 0.
        aql = self.check(production, "5")
        self.assertEqual((aql.sample_size, aql.aql_accept, aql.aql_reject), (10, 0, 1))
        # A new approved revision does not change the checks already generated.
        revision_b = self.plan._create_revision("tighter")
        self.approve(revision_b)
        self.assertEqual(set(production.mqc_check_ids.plan_id), {self.plan})

    def test_count_checks_appear_as_pieces_are_reported(self):
        production = self.make_mo(10)
        grinding = self.wo(production, self.op_grinding)
        turning = self.wo(production, self.op_turning)
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        Tablet.set_pieces_done(grinding.id, 4)
        self.assertFalse(self.check(production, "2"))
        Tablet.set_pieces_done(grinding.id, 12)  # capped at the 10 of the order
        self.assertEqual(self.check(production, "2").mapped("due_piece"), [5, 10])
        self.assertEqual(grinding.mqc_pieces_done, 10)
        Tablet.set_pieces_done(turning.id, 10)
        self.assertEqual(
            [(c.trigger, c.due_piece) for c in self.check(production, "3")],
            [("batch_start", 1), ("batch_end", 10)],
        )
        with self.assertRaisesRegex(UserError, "Tool change"):
            Tablet.tool_change(turning.id, " ")
        data = Tablet.tool_change(turning.id, "Insert T4 changed")["tablet"]
        wear = self.check(production, "6")
        self.assertEqual((wear.trigger, wear.trigger_note), ("tool_change", "Insert T4 changed"))
        self.assertIn(wear.id, [c["id"] for c in data["checks"]])

    def test_time_checks_follow_the_clock(self):
        production = self.make_mo(10)
        turning = self.wo(production, self.op_turning)
        first = self.check(production, "4")
        started = fields.Datetime.now() - timedelta(minutes=65)
        first.sudo().write({"due_datetime": started})
        self.env["mqc.tablet"].with_user(self.operator).open(turning.id)
        new = self.check(production, "4") - first
        self.assertEqual(len(new), 1, "one check for the current 30-minute slot")
        self.assertEqual(new.due_datetime, started + timedelta(minutes=60))

    def test_first_piece_gates_the_series(self):
        production = self.make_mo(10)
        grinding = self.wo(production, self.op_grinding)
        self.env["mqc.tablet"].with_user(self.operator).set_pieces_done(grinding.id, 5)
        series = self.check(production, "2")
        answer = self.record(series, value=19.99)
        self.assertEqual(answer["status"], "error")
        self.assertIn("first-piece approval", answer["message"])
        self.assertEqual(production.mqc_first_piece_state, "pending")
        first = self.check(production, "1")
        self.assertEqual(self.record(first, value=19.99)["status"], "ok")
        Tablet = self.env["mqc.tablet"]
        with self.assertRaises(AccessError):
            Tablet.with_user(self.operator).approve_first_piece(grinding.id)
        result = Tablet.with_user(self.technician).approve_first_piece(grinding.id)
        self.assertEqual(result["status"], "ok")
        self.assertEqual(first.first_piece_approved_by_id, self.technician)
        production.invalidate_recordset()
        self.assertEqual(production.mqc_first_piece_state, "approved")
        self.assertEqual(self.record(series, value=19.99)["status"], "ok")

    def test_verdicts_alert_disposition_and_acknowledgement(self):
        production = self.make_mo(10)
        self.pass_first_piece(production)
        grinding = self.wo(production, self.op_grinding)
        self.env["mqc.tablet"].with_user(self.operator).set_pieces_done(grinding.id, 10)
        at_5, at_10 = self.check(production, "2")
        self.assertEqual(self.record(at_5, value="19,996")["status"], "warning")
        self.assertEqual(at_5.state, "pass")
        answer = self.record(at_10, value="20.003", note="burr on the seat")
        self.assertEqual(answer["status"], "nok")
        self.assertTrue(answer["needs_disposition"])
        self.assertEqual(at_10.state, "fail")
        alert = at_10.alert_id
        self.assertEqual(alert.id, answer["alert_id"])
        self.assertEqual(alert.operator_id, self.operator)
        self.assertIn("20.003", alert.summary)
        self.assertIn("19.979 – 20.000", alert.summary)
        # The supervisor of the work centre is told.
        self.assertEqual(alert.responsible_id, self.manager)
        self.assertEqual(alert.activity_ids.user_id, self.manager)
        self.assertTrue(production.message_ids.filtered(lambda m: alert.name in (m.body or "")))
        # The order cannot finish with a failed check without disposition.
        with self.assertRaisesRegex(UserError, "failed, no disposition"):
            production.button_mark_done()
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        self.assertEqual(Tablet.set_disposition(at_10.id, "scrap", "  ")["status"], "error")
        self.assertEqual(Tablet.set_disposition(at_10.id, "teleport", "x")["status"], "error")
        result = Tablet.set_disposition(at_10.id, "quarantine", "Isolated in the red box")
        self.assertEqual(result["status"], "ok")
        # The answer is the fresh screen: the check no longer asks for a disposition.
        shown = {c["id"]: c for c in result["tablet"]["checks"]}
        self.assertEqual(shown[at_10.id]["disposition"], "quarantine")
        self.assertFalse(shown[at_10.id]["needs_disposition"])
        self.assertEqual(at_10.disposition, "quarantine")
        scrap = alert.action_scrap()
        self.assertEqual(scrap["res_model"], "stock.scrap")
        self.assertEqual(scrap["context"]["default_production_id"], production.id)
        self.assertEqual(
            scrap["context"]["default_scrap_location_id"],
            self.env.ref("mrp_quality_control.stock_location_quarantine").id,
        )
        with self.assertRaises(AccessError):
            alert.with_user(self.operator).action_acknowledge()
        alert.with_user(self.manager).action_acknowledge()
        self.assertEqual((alert.state, alert.acknowledged_by_id), ("acknowledged", self.manager))
        self.assertFalse(alert.activity_ids)

    def test_bad_input_is_refused_and_nothing_is_lost(self):
        production = self.make_mo(10)
        self.pass_first_piece(production)
        start = self.check(production, "3")
        for raw in ("abc", "", None, "12..5", True):
            answer = self.record(start, value=raw)
            self.assertEqual(answer["status"], "error", raw)
            self.assertIn("Value", answer["message"])
        chamfer = self.check(production, "4")
        self.assertEqual(self.record(chamfer, ok="yes")["status"], "error")
        aql = self.check(production, "5")
        self.assertEqual(self.record(aql, defects=-1)["status"], "error")
        self.assertEqual(self.record(aql, defects=1)["status"], "nok")  # accept 0
        self.assertFalse(start.measurement_ids)
        self.assertEqual(self.record(start, value=" 120,05 ")["status"], "ok")
        self.assertEqual(start.current_measurement_id.value, 120.05)
        production.action_cancel()
        self.assertEqual(self.record(chamfer, ok=True)["status"], "error")
        self.assertEqual(chamfer.state, "cancel")

    def test_retried_entry_is_recorded_once_and_a_concurrent_one_is_told(self):
        production = self.make_mo(10)
        first = self.check(production, "1")
        one = self.record(first, value=19.99, client_uid="tablet-7f3a")
        again = self.record(first, value=19.99, client_uid="tablet-7f3a")
        self.assertEqual(one["measurement_id"], again["measurement_id"])
        self.assertTrue(again["replayed"])
        self.assertEqual(len(first.measurement_ids), 1)
        other = self.record(first, user=self.technician, value=19.98, client_uid="tablet-9c1b")
        self.assertEqual(other["status"], "conflict")
        self.assertIn(self.operator.name, other["message"])
        self.assertEqual(first.current_measurement_id.value, 19.99)
        # A queue resending inside one batch: the same entry twice is one record;
        # an entry id already used on another check is refused, nothing saved.
        self.env["mqc.tablet"].with_user(self.technician).approve_first_piece(first.workorder_id.id)
        start = self.check(production, "3")[:1]
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        entry = {"check_id": start.id, "payload": {"value": "120", "client_uid": "tablet-b1"}}
        twice = Tablet.record_batch([entry, entry])["results"]
        self.assertEqual([r["status"] for r in twice], ["ok", "ok"])
        self.assertEqual(twice[0]["measurement_id"], twice[1]["measurement_id"])
        self.assertEqual((twice[0]["replayed"], twice[1]["replayed"]), (False, True))
        self.assertEqual(len(start.measurement_ids), 1)
        count = self.env["mqc.measurement"].search_count([])
        for check in (start, self.check(production, "4")[:1]):
            reused = self.record(check, ok=True, value="120", client_uid="tablet-7f3a")
            self.assertEqual(reused["status"], "error")
            self.assertIn("tablet-7f3a", reused["message"])
        self.assertEqual(self.env["mqc.measurement"].search_count([]), count)

    def test_the_tablet_gets_its_data_with_the_answer(self):
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        # Within tolerance: the answer says what the tablet updates itself with.
        first = self.check(self.make_mo(10), "1")
        answer = Tablet.record(first.id, {"value": 19.99})
        self.assertEqual(
            (answer["status"], answer["check_state"], answer["rounded_value"]),
            ("ok", "pass", 19.99),
        )
        self.assertNotIn("tablet", answer)
        # Out of tolerance (an alert, a disposition to choose): the fresh data.
        production = self.make_mo(10)
        first = self.check(production, "1")
        answer = Tablet.record(first.id, {"value": 20.004})
        self.assertEqual(answer["status"], "nok")
        self.assertEqual(answer["tablet"], Tablet.open(first.workorder_id.id))
        shown = {c["id"]: c["state"] for c in answer["tablet"]["checks"]}
        self.assertEqual(shown[first.id], "fail")
        self.assertEqual([a["id"] for a in answer["tablet"]["alerts"]], first.alert_id.ids)
        # A refusal (the first piece is not approved): the data too.
        blocked = self.check(production, "5")[:1]
        refused = Tablet.record(blocked.id, {"defects": 0})
        self.assertEqual(refused["status"], "error")
        self.assertIn("first-piece", refused["message"])
        self.assertIn("tablet", refused)
        # A batch (the offline queue): the screen of the work order shown when
        # one of its entries changed more than its check, none otherwise.
        grinding = first.workorder_id
        entry = {"check_id": blocked.id, "payload": {"defects": 0}}
        answer = Tablet.record_batch([entry], grinding.id)
        self.assertEqual([r["status"] for r in answer["results"]], ["error"])
        self.assertEqual(answer["tablet"], Tablet.open(grinding.id))
        self.assertNotIn("tablet", Tablet.record_batch([entry]))
        turning = self.wo(production, self.op_turning)
        self.assertNotIn("tablet", Tablet.record_batch([entry], turning.id))
        ok = self.check(self.make_mo(10), "1")
        entry = {"check_id": ok.id, "payload": {"value": 19.99}}
        answer = Tablet.record_batch([entry], ok.workorder_id.id)
        self.assertEqual([r["status"] for r in answer["results"]], ["ok"])
        self.assertNotIn("tablet", answer)

    def test_measurements_are_evidence(self):
        production = self.make_mo(10)
        first = self.check(production, "1")
        self.record(first, value=20.004)
        old = first.current_measurement_id
        self.assertEqual(
            (old.verdict, old.plan_id, old.production_id), ("nok", self.plan, production)
        )
        self.assertEqual(old.workorder_id, self.wo(production, self.op_grinding))
        self.assertEqual(old.user_id, self.operator)
        with self.assertRaises(UserError):
            old.write({"value": 19.99})
        with self.assertRaises(UserError):
            old.unlink()
        with self.assertRaises(UserError):
            first.with_user(self.operator).write({"state": "pass"})
        with self.assertRaises(AccessError):
            first.with_user(self.operator).mqc_correct({"value": 19.99}, "typo")
        with self.assertRaisesRegex(UserError, "Reason"):
            first.with_user(self.technician).mqc_correct({"value": 19.99}, "")
        new = first.with_user(self.technician).mqc_correct({"value": 19.994}, "typed 20.004")
        self.assertEqual((old.replaced_by_id, old.is_current), (new, False))
        self.assertEqual((new.replaces_id, new.is_current, new.verdict), (old, True, "ok"))
        self.assertEqual(first.state, "pass")
        self.assertEqual(len(first.measurement_ids), 2)
        self.assertTrue(first.message_ids.filtered(lambda m: "typed 20.004" in (m.body or "")))

    def test_completion_gate_and_quality_release(self):
        production = self.make_mo(10)
        with self.assertRaises(UserError) as caught:
            production.button_mark_done()
        message = str(caught.exception)
        self.assertIn("not done", message)
        self.assertIn("Seat first piece", message)
        with self.assertRaises(UserError):
            production.with_user(self.technician)._mqc_release("urgent")
        with self.assertRaises(UserError):
            production.with_user(self.manager)._mqc_release(" ")
        production.with_user(self.manager)._mqc_release("Measured on the CMM, report 114")
        self.assertEqual(production.mqc_released_by_id, self.manager)
        production.button_mark_done()
        self.assertEqual(production.state, "done")

    def test_backorder_keeps_the_revision_and_its_own_checks(self):
        production = self.make_mo(10)
        grinding = self.wo(production, self.op_grinding)
        self.env["mqc.tablet"].set_pieces_done(grinding.id, 10)
        self.assertEqual(self.check(production, "2").mapped("due_piece"), [5, 10])
        revision_b = self.plan._create_revision("tighter")
        self.approve(revision_b)
        production.qty_producing = 4
        backorder = production._split_productions()[1:]
        self.assertEqual(production.product_qty, 4)
        self.assertEqual(self.check(production, "2", state="cancel").mapped("due_piece"), [5, 10])
        self.assertEqual(backorder.mqc_plan_id, self.plan)
        self.assertEqual(sorted(backorder.mqc_check_ids.mapped("balloon")), ["1", "3", "4", "5"])
        self.assertEqual(set(backorder.mqc_check_ids.plan_id), {self.plan})

    def test_queries_do_not_grow_with_the_number_of_checks(self):
        Tablet = self.env["mqc.tablet"].with_user(self.operator)

        def count(call):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = call()
            return result, self.env.cr.sql_log_count - before

        def cost(pieces):
            production = self.make_mo(pieces)
            self.pass_first_piece(production)
            grinding = self.wo(production, self.op_grinding)
            Tablet.set_pieces_done(grinding.id, pieces)
            series = self.check(production, "2")
            _data, opening = count(lambda: Tablet.open(grinding.id))
            # The offline queue flushed: the values of every check of the series.
            entries = [
                {"check_id": c.id, "payload": {"value": 19.99, "client_uid": f"count-{c.id}"}}
                for c in series
            ]
            answer, recording = count(lambda: Tablet.record_batch(entries, grinding.id))
            self.assertEqual({a["status"] for a in answer["results"]}, {"ok"})
            self.assertNotIn("tablet", answer)
            # The same queue flushed again (the answer was lost) with one entry
            # refused: every entry answered as recorded, and the fresh screen.
            aql = self.check(production, "5")
            again = [*entries, {"check_id": aql.id, "payload": {"defects": -1}}]
            answer, replaying = count(lambda: Tablet.record_batch(again, grinding.id))
            replayed = [a["replayed"] for a in answer["results"][:-1]]
            self.assertEqual(replayed, [True] * len(series))
            self.assertEqual(answer["results"][-1]["status"], "error")
            self.assertIn("tablet", answer)
            return len(series), opening, recording, replaying

        cost(10)  # warm the caches
        few, open_few, record_few, replay_few = cost(10)  # 2 series checks
        many, open_many, record_many, replay_many = cost(250)  # 50 series checks
        self.assertEqual((few, many), (2, 50))
        self.assertEqual(open_many, open_few, "opening the tablet")
        self.assertEqual(record_many, record_few, "recording a batch")
        self.assertEqual(replay_many, replay_few, "a batch replayed, with the screen")
