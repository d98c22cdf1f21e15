import base64

import numpy as np

from odoo import api, fields, models
from odoo.tools import SQL

from ..spc import SpcInputError, capability
from ..spc.frequency import BANDS, band_of
from .charts import spc as spc_charts

NORMALITY_ALPHA = 0.05


class ReportCapabilityStudy(models.AbstractModel):
    """Capability report: the study's numbers, every index with its
    confidence interval, expected and observed ppm, and the capability
    figure (histogram with the fitted curves, normal probability plot, run
    chart) drawn by matplotlib. Also draws the histogram of the study form
    and gives the capability dashboard its data (``get_dashboard``), as the
    BoM overview of ``mrp`` gets its data from its report model."""

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
    def get_dashboard(self):
        """Latest validated capability study of every characteristic of the
        user's companies (one line per process stream, whatever the
        revision the study was made on), with its band and interval factor
        (one query); ``cpk_band`` is the band of the index alone, before a
        critical characteristic is held one band stricter. ``cpk`` is the
        index the study is judged on: Cpk for a process study, Cmk for a
        machine study."""
        # The caller must be a quality user (read access to characteristics);
        # the query returns the studies of the user's companies only.
        self.env["mqc.characteristic"].check_access("read")
        for model in ("mqc.capability.study", "mqc.characteristic", "mqc.control.plan"):
            self.env[model].flush_model()
        lang = self.env.lang or "en_US"
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT ON (s.stream_id)
                          s.characteristic_id, c.balloon,
                          COALESCE(c.name->>%(lang)s, c.name->>'en_US'), c.criticality,
                          s.id, s.kind, s.index_value, s.index_low, s.target, s.verdict,
                          s.date_done, p.id, p.code, p.revision,
                          COALESCE(t.name->>%(lang)s, t.name->>'en_US')
                   FROM mqc_capability_study s
                   JOIN mqc_characteristic c ON c.id = s.characteristic_id
                   JOIN mqc_control_plan p ON p.id = c.plan_id
                   JOIN product_template t ON t.id = p.product_tmpl_id
                   WHERE s.state = 'done' AND s.company_id = ANY(%(companies)s)
                     AND s.stream_id IS NOT NULL
                   ORDER BY s.stream_id, s.date_done DESC, s.id DESC""",
                lang=lang,
                companies=self.env.companies.ids,
            )
        )
        lines = []
        for row in self.env.cr.fetchall():
            (cid, balloon, name, crit, sid, kind, cpk, cpk_low, target, verdict, done,
             plan_id, code, revision, product) = row  # fmt: skip
            band = band_of(cpk, criticality=crit or "major")
            lines.append(
                {
                    "characteristic_id": cid,
                    "plan_id": plan_id,
                    "plan": code,
                    "revision": revision,
                    "product": product,
                    "balloon": balloon,
                    "name": name,
                    "criticality": crit,
                    "study_id": sid,
                    "kind": kind,
                    "cpk": cpk,
                    "cpk_low": cpk_low,
                    "target": target,
                    "verdict": verdict,
                    "date": fields.Datetime.to_string(done) if done else False,
                    "band": band,
                    "cpk_band": band_of(cpk),
                    "interval_factor": BANDS[band][1],
                }
            )
        return {"lines": lines, "bands": [{"low": low, "factor": f} for low, f in BANDS]}

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
        lsl, usl = char._mqc_spec_limits()
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
        titles = self._titles(study)
        return spc_charts.capability_histogram(values.tolist(), stats, titles)

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
        titles = self._titles(study)
        png = spc_charts.capability_sixpack(values.tolist(), stats, titles)
        page["png"] = base64.b64encode(png).decode()
        page["changed_n"] = int(values.size) if values.size != study.n else False
        # The study's method (ISO 22514-2 percentiles give Ppk only).
        percentile = study.method_used == "percentile"
        try:
            result = capability(
                values, lsl=stats["lsl"], usl=stats["usl"], subgroup_size=stats["size"],
                method=percentile and "percentile" or "normal",
            )  # fmt: skip
        except SpcInputError:
            result = None
        judged = "ppk" if study.kind == "machine" or percentile else "cpk"
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
            if (key in ("cp", "pp") and not two_sided) or (percentile and key != judged):
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
        if result is not None and percentile:
            lines.append((_("Expected, fitted distribution"), dict(result.ppm_overall)))
        elif result is not None:
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
