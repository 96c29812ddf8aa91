"""The forms of family care for a child in Kazakhstan (facts: shared/data/family_forms.md).

Pure data and rules, no aiogram: the texts are Fluent keys, the self-check is data, and
`evaluate` only sorts the answers. The guardianship authority decides; the bot informs.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class FamilyForm(enum.StrEnum):
    PROFESSIONAL = "professional"  # professional foster family (since 1 July 2025)
    FOSTER = "foster"
    GUEST = "guest"
    GUARDIANSHIP = "guardianship"
    ADOPTION = "adoption"


# The answers of the self-check: these values are those of `bot.ui.callbacks.CheckAnswer`, kept
# as plain strings here so the service does not import aiogram.
YES = "y"
NO = "n"
UNSURE = "u"


@dataclass(frozen=True)
class FormTexts:
    """Fluent keys of one form's information screen."""

    name: str  # the form's name, also its button
    who: str  # who may become a carer
    steps: str  # how it goes, step by step
    documents: str  # the heading of the documents list (the items come from DOCUMENTS)


def _texts(form: FamilyForm) -> FormTexts:
    prefix = f"foster-form-{form.value}"
    return FormTexts(f"{prefix}-name", f"{prefix}-who", f"{prefix}-steps", f"{prefix}-documents")


TEXTS: dict[FamilyForm, FormTexts] = {form: _texts(form) for form in FamilyForm}

# "ask_authority" stands where the sources give no full list: an honest item of the checklist.
_FOSTER_DOCUMENTS = (
    "application",
    "identity",
    "spouse_consent",  # if married
    "income_12m",
    "health_692",
    "housing",
    "marriage_certificate",  # if married
    "training_certificate",  # unless a close relative
)

# Each list holds only what family_forms.md names for that form; "ask_authority" stands for
# the rest, which the guardianship authority names.

DOCUMENTS: dict[FamilyForm, tuple[str, ...]] = {
    # egov.kz, "Передача ребенка в приемную семью".
    FamilyForm.FOSTER: _FOSTER_DOCUMENTS,
    # aqparat.info names the psychological training's certificate and the contract; no source
    # says the foster family's list applies as well.
    FamilyForm.PROFESSIONAL: ("psych_training_certificate", "contract", "ask_authority"),
    # The guest family's own training certificate (zakon.kz 6023046), not the foster school's.
    FamilyForm.GUEST: ("application", "identity", "guest_training_certificate", "ask_authority"),
    # A free state service (egov.kz 181pass_mon); the sources give no list.
    FamilyForm.GUARDIANSHIP: ("application", "identity", "ask_authority"),
    # Candidates register on eGov (Order No. 407); the rest is asked by the authority.
    FamilyForm.ADOPTION: ("egov_registration", "identity", "ask_authority"),
}


def doc_key(code: str) -> str:
    """The Fluent key of a document item: Fluent keys are kebab-case, codes snake_case."""
    return "foster-doc-" + code.replace("_", "-")


@dataclass(frozen=True)
class Question:
    """One rule as a yes/no question; `expected` is the answer that fits the rule."""

    code: str
    expected: bool

    @property
    def key(self) -> str:
        return "foster-q-" + self.code.replace("_", "-")

    @property
    def why_key(self) -> str:
        """Why the rule exists: shown right after the answer, and again in the result."""
        return "foster-why-" + self.code.replace("_", "-")

    @property
    def label_key(self) -> str:
        """The rule in a few words, for the result's lists."""
        return "foster-rule-" + self.code.replace("_", "-")


# Shared rules: the same question wherever the sources state the same requirement. A form asks
# only the rules family_forms.md gives for it: asking another form's rules (a record, a
# residence) would make the bot stricter than the law, e.g. for a foster family than adoption.
_ADULT = Question("adult", expected=True)
_RESIDENCE = Question("residence", expected=True)
_CONVICTION = Question("conviction", expected=False)
_HEALTH = Question("health_692", expected=False)

QUESTIONS: dict[FamilyForm, tuple[Question, ...]] = {
    # inform.kz: citizens aged 30 to 63 with a stable income; no record, residence, Order 692.
    FamilyForm.PROFESSIONAL: (
        Question("citizen", expected=True),
        Question("age_30_63", expected=True),
        Question("income", expected=True),
        _CONVICTION,
        _RESIDENCE,
        _HEALTH,
    ),
    # egov.kz's documents for the state service: health (Order 692), income for 12 months,
    # housing, the school for foster parents.
    FamilyForm.FOSTER: (
        _ADULT,
        _HEALTH,
        Question("income_12m", expected=True),
        Question("housing_docs", expected=True),
        Question("training", expected=True),
    ),
    # zakon.kz 6023046: the guest family's training certificate.
    FamilyForm.GUEST: (_ADULT, Question("training_guest", expected=True)),
    # egov.kz 181pass_mon gives no requirements: the authority names them.
    FamilyForm.GUARDIANSHIP: (_ADULT,),
    # Code art. 92 and egov.kz: the age gap is about a particular child, so it is not asked.
    FamilyForm.ADOPTION: (
        Question("capacity", expected=True),
        _RESIDENCE,
        Question("conviction_intentional", expected=False),
        Question("income_minimum", expected=True),
        _HEALTH,
    ),
}


@dataclass
class CheckResult:
    """Question codes sorted by the answers; nothing here is a decision."""

    fits: list[str] = field(default_factory=list)
    attention: list[str] = field(default_factory=list)  # answered against the rule
    unsure: list[str] = field(default_factory=list)  # "not sure", or not answered

    @property
    def all_fit(self) -> bool:
        return not self.attention and not self.unsure


def evaluate(form: FamilyForm, answers: Mapping[str, str]) -> CheckResult:
    """Sort the form's rules by the person's answers (`CheckAnswer` values or "y"/"n"/"u")."""
    result = CheckResult()
    for question in QUESTIONS[form]:
        answer = answers.get(question.code)
        if answer == YES or answer == NO:
            fits = (answer == YES) == question.expected
            (result.fits if fits else result.attention).append(question.code)
        else:
            result.unsure.append(question.code)
    return result


def question(form: FamilyForm, code: str) -> Question:
    return next(q for q in QUESTIONS[form] if q.code == code)
