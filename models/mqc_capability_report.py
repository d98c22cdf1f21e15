import base64

import numpy as np

from odoo import api, models

from ..spc import SpcInputError, capability

NORMALITY_ALPHA = 0.05


class ReportCapabilityStudy(models.AbstractModel):
    """Capability report: the study's numbers, every index with its
    confidence interval, expected and observed ppm, and the capability
    figure (histogram with the fitted curves, normal probability plot, run
    chart) drawn by matplotlib. Also draws the histogram of the study form."""

    _name = "report.mrp_quality_control.report_capability_study"
    _description = "Capability Study Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["mqc.capability.study"].browse(docids)
        docs.check_access("read")
        return {
            "doc_ids": docs.ids,
            "doc_model": "mqc.capability.study",
            "docs": docs,
            "pages": {study.id: self._page(study) for study in docs},
        }

    @api.model
    def _data(self, study):
        """(values, stats) of a computed study, or (None, None)."""
        if not study.n:
            return None, None
        char = study.characteristic_id
        values = study._values()
        size = max(study.subgroup_size, 1)
        values = values[: values.size - values.size % size]
        if values.size < 2:
            return None, None
        lsl = char.lower_limit if char.tolerance_type != "upper" else None
        usl = char.upper_limit if char.tolerance_type != "lower" else None
        target = None
        if char.tolerance_type == "bilateral" and lsl < char.nominal < usl:
            target = char.nominal
        stats = {
            "mean": study.mean,
            "sigma_within": study.sigma_within,
            "sigma_overall": study.sigma_overall,
            "lsl": lsl,
            "usl": usl,
            "target": target,
            "edges": (study.histogram or {}).get("edges"),
            "ad_statistic": study.ad_statistic,
            "ad_pvalue": study.ad_pvalue,
            "size": size,
        }
        return values, stats

    def _titles(self, study):
        _ = self.env._
        unit = study.characteristic_id.unit
        return {
            "histogram": _("Histogram"),
            "data": _("Values"),
            "overall": _("Normal, overall sigma"),
            "within": _("Normal, within sigma"),
            "lsl": _("LSL"),
            "usl": _("USL"),
            "target": _("Target"),
            "value": _("Value") + (f" ({unit})" if unit else ""),
            "count": _("Count"),
            "probability": _("Normal probability plot"),
            "run_chart": _("Run chart"),
            "quantile": _("Normal quantile"),
            "observation": _("Value no. (time order)"),
            "mean": _("Mean"),
        }

    @api.model
    def _histogram_png(self, study):
        """PNG bytes of the histogram of ``study`` (False when not computed)."""
        values, stats = self._data(study)
        if values is None:
            return False
        from ..report import mqc_spc_charts  # noqa: PLC0415 - matplotlib only when drawn

        titles = self._titles(study)
        return mqc_spc_charts.capability_histogram(values.tolist(), stats, titles)

    @api.model
    def _page(self, study):
        _ = self.env._
        page = {
            "png": False,
            "indices": [],
            "ppm": [],
            "normal": None,
            "changed_n": False,
            # Names of the gauges behind the study's values (read by the caller).
            "gauges": ", ".join(study._gauges().sudo().mapped("display_name")),
            "period": False,
        }
        values, stats = self._data(study)
        if values is None:
            return page
        from ..report import mqc_spc_charts  # noqa: PLC0415 - matplotlib only when printing

        titles = self._titles(study)
        png = mqc_spc_charts.capability_sixpack(values.tolist(), stats, titles)
        page["png"] = base64.b64encode(png).decode()
        page["changed_n"] = int(values.size) if values.size != study.n else False
        try:
            result = capability(
                values, lsl=stats["lsl"], usl=stats["usl"], subgroup_size=stats["size"]
            )
        except SpcInputError:
            result = None
        judged = "ppk" if study.kind == "machine" else "cpk"
        if study.kind == "machine":
            rows = [("Cm", study.cm, "pp"), ("Cmk", study.cmk, "ppk")]
        else:
            rows = [
                ("Cp", study.cp, "cp"),
                ("Cpk", study.cpk, "cpk"),
                ("Pp", study.pp, "pp"),
                ("Ppk", study.ppk, "ppk"),
            ]
        # Cp, Pp and Cm need both limits: not defined on a one-sided tolerance.
        two_sided = stats["lsl"] is not None and stats["usl"] is not None
        for label, value, key in rows:
            if key in ("cp", "pp") and not two_sided:
                value = low = high = None
            elif key == judged:
                low, high = study.index_low, study.index_high
            elif result is not None and not page["changed_n"]:
                low, high = result.ci.get(key) or (None, None)
            else:
                low = high = None
            page["indices"].append(
                {
                    "label": label,
                    "value": value,
                    "low": low,
                    "high": high,
                    "judged": key == judged,
                }
            )
        lsl, usl = stats["lsl"], stats["usl"]
        observed = {
            "below": float(np.sum(values < lsl)) / values.size * 1e6 if lsl is not None else None,
            "above": float(np.sum(values > usl)) / values.size * 1e6 if usl is not None else None,
        }
        observed["total"] = sum(v for v in observed.values() if v is not None)
        lines = [(_("Observed"), observed)]
        if result is not None:
            lines += [
                (_("Expected, within sigma"), dict(result.ppm_within)),
                (_("Expected, overall sigma"), dict(result.ppm_overall)),
            ]
        for label, ppm in lines:
            page["ppm"].append(
                {
                    "label": label,
                    "below": ppm["below"] if lsl is not None else None,
                    "above": ppm["above"] if usl is not None else None,
                    "total": ppm["total"],
                }
            )
        page["normal"] = study.ad_pvalue >= NORMALITY_ALPHA
        page["alpha"] = NORMALITY_ALPHA
        return page
