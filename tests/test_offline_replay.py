from odoo.tests import tagged

from .common import MqcCommon


@tagged("post_install", "-at_install")
class TestOfflineReplay(MqcCommon):
    """The tablet's offline queue replayed after a network cut: every entry
    gives one measurement or a clear refusal, whatever the order, the repeats
    and what happened on the server meanwhile (Ø20 h7: 19.979 - 20.000)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lab = {"method_type": "lab", "gauge_family_id": False}
        cls.plan = cls.make_plan(
            [
                cls.char_vals(
                    balloon="1", name="Seat", frequency_mode="every_n", frequency_n=5, **lab
                )
            ]
        )
        cls.plan.with_user(cls.technician).action_submit()
        cls.plan.with_user(cls.manager).action_approve()

    def setUp(self):
        super().setUp()
        self.production = self.make_mo(15)
        grinding = self.production.workorder_ids.filtered(
            lambda w: w.operation_id == self.op_grinding
        )
        self.env["mqc.tablet"].with_user(self.operator).set_pieces_done(grinding.id, 15)
        # Pieces 5, 10 and 15: three checks of the seat.
        self.checks = self.production.mqc_check_ids.sorted("due_piece")
        self.assertEqual(self.checks.mapped("due_piece"), [5, 10, 15])
        self.Tablet = self.env["mqc.tablet"].with_user(self.operator)
        self.Measurement = self.env["mqc.measurement"].sudo()

    def entry(self, check, uid, value=19.99):
        return {"check_id": check.id, "payload": {"value": value, "client_uid": uid}}

    def stored(self, uids):
        return self.Measurement.search_count([("client_uid", "in", uids)])

    def test_the_same_entries_twice_are_recorded_once(self):
        queue = [
            self.entry(c, f"q-{i}", round(19.99 - i / 1000, 3)) for i, c in enumerate(self.checks)
        ]
        first = self.Tablet.record_batch(queue)["results"]
        again = self.Tablet.record_batch(queue)["results"]
        self.assertEqual([a["status"] for a in first], ["ok", "ok", "ok"])
        self.assertEqual([a["replayed"] for a in again], [True, True, True])
        self.assertEqual([a["measurement_id"] for a in again], [a["measurement_id"] for a in first])
        self.assertEqual(self.stored(["q-0", "q-1", "q-2"]), 3)
        self.assertEqual(len(self.checks.measurement_ids), 3)
        self.assertEqual(
            self.checks.mapped("current_measurement_id.value"), [19.99, 19.989, 19.988]
        )

    def test_out_of_order_replay_keeps_each_value_on_its_check(self):
        a, b, c = (
            self.entry(ch, f"o-{i}", round(19.981 + i / 100, 3)) for i, ch in enumerate(self.checks)
        )
        # The connection came back twice: a partial flush, then the whole queue reversed.
        self.Tablet.record_batch([c, a])
        answers = self.Tablet.record_batch([c, b, a])["results"]
        self.assertEqual([x["replayed"] for x in answers], [True, False, True])
        self.assertEqual(self.stored(["o-0", "o-1", "o-2"]), 3)
        self.assertEqual(len(self.checks.measurement_ids), 3)
        # 19.981 (piece 5), 19.991 (piece 10), 20.001 is out of tolerance (piece 15).
        self.assertEqual(
            self.checks.mapped("current_measurement_id.value"), [19.981, 19.991, 20.001]
        )
        self.assertEqual(self.checks.mapped("state"), ["pass", "pass", "fail"])

    def test_replay_after_the_check_was_closed_by_someone_else(self):
        first = self.checks[0]
        online = self.Tablet.with_user(self.technician).record(
            first.id, {"value": 19.985, "client_uid": "online-1"}
        )
        self.assertEqual(online["status"], "ok")
        queued = [self.entry(first, "late-1", 19.99), self.entry(self.checks[1], "late-2")]
        answers = self.Tablet.record_batch(queued)["results"]
        self.assertEqual([x["status"] for x in answers], ["conflict", "ok"])
        self.assertIn(self.technician.name, answers[0]["message"])
        self.assertEqual(self.stored(["late-1"]), 0)
        self.assertEqual(first.measurement_ids.mapped("client_uid"), ["online-1"])
        self.assertEqual(first.current_measurement_id.value, 19.985)
        # Replayed once more: the refusal stands, nothing more is stored.
        again = self.Tablet.record_batch(queued)["results"]
        self.assertEqual([x["status"] for x in again], ["conflict", "ok"])
        self.assertTrue(again[1]["replayed"])
        self.assertEqual(self.stored(["online-1", "late-1", "late-2"]), 2)

    def test_replay_after_the_order_was_cancelled(self):
        saved = self.Tablet.record_batch([self.entry(self.checks[0], "c-0")])["results"]
        self.assertEqual(saved[0]["status"], "ok")
        self.production.action_cancel()
        queue = [self.entry(c, f"c-{i}") for i, c in enumerate(self.checks)]
        answers = self.Tablet.record_batch(list(reversed(queue)))["results"]
        # The entry saved before the cancellation is answered as saved; the others refused.
        self.assertEqual([x["status"] for x in answers], ["error", "error", "ok"])
        self.assertTrue(answers[2]["replayed"])
        self.assertIn("cancelled", answers[0]["message"])
        self.assertEqual(self.stored(["c-0", "c-1", "c-2"]), 1)
        self.assertEqual(len(self.checks.measurement_ids), 1)

    def test_the_same_entry_twice_in_one_batch(self):
        entry = self.entry(self.checks[0], "twice-1")
        answers = self.Tablet.record_batch([entry, entry])["results"]
        saved = {x["measurement_id"] for x in answers if x["status"] in ("ok", "warning", "nok")}
        self.assertEqual(len(saved), 1)
        self.assertEqual(self.stored(["twice-1"]), 1)
        self.assertEqual(len(self.checks[0].measurement_ids), 1)

    def test_a_refused_entry_in_the_batch_leaves_the_others_recorded_once(self):
        queue = [
            self.entry(self.checks[0], "r-0"),
            {"check_id": self.checks[1].id, "payload": {"value": "abc", "client_uid": "r-1"}},
            self.entry(self.checks[2], "r-2"),
        ]
        answers = self.Tablet.record_batch(queue)["results"]
        self.assertEqual([x["status"] for x in answers], ["ok", "error", "ok"])
        self.assertIn("abc", answers[1]["message"])
        # The operator retypes the value: a new entry of the tablet, and the whole queue again.
        queue[1] = self.entry(self.checks[1], "r-1b", 19.995)
        again = self.Tablet.record_batch(queue)["results"]
        self.assertEqual([x["replayed"] for x in again], [True, False, True])
        self.assertEqual(self.stored(["r-0", "r-1", "r-1b", "r-2"]), 3)
        self.assertEqual(self.checks.mapped("state"), ["pass", "pass", "pass"])
