import io

from odoo import models
from odoo.tools.misc import xlsxwriter

from ..tools import client_input


class ControlPlanXlsx(models.AbstractModel):
    """XLSX export of a control plan revision: same content as the PDF."""

    _name = "report.mrp_quality_control.control_plan_xlsx"
    _description = "Control Plan XLSX Export"

    def _columns(self):
        _ = self.env._
        return [
            (_("Balloon"), 8, lambda c: c.balloon),
            (_("Characteristic"), 28, lambda c: c.name),
            (_("Kind"), 14, lambda c: c._display_value("kind")),
            (_("Class"), 9, lambda c: c._display_value("criticality")),
            (_("Type"), 14, lambda c: c._display_value("result_type")),
            (_("Nominal"), 10, lambda c: c.nominal if c.result_type == "measure" else ""),
            (_("Lower limit"), 11, lambda c: _lower(c)),
            (_("Upper limit"), 11, lambda c: _upper(c)),
            (_("Unit"), 7, lambda c: c.unit or ""),
            (_("Tolerance"), 26, lambda c: c.tolerance_display),
            (_("Operation"), 24, lambda c: c.operation_id.display_name or ""),
            (_("When"), 18, lambda c: c._display_value("pass_stage")),
            (_("Who controls"), 22, lambda c: c._display_value("control_type")),
            (_("Method"), 22, lambda c: _method(c)),
            (_("Frequency"), 26, lambda c: c.frequency_display),
            (_("Reaction: out of tolerance"), 40, lambda c: c.reaction_out_of_tolerance or ""),
            (_("Reaction: drift"), 40, lambda c: c.reaction_drift or ""),
        ]

    def render(self, plan):
        """The workbook of ``plan`` (a record, or its id when called remotely)."""
        if not isinstance(plan, models.BaseModel) or plan._name != "mqc.control.plan":
            plan = client_input.existing(
                self.env, "mqc.control.plan", plan, self.env._("Control Plan")
            )
        plan.ensure_one()
        plan.check_access("read")
        _ = self.env._
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Control plan")[:31])
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True}
        )
        cell = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        number = workbook.add_format({"border": 1, "num_format": "0.0000", "valign": "top"})

        sheet.write(0, 0, _("Control plan %(code)s", code=plan.code), title)
        facts = [
            (_("Product"), (plan.product_id or plan.product_tmpl_id).display_name),
            (_("Revision"), plan.revision),
            (_("State"), plan._fields["state"].convert_to_export(plan.state, plan)),
            (_("Drawing"), " ".join(filter(None, [plan.drawing_reference, plan.drawing_revision]))),
            (_("Approved by"), plan.approved_by_id.name or ""),
            (_("Approval date"), plan.approval_date and str(plan.approval_date) or ""),
            (_("Reason for change"), plan.change_reason or ""),
        ]
        for row, (label, value) in enumerate(facts, start=2):
            sheet.write(row, 0, label, bold)
            sheet.write(row, 1, value or "")
        top = len(facts) + 3
        columns = self._columns()
        for col, (label, width, _getter) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(top, col, label, header)
        for row, char in enumerate(plan.characteristic_ids, start=top + 1):
            for col, (_label, _width, getter) in enumerate(columns):
                value = getter(char)
                sheet.write(row, col, value, number if isinstance(value, float) else cell)
        row = top + len(plan.characteristic_ids) + 2
        for label, value in [
            (_("Corrosion protection between operations"), plan.corrosion_protection_between_ops),
            (_("Final corrosion protection"), plan.corrosion_protection_final),
            (_("Handling"), plan.handling),
            (_("Packaging"), plan.packaging),
            (_("Storage after control"), plan.storage),
        ]:
            sheet.write(row, 0, label, bold)
            sheet.write(row, 2, value or "")
            row += 1
        sheet.freeze_panes(top + 1, 2)
        workbook.close()
        return buffer.getvalue()


def _lower(char):
    lower = char._mqc_spec_limits()[0]
    return "" if lower is None else lower


def _upper(char):
    if char.result_type == "defects":
        return char.max_defects
    upper = char._mqc_spec_limits()[1]
    return "" if upper is None else upper


def _method(char):
    parts = [char._display_value("method_type")]
    for name in ("gauge_family_id", "ndt_method", "destructive_test"):
        value = char._display_value(name)
        if value:
            parts.append(value)
    return " - ".join(parts)
