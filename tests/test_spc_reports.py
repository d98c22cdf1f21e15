import base64
import io
import json
import re
from datetime import datetime, timedelta
from unittest.mock import patch
from urllib.parse import urlencode

import numpy as np
from PIL import Image

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..spc import capability
from .spc_common import SpcCommon
from .test_spc_capability import BORES
from .test_spc_chart import VALUES

# The 20 diameters of the chart tests and a 21st at 10.9, measured on two
# orders and lots: points 1-10 in lot A, 11-21 in lot B. Point 5 (10.3) is
# excluded ("Chip under the anvil"). By hand, without point 5: mean
# (200.6 + 10.9 - 10.3) / 20 = 10.06; the moving ranges not touching point 5
# sum to 4.1 + 0.8 - 0.2 - 0.5 = 4.2 over 18, MR-bar 0.23333, sigma
# 0.206856, UCL 10.68057: only point 21 breaks a rule (Nelson 1).
# Lot A alone (points 1-10, point 5 excluded): mean 90.2 / 9 = 10.02222,
# moving ranges 0.2, 0.3, 0.2 and 0.2, 0.1, 0.2, 0.3 (7 of them, sum 1.5).
SERIES = VALUES + [10.9]
UCL = 10.06 + 3 * 4.2 / 18 / 1.128
UCL_LOT_A = 90.2 / 9 + 3 * 1.5 / 7 / 1.128
DPI = 150


def text(html):
    """The text of a rendered report, tags out, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def images(html):
    """The PNG images embedded in a rendered report, decoded."""
    return [
        Image.open(io.BytesIO(base64.b64decode(data)))
        for data in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html)
    ]


class SpcReportData(SpcCommon):
    """Two lots of the diameter, and a way to load values into the history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.shaft.product_variant_id
        cls.lot_a, cls.lot_b = cls.env["stock.lot"].create(
            [{"name": "LOT-A-117", "product_id": product.id},
             {"name": "LOT-B-118", "product_id": product.id}]
        )  # fmt: skip

    def load(self, char, plan, values, lots, template=None, operation=None):
        """Values straight into the history, one minute apart, an order per lot."""
        start = datetime(2026, 3, 2, 6, 0)
        records = []
        for lot, chunk in lots:
            production = self.make_mo(len(chunk), template)
            self.report(production, 1, operation)
            check = self.todo(production, char)[0]
            for value in chunk:
                records.append(
                    {"check_id": check.id, "characteristic_id": char.id, "plan_id": plan.id,
                     "production_id": production.id, "lot_id": lot.id if lot else False,
                     "value": value, "verdict": "ok",
                     "recorded_at": start + timedelta(minutes=len(records))}
                )  # fmt: skip
        return self.env["mqc.measurement"].sudo().create(records)

    def study(self, **vals):
        self.load(
            self.bore, self.housing_plan, BORES, [(None, BORES)], self.housing, self.op_boring
        )
        study = (
            self.env["mqc.capability.study"]
            .with_user(self.technician)
            .create(dict({"characteristic_id": self.bore.id, "kind": "process"}, **vals))
        )
        study.action_compute()
        return study


