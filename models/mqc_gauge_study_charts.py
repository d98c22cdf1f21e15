import base64

from odoo import api, models

from ..spc.constants import constant


class MqcGaugeStudyCharts(models.AbstractModel):
    """Charts of the gauge-study report (kept apart from the study model so
    that matplotlib loads only when a report is printed)."""

    _name = "mqc.gauge.study.charts"
    _description = "Gauge Study Charts"

    @api.model
    def _charts(self, study):
        """{name: base64 PNG} of the charts of ``study`` (done or computed)."""
        if not study.computed_at:
            return {}
        from ..report import mqc_gauge_study_charts as charts  # noqa: PLC0415

        _ = self.env._
        lines = study.line_ids.sorted(lambda line: (line.part, line.appraiser, line.trial, line.id))
        if study.study_type == "grr_crossed":
            png = self._grr_chart(study, lines, charts)
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
        return {}

    def _grr_chart(self, study, lines, charts):
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
        return charts.grr_sixpack(
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
            },
        )
