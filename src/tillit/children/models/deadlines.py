"""Every due date of child and family, stored as derived from the records: the workbench and the
figures read here.

The rows are the generic deadline rows (`tillit.deadlines.due_models.DueItem`) of the four kinds
below, each about one subject: a child's track (protective and initial assessments), an
investigation or a follow-up. `Deadline` is the proxy that sees only those kinds and names the
subject by its role (`track`, `investigation`, `follow_up`). A row is rewritten by
`tillit.children.tracking.sync_*` whenever its source records change, and `tillit
rebuild_deadlines` rewrites them all, so nothing depends on a timer or a process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils.translation import gettext_lazy as _

from tillit.children.models.investigations import FollowUp, Investigation
from tillit.children.models.reports import ReportedChild
from tillit.deadlines.due_models import DueItem

if TYPE_CHECKING:
    from tillit.individuals.models import Individual
    from tillit.organisation.models import Unit


class DeadlineKind(models.TextChoices):
    """Same codes as the legal rules in `tillit.deadlines`."""

    PROTECTIVE = "skyddsbedomning", _("Skyddsbedömning")
    INITIAL = "forhandsbedomning", _("Förhandsbedömning")
    INVESTIGATION = "utredning", _("Utredning")
    FOLLOW_UP = "uppfoljning", _("Uppföljning")


# The subject of each role, by the name the rows have always called it.
SUBJECTS: dict[str, type[models.Model]] = {
    "track": ReportedChild,
    "investigation": Investigation,
    "follow_up": FollowUp,
}


def content_type_id(model: type[models.Model]) -> int:
    """The subject model's content type (cached by Django after the first look-up)."""
    return int(ContentType.objects.get_for_model(model).pk)


def subject_q(subject: models.Model) -> Q:
    """The rows about SUBJECT, on the indexed subject columns (no join)."""
    return Q(content_type_id=content_type_id(type(subject)), object_id=subject.pk)


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    def _with_subject_ids(self, fields: tuple[Any, ...]) -> DeadlineQuerySet:
        # "track_id" and its like were columns: now each is the subject's id when the subject
        # has that role, computed from the subject columns without a join.
        wanted = {
            field: Case(
                When(content_type_id=content_type_id(SUBJECTS[field[:-3]]), then=F("object_id")),
                default=None,
            )
            for field in fields
            if isinstance(field, str) and field.endswith("_id") and field[:-3] in SUBJECTS
        }
        return self.annotate(**wanted) if wanted else self

    def values(self, *fields: Any, **expressions: Any) -> Any:
        return super(DeadlineQuerySet, self._with_subject_ids(fields)).values(
            *fields, **expressions
        )

    def values_list(self, *fields: Any, flat: bool = False, named: bool = False) -> Any:
        return super(DeadlineQuerySet, self._with_subject_ids(fields)).values_list(
            *fields, flat=flat, named=named
        )


class DeadlineManager(models.Manager["Deadline"]):
    def get_queryset(self) -> DeadlineQuerySet:
        return DeadlineQuerySet(self.model, using=self._db).filter(kind__in=DeadlineKind.values)


def _subject_property(role: str) -> property:
    model = SUBJECTS[role]

    def get(self: Deadline) -> Any:
        if self.content_type_id != content_type_id(model):
            return None
        return self.subject

    def put(self: Deadline, value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, model):
            raise TypeError(f"{role} must be a {model.__name__}")
        # Sets the subject columns and caches the record: reading it back needs no query.
        self.subject = value

    return property(get, put)


def _subject_id_property(role: str) -> property:
    model = SUBJECTS[role]

    def get(self: Deadline) -> int | None:
        return self.object_id if self.content_type_id == content_type_id(model) else None

    def put(self: Deadline, value: int | None) -> None:
        if value is None:
            return
        self.content_type_id = content_type_id(model)
        self.object_id = value

    return property(get, put)


class Deadline(DueItem):
    """A child-and-family deadline: a `DueItem` of one of the four kinds, about one subject."""

    objects: ClassVar[DeadlineManager] = DeadlineManager()

    if TYPE_CHECKING:
        # Always set on child and family's rows (the generic row leaves them optional).
        unit: Unit
        individual: Individual

    track = _subject_property("track")
    track_id = _subject_id_property("track")
    investigation = _subject_property("investigation")
    investigation_id = _subject_id_property("investigation")
    follow_up = _subject_property("follow_up")
    follow_up_id = _subject_id_property("follow_up")

    class Meta:
        proxy = True
        verbose_name = _("tidsgräns")
        verbose_name_plural = _("tidsgränser")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"

    @staticmethod
    def subject_fields(subject: models.Model) -> dict[str, int]:
        """The subject columns of a row about SUBJECT (saved or not: its id is enough)."""
        return {"content_type_id": content_type_id(type(subject)), "object_id": subject.pk}

    def get_kind_display(self) -> str:
        try:
            return str(DeadlineKind(self.kind).label)
        except ValueError:
            return self.kind

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def met_legal_limit(self) -> bool | None:
        """Done by the legal due date (extensions not counted); None while still open."""
        if self.completed_on is None:
            return None
        return self.completed_on <= self.effective_due
