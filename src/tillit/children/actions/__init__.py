"""Every change in a child's chain from report to follow-up. Each is one transaction.

An action checks its input first and raises ValidationError (keyed by field, in Swedish) before
anything is written, so a refused action changes nothing.

One module per stage of the chain: `intake`, `assessments`, `initial`, `investigation`,
`interventions`, `reassignment`; `common` holds the inputs and helpers they share.
"""

from tillit.children.actions.assessments import current_checklist as current_checklist
from tillit.children.actions.assessments import protective_errors as protective_errors
from tillit.children.actions.assessments import (
    record_protective_assessment as record_protective_assessment,
)
from tillit.children.actions.assessments import record_risk_assessment as record_risk_assessment
from tillit.children.actions.common import AttachmentInput as AttachmentInput
from tillit.children.actions.common import ChildRef as ChildRef
from tillit.children.actions.common import Errors as Errors
from tillit.children.actions.common import ReportInput as ReportInput
from tillit.children.actions.common import _may_hold as _may_hold
from tillit.children.actions.initial import Decision as Decision
from tillit.children.actions.initial import decide_initial_assessment as decide_initial_assessment
from tillit.children.actions.initial import decision_errors as decision_errors
from tillit.children.actions.initial import extend_initial_assessment as extend_initial_assessment
from tillit.children.actions.initial import open_investigation_of as open_investigation_of
from tillit.children.actions.intake import earlier_reports as earlier_reports
from tillit.children.actions.intake import register_report as register_report
from tillit.children.actions.intake import validate_report as validate_report
from tillit.children.actions.interventions import complete_follow_up as complete_follow_up
from tillit.children.actions.interventions import decide_intervention as decide_intervention
from tillit.children.actions.investigation import _closed_near_limit as _closed_near_limit
from tillit.children.actions.investigation import close_investigation as close_investigation
from tillit.children.actions.investigation import closing_errors as closing_errors
from tillit.children.actions.investigation import extend_investigation as extend_investigation
from tillit.children.actions.investigation import open_investigation as open_investigation
from tillit.children.actions.reassignment import reassign as reassign
