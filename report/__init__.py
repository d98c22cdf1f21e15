from . import control_plan_xlsx
from . import mqc_report_control_chart