@tagged("post_install", "-at_install")
class TestSpcReports(SpcReportData):
    def chart_report(self, user, chars, data=None):
        report = self.env.ref("mrp_quality_control.action_report_spc_control_chart")
        report = report.with_user(user).with_context(lang="en_US")
        return report._render_qweb_html(report.report_name, chars.ids, data=data)[0].decode()

    def test_control_chart_report_flags_and_exclusions(self):
        measurements = self.load(
            self.diameter, self.plan, SERIES, [(self.lot_a, SERIES[:10]), (self.lot_b, SERIES[10:])]
        )
        self.env["mqc.spc.exclusion"].with_user(self.technician).mqc_exclude(
            self.diameter.id, measurements[4].ids, "Chip under the anvil"
        )
        pages = (
            self.env["report.mrp_quality_control.report_spc_control_chart"]
            .with_user(self.auditor)
            ._get_report_values(self.diameter.ids)["pages"]
        )
        chart = pages[0]["chart"]
        self.assertEqual((chart["kind"], chart["phase"], chart["n_measurements"]), ("imr", "I", 21))
        self.assertAlmostEqual(chart["center"][0], 10.06, places=9)
        self.assertAlmostEqual(chart["ucl"][0], UCL, places=9)
        flagged = pages[0]["out_of_control"]
        self.assertEqual([(p["number"], p["value"], p["lot"]) for p in flagged],
                         [(21, 10.9, "LOT-B-118")])  # fmt: skip
        self.assertEqual(len(flagged[0]["rules"]), 1)
        self.assertTrue(flagged[0]["rules"][0].startswith("Nelson 1: 1 point more than 3"))
        self.assertEqual(pages[0]["exclusion_point"], {pages[0]["exclusions"].id: 5})

        html = self.chart_report(self.auditor, self.diameter)
        words = text(html)
        production_b = measurements[-1].production_id
        for phrase in (
            self.plan.code,
            "1 – Diameter",
            "Individuals (I-MR)",
            "I – limits estimated from these values",
            "9 – 11",
            flagged[0]["rules"][0],
            production_b.name,
            "LOT-B-118",
            "Chip under the anvil",
            "2026-03-02",
            "Printed on",
            self.auditor.name,
        ):
            self.assertIn(phrase, words)
        self.assertIn(f"UCL {UCL:.6g}", words)
        (png,) = images(html)
        self.assertEqual(png.format, "PNG")
        # 11 x 6.4 in at 150 dpi, trimmed to the drawing.
        self.assertAlmostEqual(png.width / DPI, 11.0, delta=0.8)
        self.assertAlmostEqual(png.height / DPI, 6.4, delta=0.6)

        # A user outside the quality groups reads no characteristic.
        outsider = new_test_user(self.env, "mqc_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.chart_report(outsider, self.diameter)

    def test_wizard_filters_the_report(self):
        measurements = self.load(
            self.diameter, self.plan, SERIES, [(self.lot_a, SERIES[:10]), (self.lot_b, SERIES[10:])]
        )
        self.env["mqc.spc.exclusion"].with_user(self.technician).mqc_exclude(
            self.diameter.id, measurements[4].ids, "Chip under the anvil"
        )
        Wizard = self.env["mqc.spc.report.wizard"].with_user(self.operator)
        wizard = Wizard.with_context(
            active_model="mqc.characteristic", active_id=self.diameter.id
        ).create({"lot_id": self.lot_a.id})
        self.assertEqual(wizard.characteristic_id, self.diameter)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "mrp_quality_control.report_spc_control_chart")
        self.assertEqual(action["data"]["filters"], {"subgroup_size": 1, "lot_id": self.lot_a.id})
        self.assertEqual(action["data"]["characteristic_ids"], self.diameter.ids)
        html = self.chart_report(self.operator, self.diameter, data=action["data"])
        page = self.env["report.mrp_quality_control.report_spc_control_chart"]._page(
            self.diameter, action["data"]["filters"]
        )
        self.assertEqual(page["chart"]["points"]["value"], SERIES[:10])
        self.assertEqual(set(page["chart"]["points"]["lot_id"]), {self.lot_a.id})
        self.assertAlmostEqual(page["chart"]["ucl"][0], UCL_LOT_A, places=9)
        self.assertEqual(page["out_of_control"], [])
        self.assertIn("LOT-A-117", html)
        self.assertRegex(text(html), r"Filters Lot ?: LOT-A-117 ")
        self.assertNotIn("LOT-B-118", html)
        self.assertNotIn("Nelson 1", html)
        self.assertIn("No point breaks a run rule.", html)
        self.assertIn("Chip under the anvil", html)

        # Subgroups of 5 from a date on: an X-bar R chart of the 4 full subgroups.
        wizard = Wizard.create(
            {"characteristic_id": self.diameter.id, "subgroup_size": 5,
             "date_from": "2026-03-02 06:00:00"}
        )  # fmt: skip
        filters = wizard.action_print()["data"]["filters"]
        self.assertEqual(filters["date_from"], "2026-03-02 06:00:00")
        page = self.env["report.mrp_quality_control.report_spc_control_chart"]._page(
            self.diameter, filters
        )
        self.assertEqual(page["chart"]["kind"], "xbar_r")
        np.testing.assert_allclose(page["chart"]["points"]["value"], [10.1, 10.0, 10.04, 9.98])
        wizard.date_to = "2026-03-01 00:00:00"
        with self.assertRaisesRegex(Exception, "Period"):
            wizard.action_print()
        wizard.write({"date_to": False, "subgroup_size": 0})
        with self.assertRaisesRegex(UserError, "Subgroup size: must be at least 1"):
            wizard.action_print()

    def test_capability_report(self):
        study = self.study()
        direct = capability(np.array(BORES), lsl=9.0, usl=11.0)
        report = self.env.ref("mrp_quality_control.action_report_capability_study")
        report = report.with_user(self.auditor).with_context(lang="en_US")
        html = report._render_qweb_html(report.report_name, study.ids)[0].decode()
        words = text(html)
        for phrase in (
            "1 – Bore",
            "Process (Cp, Cpk, Pp, Ppk)",
            "Capable",
            # Cp = Cpk = 14.347 by hand (centred; see test_spc_capability).
            "14.347",
            f"{direct.ci['cp'][0]:.3f}",
            f"{direct.ci['ppk'][1]:.3f}",
            f"{study.index_low:.3f}",
            f"{direct.pp:.3f}",
            "1.33",
            "about 7 % of the tolerance",
            f"A² = {study.ad_statistic:.3f}",
            "no evidence against a normal distribution",
            "Observed",
            "Expected, within sigma",
            self.bore.gauge_family_id.name or "-",
            "Printed on",
        ):
            self.assertIn(phrase, words)
        page = report.env["report.mrp_quality_control.report_capability_study"]._page(study)
        self.assertEqual([i["label"] for i in page["indices"]], ["Cp", "Cpk", "Pp", "Ppk"])
        self.assertEqual([i["judged"] for i in page["indices"]], [False, True, False, False])
        self.assertEqual(page["ppm"][0]["total"], 0.0)  # no bore out of 9 - 11
        (png,) = images(html)
        self.assertAlmostEqual(png.width / DPI, 10.0, delta=0.8)
        self.assertAlmostEqual(png.height / DPI, 7.6, delta=0.8)

    def test_one_sided_tolerance_has_no_cp_nor_pp(self):
        plan = self.make_plan(
            [
                self.char_vals(
                    balloon="7", name="Run-out", limit_source="geometric",
                    geometric_tolerance="circular_runout", upper_limit=0.5, nominal=0,
                    fit_designation=False, operation_id=self.op_boring.id,
                    frequency_mode="every_piece", method_type="lab", gauge_family_id=False,
                )
            ],
            product_tmpl_id=self.housing.id,
            bom_id=self.housing_bom.id,
        )  # fmt: skip
        self.approve(plan)
        runout = plan.characteristic_ids
        values = [round(abs(b - 10.0), 3) + 0.05 for b in BORES]
        self.load(runout, plan, values, [(None, values)], self.housing, self.op_boring)
        study = (
            self.env["mqc.capability.study"]
            .with_user(self.technician)
            .create(
                {
                    "characteristic_id": runout.id,
                    "kind": "process",
                    # a run-out is bounded at zero: the normal model on request
                    "method": "normal",
                    "method_reason": "Compare with the supplier's normal-model Cpk",
                }
            )
        )
        study.action_compute()
        page = self.env["report.mrp_quality_control.report_capability_study"]._page(study)
        index = {i["label"]: i for i in page["indices"]}
        # Cp and Pp need two limits: shown as "-", not 0.
        self.assertEqual((index["Cp"]["value"], index["Pp"]["value"]), (None, None))
        # Cpk = (USL - mean) / 3 sigma within, one-sided.
        mean = np.mean(values)
        self.assertAlmostEqual(index["Cpk"]["value"], (0.5 - mean) / (3 * study.sigma_within), 3)

    def test_machine_capability_report_shows_cm_cmk(self):
        study = self.study(kind="machine")
        page = self.env["report.mrp_quality_control.report_capability_study"]._page(study)
        self.assertEqual([i["label"] for i in page["indices"]], ["Cm", "Cmk"])
        self.assertAlmostEqual(page["indices"][1]["value"], study.cmk)
        self.assertEqual(study.target, 1.67)

    def test_histogram_field_is_drawn_only_on_read(self):
        draft = (
            self.env["mqc.capability.study"]
            .with_user(self.technician)
            .create({"characteristic_id": self.bore.id})
        )
        self.assertFalse(draft.histogram_image)  # not computed: nothing drawn
        study = self.study()
        Charts = type(self.env["report.mrp_quality_control.report_capability_study"])
        with patch.object(Charts, "_histogram_png", autospec=True, return_value=b"") as draw:
            study.invalidate_recordset()
            study.read(["name", "cpk", "verdict"])
            draw.assert_not_called()
        png = Image.open(
            io.BytesIO(base64.b64decode(study.with_user(self.auditor).histogram_image))
        )
        self.assertEqual(png.format, "PNG")
        self.assertAlmostEqual(png.width / DPI, 7.5, delta=0.8)
        study.action_cancel()
        study.invalidate_recordset()
        self.assertFalse(study.histogram_image)



