from . import mqc_control_plan_revise
from . import mqc_release
