from . import mqc_control_plan_revise