@tagged("post_install", "-at_install")
class TestSpcReportPdf(SpcReportData, HttpCase):
    """The real PDFs: wkhtmltopdf fetches the reports' assets from the test's
    server (the content is checked on the HTML, TestSpcReports)."""

    def test_capability_study_pdf(self):
        study = self.study()
        report = self.env.ref("mrp_quality_control.action_report_capability_study")
        report = report.with_user(self.auditor).with_context(lang="en_US")
        self.assert_renders_pdf(report, study.ids)

    def test_control_chart_pdf(self):
        self.load(self.diameter, self.plan, SERIES, [(self.lot_a, SERIES)])
        report = self.env.ref("mrp_quality_control.action_report_spc_control_chart")
        self.assert_renders_pdf(report, self.diameter.ids)


@tagged("post_install", "-at_install")
class TestSpcReportDownload(SpcReportData, HttpCase):
    """Printed from the web client with options (wizard, chart screen), the
    report URL carries no record ids: the characteristic comes in the options."""

    def test_report_printed_with_options_from_the_browser(self):
        lots = [(self.lot_a, SERIES[:10]), (self.lot_b, SERIES[10:])]
        self.load(self.diameter, self.plan, SERIES, lots)
        self.authenticate("mqc_tech", "mqc_tech")
        options = {
            "filters": {"lot_id": self.lot_b.id, "max_points": 5},
            "characteristic_ids": self.diameter.ids,
        }
        context = {
            "active_model": "mqc.characteristic",
            "active_ids": self.diameter.ids,
            "lang": "en_US",  # the texts asserted below
        }
        response = self.url_open(
            "/report/html/mrp_quality_control.report_spc_control_chart?"
            + urlencode({"options": json.dumps(options), "context": json.dumps(context)})
        )
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(self.diameter.name, html)
        self.assertIn("LOT-B-118", html)
        self.assertNotIn("LOT-A-117 ", text(html).replace("Lot : LOT-B-118", ""))
        # Lot B holds points 11 to 21 (11 values): the latest 5 are drawn.
        self.assertIn("the latest 5 of 11 (limits from all of them)", text(html))
        self.assertEqual(len(images(html)), 1)
