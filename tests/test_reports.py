import io

import openpyxl

from odoo.tests import HttpCase, tagged

from .common import MqcCommon


class ControlPlanPrintData(MqcCommon):
    """A plan of two characteristics, one ISO 286 and one with manual limits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.make_plan(
            [
                cls.char_vals(balloon="1", name="Bearing seat"),
                cls.char_vals(
                    balloon="4",
                    name="Overall length",
                    limit_source="manual",
                    fit_designation=False,
                    nominal=120,
                    lower_limit=119.9,
                    upper_limit=120.1,
                    operation_id=cls.op_turning.id,
                    reaction_out_of_tolerance="Stop and isolate the batch",
                ),
            ],
            drawing_reference="DWG-ARB-020",
        )

    def report(self):
        return self.env.ref("mrp_quality_control.action_report_control_plan").with_context(
            lang="en_US"
        )


@tagged("post_install", "-at_install")
class TestControlPlanPrints(ControlPlanPrintData):
    def test_report_shows_header_and_characteristics(self):
        self.approve(self.plan)
        report = self.report()
        html = report._render_qweb_html(report.report_name, self.plan.ids)[0].decode()
        for text in (
            self.plan.code,
            "DWG-ARB-020",
            self.manager.name,
            "Ø20 h7 (19.979 – 20.000 mm)",
            "119.9 – 120.1 mm",
            "10 Turning",
            "Every 5 pieces",
            "Stop and isolate the batch",
            "Printed on",
        ):
            self.assertIn(text, html)

    def test_xlsx_has_the_same_content(self):
        content = (
            self.env["report.mrp_quality_control.control_plan_xlsx"]
            .with_context(lang="en_US")
            .render(self.plan)
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
        header_index = next(i for i, row in enumerate(rows) if row[0] == "Balloon")
        header = rows[header_index]
        seat = dict(zip(header, rows[header_index + 1], strict=True))
        length = dict(zip(header, rows[header_index + 2], strict=True))
        self.assertEqual(seat["Characteristic"], "Bearing seat")
        self.assertAlmostEqual(seat["Lower limit"], 19.979)
        self.assertAlmostEqual(seat["Upper limit"], 20.0)
        self.assertEqual(seat["Frequency"], "Every 5 pieces")
        self.assertEqual(length["Nominal"], 120)
        self.assertEqual(length["Operation"], self.op_turning.display_name)
        self.assertEqual(length["Reaction: out of tolerance"], "Stop and isolate the batch")
        self.assertIn(("Product", self.shaft.display_name), [tuple(r[:2]) for r in rows])


@tagged("post_install", "-at_install")
class TestControlPlanPdf(ControlPlanPrintData, HttpCase):
    """The real PDF: wkhtmltopdf fetches the report's assets from the test's
    server (the content is checked on the HTML, TestControlPlanPrints)."""

    def test_pdf_renders(self):
        self.approve(self.plan)
        self.assert_renders_pdf(self.report(), self.plan.ids)


@tagged("post_install", "-at_install")
class TestControlPlanDownload(HttpCase):
    def test_xlsx_download_route(self):
        product = self.env["product.template"].create({"name": "Download housing"})
        plan = self.env["mqc.control.plan"].create(
            {
                "product_tmpl_id": product.id,
                "characteristic_ids": [
                    (0, 0, {"balloon": "1", "name": "Bearing bore diameter",
                            "limit_source": "iso286", "nominal": 32, "fit_designation": "H7",
                            "method_type": "visual"}),
                ],
            }
        )  # fmt: skip
        self.authenticate("admin", "admin")
        response = self.url_open(f"/mrp_quality_control/control_plan/{plan.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"{plan.code}-A.xlsx", response.headers["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [v for row in sheet.iter_rows(values_only=True) for v in row if v]
        self.assertIn("Bearing bore diameter", values)
        self.assertIn(32.025, values)
        missing = self.url_open("/mrp_quality_control/control_plan/999999/xlsx")
        self.assertEqual(missing.status_code, 404)
