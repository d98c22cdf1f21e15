from . import mqc_control_plan_revise
from . import mqc_release
from . import mqc_spc_report_wizard
