"""The workspace's forms with more than a button: a pipeline step, a rejection."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..domain import LOST_REASONS, PIPELINE_STAGES, REJECT_REASONS
from ..dataio.limits import NOTE_CHARS
from ..forms import no_nul, strip
from ..i18n import label


class StageForm(FlaskForm):
    """Record the next step of a shortlisted supplier: the stage, the day it happened, a note (and why, if lost)."""

    stage = SelectField(_l("Stage"), validators=[DataRequired()])
    happened_on = DateField(_l("Date"), validators=[Optional()],
                            description=_l("When it happened (or is booked); today if left empty."))
    reason = SelectField(_l("Why was it lost?"), validators=[Optional()],
                         description=_l("Needed when the deal is lost."))
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Optional(), Length(max=NOTE_CHARS), no_nul])
    revision = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels in the interface language, so the choices are made per request.
        self.stage.choices = [(stage, label("match_status", stage)) for stage in PIPELINE_STAGES]
        self.reason.choices = [("", "—")] + [(reason, label("lost_reason", reason)) for reason in LOST_REASONS]


def reject_choices() -> list[tuple[str, str]]:
    """The reasons a candidate can be rejected for, labelled in the interface language."""
    return [(reason, label("reject_reason", reason)) for reason in REJECT_REASONS]
