import base64

from markupsafe import Markup, escape

from odoo import api, models

from ..spc.constants import constant
from .charts import gauge_study as charts


class MqcGaugeStudyCharts(models.AbstractModel):
    """Gauge study report model: the charts of a study, for the PDF report
    (``report_gauge_study`` template) and the study form, drawn by
    ``report/charts/gauge_study.py`` (kept apart from the study model so
    that matplotlib loads only when a report is printed or a form shows its
    charts)."""

    _name = "mqc.gauge.study.charts"
    _description = "Gauge Study Charts"

    @api.model
    def _charts(self, study):
        """{name: base64 PNG} of the charts of ``study`` (done or computed)."""
        if not study.computed_at:
            return {}
        _ = self.env._
        lines = study.line_ids.sorted(lambda line: (line.part, line.appraiser, line.trial, line.id))
        if study.study_type == "grr_crossed":
            png = charts.grr_sixpack(*self._grr_data(study, lines))
            return {"sixpack": base64.b64encode(png).decode()}
        if study.study_type == "type1":
            lines = study.line_ids.sorted(lambda line: (line.trial, line.id))
            png = charts.type1_charts(
                lines.mapped("value"),
                study.reference_value,
                study.tolerance,
                study.mean,
                study.std,
                {
                    "run_chart": _("Run chart"),
                    "histogram": _("Histogram"),
                    "reading": _("Reading"),
                    "value": _("Value"),
                    "count": _("Count"),
                    "reference": _("Reference"),
                    "mean": _("Mean"),
                },
            )
            return {"type1": base64.b64encode(png).decode()}
        if study.study_type == "linearity":
            biases = study.results.get("biases", [])
            png = charts.linearity_chart(
                lines.mapped("reference"),
                [line.value - line.reference for line in lines],
                study.slope,
                study.intercept,
                [b["reference"] for b in biases],
                [b["bias"] for b in biases],
                {
                    "title": _("Gauge linearity"),
                    "reference": _("Reference value"),
                    "bias": _("Bias"),
                    "readings": _("Readings"),
                    "means": _("Average bias"),
                    "fit": _("Regression"),
                },
            )
            return {"linearity": base64.b64encode(png).decode()}
        if study.study_type == "attribute":
            res = study.results or {}
            within, versus = res.get("within") or [], res.get("each_vs_standard") or []
            if not within and not versus:
                return {}
            png = charts.attribute_chart(
                within,
                versus,
                {
                    "within": _("Within appraiser"),
                    "versus": _("Appraiser vs standard"),
                    "appraiser": _("Appraiser"),
                    "percent": _("% Matched (95 % CI)"),
                },
            )
            return {"attribute": base64.b64encode(png).decode()}
        return {}

    @api.model
    def _form_charts(self, study):
        """[(title, base64 PNG)] shown on the study form: the R&R panels one
        by one, the other studies' charts as in the report."""
        if not study.computed_at:
            return []
        _ = self.env._
        if study.study_type != "grr_crossed":
            titles = {
                "type1": _("Run chart and histogram"),
                "linearity": _("Gauge linearity"),
                "attribute": _("Assessment agreement"),
            }
            return [(titles.get(name, name), png) for name, png in self._charts(study).items()]
        lines = study.line_ids.sorted(lambda line: (line.part, line.appraiser, line.trial, line.id))
        data = self._grr_data(study, lines)
        panel_titles = {
            "by_part": _("By part"),
            "by_appraiser": _("By appraiser"),
            "interaction": _("Part × appraiser interaction"),
            "components": _("Components of variation"),
            "r_chart": _("R chart by appraiser"),
            "xbar_chart": _("X̄ chart by appraiser"),
        }
        return [
            (title, base64.b64encode(charts.grr_panel(panel, *data)).decode())
            for panel, title in panel_titles.items()
        ]

    @api.model
    def _form_charts_html(self, study):
        """The form's charts as images in a responsive grid (empty when the
        study is not computed)."""
        blocks = [
            Markup(
                '<figure class="col-12 col-xl-6 mb-3 o_mqc_study_chart">'
                '<figcaption class="fw-bold mb-1">%s</figcaption>'
                '<img class="img-fluid border" alt="%s" src="data:image/png;base64,%s"/>'
                "</figure>"
            )
            % (title, title, escape(png))
            for title, png in self._form_charts(study)
        ]
        if not blocks:
            return False
        return Markup('<div class="row o_mqc_study_charts">%s</div>') % Markup("").join(blocks)

    def _grr_data(self, study, lines):
        """Arguments of the R&R chart functions: cube, parts, appraisers,
        components, limits and titles."""
        _ = self.env._
        parts = sorted(set(lines.mapped("part")))
        appraisers = list(
            dict.fromkeys(lines.sorted(lambda line: line.sequence).mapped("appraiser"))
        )
        cube = [[[] for _a in appraisers] for _p in parts]
        for line in lines:
            cube[parts.index(line.part)][appraisers.index(line.appraiser)].append(line.value)
        trials = len(cube[0][0])
        res = study.results
        tol = res.get("pct_tolerance")
        components = {}
        for key, label in (
            ("grr", _("Gauge R&R")),
            ("ev", _("Repeat")),
            ("av", _("Reprod")),
            ("pv", _("Part-to-part")),
        ):
            components[label] = (
                res["pct_contribution"][key],
                res["pct_study_var"][key],
                tol[key] if tol else None,
            )
        ranges = [max(c) - min(c) for row in cube for c in row]
        means = [sum(c) / len(c) for row in cube for c in row]
        rbar = sum(ranges) / len(ranges)
        xbar = sum(means) / len(means)
        size = min(max(trials, 2), 25)
        limits = {
            "rbar": rbar,
            "r_ucl": constant("D4", size) * rbar,
            "r_lcl": constant("D3", size) * rbar,
            "xbar": xbar,
            "x_ucl": xbar + constant("A2", size) * rbar,
            "x_lcl": xbar - constant("A2", size) * rbar,
        }
        return (
            cube,
            [str(p) for p in parts],
            appraisers,
            components,
            limits,
            {
                "components": _("Components of variation"),
                "r_chart": _("R chart by appraiser"),
                "xbar_chart": _("X̄ chart by appraiser"),
                "by_part": _("Measurements by part"),
                "by_appraiser": _("Measurements by appraiser"),
                "interaction": _("Appraiser × part interaction"),
                "contribution": _("% Contribution"),
                "study_var": _("% Study var."),
                "tolerance": _("% Tolerance"),
                "part": _("Part"),
                "appraiser": _("Appraiser"),
                "range": _("Range"),
                "mean": _("Average"),
                "value": _("Value"),
                "ucl": _("UCL"),
                "lcl": _("LCL"),
            },
        )
