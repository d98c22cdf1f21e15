"""Bad input from any client: each public method either gives a correct result
or refuses with a UserError / AccessError / ValidationError naming the field,
and a refused call leaves nothing behind (rows counted before and after, in a
savepoint rolled back after each example)."""

import json
import math
import re
from contextlib import closing

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .shop_common import MqcShopCommon

CHART = "report.mrp_quality_control.report_spc_control_chart"

REFUSALS = (UserError, AccessError, ValidationError)
FEW = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEWER = settings(FEW, max_examples=10)
COUNTED = (
    "mqc_measurement", "mqc_check", "mail_message", "mqc_shift_note", "mqc_spc_limit",
    "mqc_spc_exclusion", "mqc_machine_checklist", "mqc_alert",
)  # fmt: skip

NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf, float("1e309"), 10**400])
NOT_INTEGRAL = st.floats(1.1, 9.9).filter(lambda f: not f.is_integer())
DIGITS = re.compile(r"\s*[0-9]+\s*")
# Nothing here is an id: words, floats (even 5.0), bools, None, 0 and below,
# beyond PostgreSQL's integer, lists, dicts.
NOT_AN_ID = st.one_of(
    st.text(max_size=12).filter(lambda text: not DIGITS.fullmatch(text)),
    st.floats(),
    NON_FINITE,
    st.booleans(),
    st.none(),
    st.integers(max_value=0),
    st.integers(min_value=2**31),
    st.lists(st.integers(1, 50), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
NOT_TEXT = st.one_of(
    st.integers(), st.floats(), st.just(True),
    st.lists(st.text(max_size=3), min_size=1, max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), min_size=1, max_size=2),
)  # fmt: skip


def oversize(limit):
    """Text longer than ``limit`` once stripped, or the 100,000-character note."""
    return st.one_of(
        st.integers(limit + 1, limit + 3000).map(lambda n: "é" * n),
        st.just("x" * 100_000),
    )


def bad_text(limit):
    return st.one_of(NOT_TEXT, oversize(limit))


@st.composite
def typed_numbers(draw):
    """(text, value): a number as an operator types it: a sign, digits grouped by
    thousands with a space or an apostrophe, a decimal point or comma."""
    whole = draw(st.integers(0, 10**11))
    decimals = draw(st.text("0123456789", max_size=4))
    sign = draw(st.sampled_from(["", "-", "+"]))
    group = draw(st.sampled_from(["", " ", "\u202f", "\u00a0", "\u2009", "'"]))
    point = draw(st.sampled_from([".", ","]))
    pad = draw(st.sampled_from(["", " ", "  "]))
    digits = f"{whole:,}".replace(",", group) if group else str(whole)
    text = f"{pad}{sign}{digits}{point + decimals if decimals else ''}{pad}"
    return text, float(f"{sign}{whole}.{decimals or '0'}")


class BadInputCommon(MqcShopCommon):
    """An approved plan whose checks are due at the start of the turning
    operation: a length 120 ± 0.1 (laboratory), a chamfer OK / NOK, scratches
    (2 defects allowed) and a diameter Ø20 h7 measured with a micrometer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        start = {"operation_id": cls.op_turning.id, "frequency_mode": "batch_start_end"}
        lab = dict(start, method_type="lab", gauge_family_id=False)
        cls.plan = cls.make_plan(
            [
                cls.char_vals(
                    balloon="3", name="Length", limit_source="manual", fit_designation=False,
                    nominal=120, lower_limit=119.9, upper_limit=120.1, **lab,
                ),
                cls.char_vals(balloon="4", name="Chamfer", result_type="attribute", **lab),
                cls.char_vals(
                    balloon="5", name="Scratches", result_type="defects", max_defects=2, **lab
                ),
                cls.char_vals(balloon="7", name="Diameter", **start),
            ]
        )  # fmt: skip
        cls.plan.with_user(cls.technician).action_submit()
        cls.plan.with_user(cls.manager).action_approve()
        cls.production = MqcShopCommon.make_mo(cls, 10)
        checks = cls.production.mqc_check_ids.filtered(lambda c: c.trigger == "batch_start")
        cls.length, cls.chamfer, cls.scratches, cls.diameter = (
            checks.filtered(lambda c, b=b: c.balloon == b) for b in ("3", "4", "5", "7")
        )
        cls.turning = cls.length.workorder_id
        cls.company_b = cls.env["res.company"].create({"name": "Other machining shop"})
        cls.operator_b = new_test_user(
            cls.env,
            "mqc_op_b",
            groups="mrp_quality_control.group_mqc_operator",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.gauge_b = cls.make_gauge(
            "Micrometer of the other shop", "B-MIC-01", cls.micrometer,
            company_id=cls.company_b.id,
        )  # fmt: skip

    def counts(self):
        self.env.flush_all()
        self.env.cr.execute(
            " UNION ALL ".join(f"(SELECT count(*) FROM {table})" for table in COUNTED)
        )
        return dict(zip(COUNTED, (row[0] for row in self.env.cr.fetchall()), strict=True))

    def attempt(self, call):
        """(result or refusal, rows before, rows after) of ``call``, rolled back."""
        with closing(self.env.cr.savepoint()):
            before = self.counts()
            try:
                result = call()
            except REFUSALS as error:
                result = error
            after = self.counts()
        self.env.invalidate_all()
        return result, before, after

    def assert_refused(self, call, *labels):
        """``call`` is refused naming ``labels`` and leaves nothing behind."""
        result, before, after = self.attempt(call)
        self.assertIsInstance(result, REFUSALS, f"not refused: {result!r}")
        message = str(result)
        for label in labels:
            self.assertIn(label, message)
        self.assertNotIn("Traceback", message)
        self.assertNotIn("SELECT", message)
        self.assertEqual(after, before, message)
        return message

    def for_examples(self, strategy, test, config=FEWER):
        """``test(raw)`` on a few examples of ``strategy``."""

        @config
        @given(raw=strategy)
        def run(raw):
            test(raw)

        run()

    def record(self, check, user=None, **payload):
        Tablet = self.env["mqc.tablet"].with_user(user or self.operator)
        return self.attempt(lambda: Tablet.record(check.id, payload))


@tagged("post_install", "-at_install")
class TestBadInput(BadInputCommon):
    # ------------------------------------------------------------------
    # Values of a check
    # ------------------------------------------------------------------
    def test_a_value_is_recorded_as_typed_or_refused_with_nothing_saved(self):
        anything = st.one_of(
            st.floats(), NON_FINITE, st.integers(-(10**20), 10**20), st.text(max_size=40),
            st.just("1" * 100_000), st.none(), st.booleans(), st.lists(st.floats(), max_size=2),
            st.dictionaries(st.text(max_size=3), st.floats(), max_size=2),
        )  # fmt: skip

        @FEW
        @given(raw=anything)
        def check(raw):
            answer, before, after = self.record(self.length, value=raw)
            number = isinstance(raw, int | float) and not isinstance(raw, bool)
            if number and abs(raw) <= 1e12:  # nan compares false
                # a number sent as a number is recorded
                self.assertIn(answer["status"], ("ok", "warning", "nok"), raw)
                self.assertEqual(after["mqc_measurement"], before["mqc_measurement"] + 1)
                self.assertTrue(math.isclose(answer["rounded_value"], raw, abs_tol=1e-6))
            elif answer["status"] == "error":
                self.assertIn("Value of 3 Length", answer["message"])
                self.assertLessEqual(len(answer["message"]), 200)
                self.assertEqual(after, before)
            else:  # a text read as a number
                self.assertIsInstance(raw, str)
                self.assertTrue(math.isfinite(answer["rounded_value"]))
                self.assertEqual(after["mqc_measurement"], before["mqc_measurement"] + 1)

        check()

    def test_numbers_typed_with_a_decimal_comma_or_thousands_separators(self):
        @FEW
        @given(typed=typed_numbers())
        def check(typed):
            text, value = typed
            answer, before, after = self.record(self.length, value=text)
            self.assertIn(answer["status"], ("ok", "warning", "nok"), text)
            self.assertTrue(math.isclose(answer["rounded_value"], value, rel_tol=1e-12), text)
            self.assertEqual(after["mqc_measurement"], before["mqc_measurement"] + 1)

        check()
        for text, verdict in (("120,05", "ok"), ("1 234,5", "nok"), ("1'234.5", "nok")):
            answer, _before, _after = self.record(self.length, value=text)
            self.assertEqual(answer["status"], verdict, text)
        # Not a number once the separators are read: refused, not guessed.
        for text in ("12 34", "1,234.5", "1.234,5", "1e3", "0x10", "１２", "nan", "inf", "--1"):
            answer, before, after = self.record(self.length, value=text)
            self.assertEqual(answer["status"], "error", text)
            self.assertEqual(after, before, text)
        answer, _before, _after = self.record(self.length, value="1" * 100_000)
        self.assertIn("a number of at most 32 characters is due (got 100000)", answer["message"])

    def test_non_finite_values_are_refused_whatever_the_result_type(self):
        for raw in (math.nan, math.inf, -math.inf, float("1e309"), 10**400):
            answer, before, after = self.record(self.length, value=raw)
            self.assertEqual(answer["status"], "error", raw)
            self.assertIn("a finite number is due", answer["message"])
            self.assertEqual(after, before)
            answer, before, after = self.record(self.scratches, defects=raw)
            self.assertEqual(answer["status"], "error", raw)
            self.assertIn("Defects", answer["message"])
            self.assertEqual(after, before)
            answer, before, after = self.record(self.chamfer, ok=raw)
            self.assertEqual(answer["status"], "error", raw)
            self.assertEqual(after, before)

    def test_defects_are_a_whole_number_from_zero(self):
        @FEW
        @given(
            raw=st.one_of(
                st.integers(-5, 10),
                st.integers(2**31 - 2, 2**31 + 2),
                st.floats(),
                st.text(max_size=6),
                st.booleans(),
                st.none(),
                st.lists(st.integers(), max_size=2),
            )  # fmt: skip
        )
        def check(raw):
            answer, before, after = self.record(self.scratches, defects=raw)
            count = None
            if isinstance(raw, int) and not isinstance(raw, bool):
                count = raw
            elif isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
                count = int(raw)
            elif isinstance(raw, str) and re.fullmatch(r"[+-]?[0-9]{1,18}", raw.strip()):
                count = int(raw)
            if count is not None and 0 <= count < 2**31:
                self.assertEqual(answer["status"], "ok" if count <= 2 else "nok", raw)
                self.assertEqual(after["mqc_measurement"], before["mqc_measurement"] + 1)
            else:
                self.assertEqual(answer["status"], "error", raw)
                self.assertIn("Defects", answer["message"])
                self.assertEqual(after, before)

        check()

    # ------------------------------------------------------------------
    # Ids and payloads of the tablet calls
    # ------------------------------------------------------------------
    def test_check_ids_that_are_not_ids_are_refused(self):
        Tablet = self.env["mqc.tablet"].with_user(self.operator)

        @FEW
        @given(raw=NOT_AN_ID)
        def check(raw):
            self.assert_refused(lambda: Tablet.record(raw, {"value": 120.0}), "Check")
            self.assert_refused(
                lambda: Tablet.record_batch([{"check_id": raw, "payload": {"value": 120.0}}]),
                "Check",
            )

        check()
        # A string of digits is an id.
        answer, _before, _after = self.attempt(
            lambda: Tablet.record(str(self.length.id), {"value": "120"})
        )
        self.assertEqual(answer["status"], "ok")

    def test_deleted_and_other_company_records_are_refused_cleanly(self):
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        gone = self.env["mqc.check"].search([], order="id desc", limit=1).id + 1000
        self.assert_refused(lambda: Tablet.record(gone, {"value": 120.0}), "Check", str(gone))
        self.assert_refused(
            lambda: Tablet.record_batch(
                [{"check_id": self.length.id, "payload": {"value": 120.0}},
                 {"check_id": gone, "payload": {"value": 120.0}}]
            ),
            "Check",
        )  # fmt: skip
        # The operator of the other shop may not read our checks.
        other = self.env["mqc.tablet"].with_user(self.operator_b)
        self.assert_refused(lambda: other.record(self.length.id, {"value": 120.0}))
        self.assert_refused(lambda: other.set_disposition(self.length.id, "scrap", "dropped"))
        self.assert_refused(
            lambda: (
                self.env["mqc.tablet"]
                .with_user(self.operator_b)
                .open(self.turning.id)
            )
        )
        # Nor do we see their gauge: named, it is refused as unknown.
        answer, before, after = self.record(self.diameter, value=19.99, gauge_id=self.gauge_b.id)
        self.assertEqual(answer["status"], "error")
        unknown = f"Gauge: this record does not exist (id {self.gauge_b.id})"
        self.assertIn(unknown, answer["message"])
        self.assertEqual(after, before)
        mic = self.mic_gauge.id
        answer, _before, _after = self.record(self.diameter, value=19.99, gauge_id=mic)
        self.assertEqual(answer["status"], "ok")

    def test_payload_keys_are_checked_before_anything_is_written(self):
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        cases = [
            ("gauge_id", NOT_AN_ID.filter(lambda v: v not in (None, False, "", 0)), "Gauge"),
            ("ndt_inspector_id", NOT_AN_ID.filter(lambda v: v not in (None, False, "", 0)),
             "NDT Inspector"),
            ("note", bad_text(2000), "Note"),
            ("sample_reference", bad_text(256), "Sample"),
            ("client_uid", bad_text(64), "Client Entry Id"),
        ]  # fmt: skip
        for key, strategy, label in cases:

            def check(raw, key=key, label=label):
                payload = {"value": 120.0, key: raw}
                self.assert_refused(lambda: Tablet.record(self.length.id, payload), label)

            with self.subTest(key=key):
                self.for_examples(strategy, check)
        message = self.assert_refused(
            lambda: Tablet.record(self.length.id, {"value": 120.0, "note": "x" * 100_000}),
            "Note",
        )
        self.assertIn("at most 2000 characters (got 100000)", message)
        self.assert_refused(
            lambda: Tablet.record(self.length.id, {"value": 120.0, "state": "pass"}),
            "Entry",
            "state",
        )
        for payload in ([120.0], "120", 120.0):
            self.assert_refused(lambda p=payload: Tablet.record(self.length.id, p), "Entry")

    def test_a_batch_saves_its_good_entries_or_nothing(self):
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        good = {"check_id": self.length.id, "payload": {"value": "120,02"}}
        # One entry with a bad value: refused alone, the others recorded.
        answers, before, after = self.attempt(
            lambda: Tablet.record_batch(
                [good, {"check_id": self.scratches.id, "payload": {"defects": math.nan}}]
            )["results"]
        )
        self.assertEqual([a["status"] for a in answers], ["ok", "error"])
        self.assertEqual(after["mqc_measurement"], before["mqc_measurement"] + 1)
        answers, before, after = self.attempt(lambda: Tablet.record_batch([])["results"])
        self.assertEqual((answers, after), ([], before))
        # Malformed entries: the whole call is refused before writing anything.
        for entries, label in (
            (good, "Entries"),
            ("abc", "Entries"),
            ([good] * 501, "at most 500 entries"),
            ([good, "x"], "Entries"),
            ([good, {"check_id": self.scratches.id, "payload": {"defects": 1}, "x": 1}], "x"),
            ([good, {"check_id": self.scratches.id, "payload": {"note": ["x"]}}], "Note"),
            ([good, {"check_id": "abc"}], "Check"),
        ):
            with self.subTest(entries=str(entries)[:60]):
                self.assert_refused(lambda e=entries: Tablet.record_batch(e), label)

    def test_work_order_calls(self):
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        wo = self.turning

        @FEWER
        @given(raw=NOT_AN_ID)
        def check_ids(raw):
            self.assert_refused(lambda: Tablet.open(raw), "Work Order")
            self.assert_refused(lambda: Tablet.set_pieces_done(raw, 3), "Work Order")
            self.assert_refused(lambda: Tablet.tool_change(raw, "T4"), "Work Order")
            Drift = self.env["mqc.drift.event"].with_user(self.operator)
            self.assert_refused(lambda: Drift.mqc_open_events(raw), "Work Order")

        check_ids()

        @FEWER
        @given(
            raw=st.one_of(
                NON_FINITE,
                st.integers(max_value=-1),
                st.floats(0.01, 0.99),
                st.booleans(),
                st.none(),
                st.text("abcxyz .,", max_size=5),
                st.lists(st.integers(), max_size=2),
            )  # fmt: skip
        )
        def check_pieces(raw):
            self.assert_refused(lambda: Tablet.set_pieces_done(wo.id, raw), "Pieces done")

        check_pieces()
        self.assert_refused(
            lambda: Tablet.set_pieces_done(wo.id, 2**40), "Pieces done", str(2**31 - 1)
        )
        data, _before, _after = self.attempt(lambda: Tablet.set_pieces_done(wo.id, "4"))
        self.assertEqual(data["tablet"]["workorder"]["pieces_done"], 4)

        @FEWER
        @given(raw=bad_text(256))
        def check_reason(raw):
            self.assert_refused(lambda: Tablet.tool_change(wo.id, raw), "Tool change")

        check_reason()

    def test_disposition_first_piece_and_correction(self):
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        self.assert_refused(lambda: Tablet.set_disposition("abc", "scrap", "x"), "Check")
        self.assert_refused(
            lambda: Tablet.set_disposition(self.length.id, "scrap", "x" * 2001),
            "What happened",
            "2000",
        )
        answer, _before, _after = self.attempt(
            lambda: Tablet.set_disposition(self.length.id, ["scrap"], "dropped")
        )
        self.assertEqual(answer["status"], "error")
        Tech = self.env["mqc.tablet"].with_user(self.technician)
        gone = self.env["mrp.workorder"].search([], order="id desc", limit=1).id + 1000
        for raw in ("abc", [5, "x"], [math.nan], None, -1, 2**40, gone):
            self.assert_refused(lambda r=raw: Tech.approve_first_piece(r), "Work Order")
        Tablet.record(self.length.id, {"value": 120.0})
        self.assert_refused(
            lambda: self.length.with_user(self.technician).mqc_correct(
                {"value": 120.01}, "y" * 4001
            ),
            "Reason for the correction",
            "4000",
        )
        self.assert_refused(
            lambda: self.length.with_user(self.technician).mqc_correct({"value": math.inf}, "typo")
        )

    def test_user_text_is_escaped_in_the_chatter(self):
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        Tablet.record(self.length.id, {"value": 121.0})  # out of tolerance: an alert
        note = '<img src=x onerror="alert(1)"> & <b>co</b>'
        answer = Tablet.set_disposition(self.length.id, "scrap", note)
        self.assertEqual(answer["status"], "ok")
        body = self.length.alert_id.message_ids[:1].body
        self.assertIn("&lt;img src=x", body)
        self.assertNotIn("<img", body)
        self.env["mqc.tablet"].with_user(self.operator).tool_change(
            self.turning.id, "<script>x()</script>"
        )
        body = self.production.message_ids[:1].body
        self.assertIn("&lt;script&gt;", body)
        self.assertNotIn("<script>", body)

    # ------------------------------------------------------------------
    # Shift notes, checklists, gauges, drift answers
    # ------------------------------------------------------------------
    def test_shop_floor_calls(self):
        Note = self.env["mqc.shift.note"].with_user(self.operator)
        Checklist = self.env["mqc.machine.checklist"].with_user(self.operator)
        Tablet = self.env["mqc.tablet"].with_user(self.operator)

        @FEWER
        @given(raw=NOT_AN_ID)
        def check_ids(raw):
            self.assert_refused(lambda: Note.mqc_tablet_note_create(raw, "todo"), "Work Centre")
            self.assert_refused(lambda: Note.mqc_open_notes(raw), "Work Centre")
            self.assert_refused(lambda: Tablet.acknowledge_note(raw), "Handover Note")
            self.assert_refused(lambda: Checklist.mqc_tablet_checklist(raw), "Work Centre")
            self.assert_refused(lambda: Checklist.mqc_tablet_checklist_set(raw, "ok"), "Line")
            self.assert_refused(lambda: Checklist.mqc_tablet_checklist_done(raw), "Checklist")
            self.assert_refused(lambda: Tablet.answer_drift(raw, 1, 1, ""), "Drift Event")
            if raw not in (None, False, 0, ""):  # optional ids: empty is no id
                self.assert_refused(lambda: Tablet.answer_drift(999999, raw, 1, ""), "Cause")
                self.assert_refused(lambda: Tablet.find_gauge("T-MIC-01", raw), "Character")

        check_ids()

        @FEWER
        @given(raw=bad_text(4000))
        def check_texts(raw):
            lathe = self.lathe.id
            self.assert_refused(lambda: Note.mqc_tablet_note_create(lathe, raw), "To Do")
            self.assert_refused(lambda: Note.mqc_tablet_note_create(lathe, "a", raw), "Problems")
            self.assert_refused(lambda: Tablet.answer_drift(999999, 1, 1, raw), "Note")
            self.assert_refused(lambda: Tablet.find_gauge(raw), "Serial Number")

        check_texts()

        @FEWER
        @given(
            raw=st.one_of(
                NON_FINITE,
                st.floats(max_value=-0.01),
                st.floats(24.01, 1e300),
                st.text("abcxyz .,", min_size=1, max_size=5),
                st.lists(st.floats(), max_size=2),
                st.just(True),
            )  # fmt: skip
        )
        def check_hours(raw):
            self.assert_refused(
                lambda: Note.mqc_tablet_note_create(self.lathe.id, "a", "", raw), "Time Spent"
            )

        check_hours()
        note, before, after = self.attempt(
            lambda: Note.mqc_tablet_note_create(str(self.lathe.id), " a ", "", "7,5")
        )
        self.assertEqual((note["todo"], note["time_spent"]), ("a", 7.5))
        self.assertEqual(after["mqc_shift_note"], before["mqc_shift_note"] + 1)
        # The checklist of the day: results from the list, bounded notes.
        checklist = Checklist.mqc_tablet_checklist(self.lathe.id)
        line = checklist["lines"][0]["id"]
        for result in ("maybe", ["ok"], {"ok": 1}, 1.5, math.nan):
            self.assert_refused(
                lambda r=result: Checklist.mqc_tablet_checklist_set(line, r), "checklist result"
            )
        self.assert_refused(
            lambda: Checklist.mqc_tablet_checklist_set(line, "nok", "x" * 257), "Value / Note"
        )
        found, _before, _after = self.attempt(lambda: Tablet.find_gauge(" T-MIC-01 "))
        self.assertEqual(found["id"], self.mic_gauge.id)

    def test_free_text_fields_have_a_length_limit(self):
        cases = [
            ("mqc.shift.note", {"workcenter_id": self.lathe.id}, "todo", 4000, "To Do"),
            ("mqc.drift.cause", {}, "name", 256, "Name"),
            ("mqc.checklist.item", {"name": "Oil"}, "expected", 256, "Expected"),
        ]
        for model, vals, name, limit, label in cases:
            with self.subTest(model=model):
                record = self.env[model].create(dict(vals, **{name: "ok"}))
                with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                    self.env[model].create(dict(vals, **{name: "é" * (limit + 1)}))
                self.assertEqual(
                    str(caught.exception),
                    f"{label}: at most {limit} characters (got {limit + 1}).",
                )
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    record.write({name: "x" * (limit + 1)})
                record.write({name: "é" * limit})  # the limit itself is allowed
                self.assertEqual(len(record[name]), limit)
        # Html instructions are sanitised: no script reaches the tablet.
        plan = self.make_plan(
            [self.char_vals(instruction='<p onclick="x()">Clean</p><script>alert(1)</script>')]
        )
        instruction = plan.characteristic_ids.instruction
        self.assertIn("Clean", instruction)
        self.assertNotIn("script", instruction)
        self.assertNotIn("onclick", instruction)
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.make_plan([self.char_vals(instruction="<p>%s</p>" % ("x" * 50_000))])
        self.assertIn("at most 50000 characters", str(caught.exception))


@tagged("post_install", "-at_install")
class TestBadInputCharts(BadInputCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.char = cls.length.characteristic_id

    def chart_calls(self, raw_filters):
        Char = self.env[CHART].with_user(self.technician)
        Limit = self.env["mqc.spc.limit"].with_user(self.technician)
        return [
            lambda: Char.get_chart_data(self.char.id, raw_filters),
            lambda: Limit.mqc_freeze(self.char.id, "Stable run", raw_filters),
            lambda: Limit.mqc_unfreeze(self.char.id, raw_filters),
        ]

    def test_chart_filters_are_checked(self):
        not_a_date = st.one_of(
            st.text(min_size=1, max_size=12).filter(lambda t: not re.match(r"\s*\d{4}-", t)),
            st.integers(1, 10**6), st.floats(), st.lists(st.text(max_size=3), min_size=1),
        )  # fmt: skip
        for key, strategy in (
            ("date_from", not_a_date),
            ("date_to", not_a_date),
            ("product_id", NOT_AN_ID.filter(lambda v: v not in (None, False, "", 0))),
            ("lot_id", NOT_AN_ID.filter(lambda v: v not in (None, False, "", 0))),
            ("subgroup_size", st.one_of(NON_FINITE, st.integers(51, 10**30), NOT_INTEGRAL)),
            ("max_points", st.one_of(NON_FINITE, st.integers(max_value=-1), st.text(min_size=30))),
            ("kind", st.one_of(st.sampled_from(["p", "u", "zzz", ""]), st.lists(st.text()))),
        ):

            def check(raw, key=key):
                if key == "kind" and raw == "":
                    return  # empty: the default kind
                for call in self.chart_calls({key: raw}):
                    message = self.assert_refused(call, key)
                    self.assertNotIn("psycopg2", message)

            with self.subTest(key=key):
                self.for_examples(strategy, check)
        for filters, label in (("abc", "Filters"), ([1], "Filters"), ({"sql": 1}, "sql")):
            for call in self.chart_calls(filters):
                self.assert_refused(call, label)
        data = self.env[CHART].with_user(self.technician).get_chart_data(
            str(self.char.id),
            {"date_from": "2020-01-01", "date_to": "2999-12-31 23:59:59", "subgroup_size": "1",
             "product_id": str(self.production.product_id.id), "kind": "imr"},
        )  # fmt: skip
        self.assertEqual(data["kind"], "imr")

    def test_chart_ids_and_reasons(self):
        Char = self.env[CHART].with_user(self.technician)
        Limit = self.env["mqc.spc.limit"].with_user(self.technician)
        Exclusion = self.env["mqc.spc.exclusion"].with_user(self.technician)

        @FEWER
        @given(raw=NOT_AN_ID)
        def check(raw):
            self.assert_refused(lambda: Char.get_chart_data(raw, {}), "Characteristic")
            self.assert_refused(lambda: Char.get_filter_options(raw), "Characteristic")
            self.assert_refused(lambda: Limit.mqc_freeze(raw, "why"), "Characteristic")
            self.assert_refused(lambda: Limit.mqc_unfreeze(raw), "Characteristic")
            self.assert_refused(lambda: Exclusion.mqc_exclude(raw, [1], "why"), "Characteristic")
            if not isinstance(raw, list):
                self.assert_refused(
                    lambda: Exclusion.mqc_exclude(self.char.id, raw, "why"), "Measurements"
                )
            self.assert_refused(
                lambda: Exclusion.mqc_exclude(self.char.id, [raw], "why"), "Measurements"
            )

        check()
        gone = self.env["mqc.characteristic"].search([], order="id desc", limit=1).id + 1000
        for call in (
            lambda: Char.get_chart_data(gone, {}),
            lambda: Char.get_filter_options(gone),
            lambda: Limit.mqc_freeze(gone, "why"),
        ):
            self.assert_refused(call, "This characteristic does not exist.")
        self.assert_refused(
            lambda: Exclusion.mqc_exclude(self.char.id, list(range(1, 10_002)), "why"),
            "at most 10000 ids",
        )
        Tablet = self.env["mqc.tablet"].with_user(self.operator)
        measurement = Tablet.record(self.length.id, {"value": 120.0})["measurement_id"]

        @FEWER
        @given(raw=bad_text(4000))
        def check_reasons(raw):
            self.assert_refused(lambda: Limit.mqc_freeze(self.char.id, raw), "Reason")
            self.assert_refused(
                lambda: Exclusion.mqc_exclude(self.char.id, [measurement], raw), "Assignable Cause"
            )

        check_reasons()
        self.assertTrue(Exclusion.mqc_exclude(self.char.id, [str(measurement)], " Chuck slipped "))

    def test_report_entry_points(self):
        Report = self.env[CHART].with_user(self.technician)
        for ids in (["abc"], "abc", [math.nan], [self.char.id, None]):
            self.assert_refused(
                lambda i=ids: Report._get_report_values(None, {"characteristic_ids": i}),
                "Characteristics",
            )
        self.assert_refused(
            lambda: Report._get_report_values(
                [self.char.id], {"filters": {"date_from": "abc' OR 1=1 --"}}
            ),
            "date_from",
        )
        Xlsx = self.env["report.mrp_quality_control.control_plan_xlsx"].with_user(self.technician)
        for plan in ("abc", None, [1], math.inf):
            self.assert_refused(lambda p=plan: Xlsx.render(p), "Control Plan")
        self.assertTrue(Xlsx.render(self.plan.id).startswith(b"PK"))  # a zip: the workbook


@tagged("post_install", "-at_install")
class TestBadInputJsonRpc(BadInputCommon, HttpCase):
    """The raw JSON a script may send: NaN, Infinity and 1e309 are tokens
    Python's JSON reader accepts (as nan and inf)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.load_french()

    def call_kw(self, model, method, args_json, lang="fr_FR"):
        # The arguments as raw JSON text, NaN and Infinity tokens included.
        envelope = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": "ARGS",
                # as the web client sends it: the user's language
                "kwargs": {"context": {"lang": lang}},
            },
        }
        body = json.dumps(envelope).replace('"ARGS"', args_json)  # fmt: skip
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return json.loads(response.text)

    def assert_user_error(self, reply, message):
        self.assertIn("error", reply, reply)
        data = reply["error"]["data"]
        self.assertIn(data["name"], ("odoo.exceptions.UserError", "odoo.exceptions.AccessError"))
        self.assertEqual(data["message"], message)
        for leak in ("ValueError", "TypeError", "psycopg2", "MissingError", "OverflowError"):
            self.assertNotIn(leak, data["debug"])

    def test_raw_json_tokens_get_a_translated_refusal(self):
        self.authenticate("mqc_op", "mqc_opxx")
        wo = self.turning.id
        for token in ("NaN", "Infinity", "-Infinity", "1e309", '"abc"', "[3]", "-1"):
            with self.subTest(token=token):
                reply = self.call_kw("mqc.tablet", "set_pieces_done", f"[{wo}, {token}]")
                self.assert_user_error(
                    reply, "Pièces faites : un nombre entier, 0 ou plus, est attendu."
                )
                reply = self.call_kw(
                    "mqc.tablet", "record", f'[{self.scratches.id}, {{"defects": {token}}}]'
                )
                result = reply["result"]
                self.assertEqual(result["status"], "error")
                self.assertTrue(result["message"].startswith("Défauts : un nombre entier"))
                if token != "-1":  # a length of -1 is a number (out of tolerance)
                    reply = self.call_kw(
                        "mqc.tablet", "record", f'[{self.length.id}, {{"value": {token}}}]'
                    )
                    self.assertEqual(reply["result"]["status"], "error")
                    self.assertIn("3 Length", reply["result"]["message"])  # any language
                reply = self.call_kw("mqc.tablet", "record", f'[{token}, {{"value": 120}}]')
                self.assert_user_error(reply, reply["error"]["data"]["message"])
                self.assertIn("2147483647", reply["error"]["data"]["message"])
        self.assertFalse(self.length.measurement_ids | self.scratches.measurement_ids)
        gone = self.env["mqc.characteristic"].search([], order="id desc", limit=1).id + 1000
        reply = self.call_kw(CHART, "get_chart_data", f"[{gone}, {{}}]")
        self.assert_user_error(reply, "Cette caractéristique n'existe pas.")
        # The filter date of the chart: a refusal naming the filter, no SQL.
        self.authenticate("mqc_tech", "mqc_tech")
        char = self.length.characteristic_id.id
        reply = self.call_kw(CHART, "get_chart_data", f'[{char}, {{"date_from": "abc"}}]', "en_US")
        self.assert_user_error(
            reply,
            "date_from: a date is due, as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (got abc).",
        )
