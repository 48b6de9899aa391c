"""Import of historical reports from a CSV file (docs/import.md describes the columns).

Two steps, both reading the same checks:

1. `check_file` reads and checks every row with the app's own rules (`actions.validate_report`,
   `protective_errors`, `decision_errors`, `closing_errors`, `parse_identity_number`) and lists
   every bad row with its line number and Swedish reasons. It writes nothing.
2. `import_file` checks again inside one transaction and, only when no row is bad, writes
   everything in bulk: children, cases, reports, assessments, investigations, and their
   Deadline rows through `tracking`. Any bad row, or any failure while writing, writes nothing.

A late step in the history with no reason in its column gets `LATE_REASON_UNRECORDED`: the app's
rule that a late step has a reason holds, the figures still count it as late, and the text says
plainly that no reason was recorded, instead of refusing history that cannot be corrected now.

The package's modules follow the steps: `files` (bytes to rows), `parsing` (cells to values),
`checking` (the app's rules, nothing written), `writing` (all or nothing, in bulk), `jobs` (an
import's life as a background job); `columns` and `rows` hold what they share.
"""

from tillit.children import tracking as tracking
from tillit.children.importing.checking import check_file as check_file
from tillit.children.importing.columns import LATE_REASON_UNRECORDED as LATE_REASON_UNRECORDED
from tillit.children.importing.columns import PHASE_CHECK as PHASE_CHECK
from tillit.children.importing.columns import PHASE_READ as PHASE_READ
from tillit.children.importing.columns import PHASE_WRITE as PHASE_WRITE
from tillit.children.importing.jobs import bad_rows_as_dicts as bad_rows_as_dicts
from tillit.children.importing.jobs import confirm as confirm
from tillit.children.importing.jobs import receive as receive
from tillit.children.importing.jobs import record_check as record_check
from tillit.children.importing.rows import BadRow as BadRow
from tillit.children.importing.rows import Check as Check
from tillit.children.importing.rows import ImportRefusedError as ImportRefusedError
from tillit.children.importing.rows import Summary as Summary
from tillit.children.importing.writing import import_file as import_file
