"""Danger words in kk, ru, en and Latin transliterations raise a mother's case to urgent."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services import triage
from bot.services.triage import DangerSignal, detect_danger, is_danger, normalize

V = DangerSignal.VIOLENCE
S = DangerSignal.NO_SHELTER
U = DangerSignal.URGENT_HELP
H = DangerSignal.SELF_HARM
M = DangerSignal.MEDICAL

DANGER: list[tuple[str, set[DangerSignal]]] = [
    # --- Russian
    ("Муж меня бьёт", {V}),
    ("муж бьет меня каждый день, я боюсь", {V}),
    ("Он избил меня вчера", {V}),
    ("сожитель избивает меня и ребенка", {V}),
    ("Ударил меня при ребенке", {V}),
    ("Меня бьют дома", {V}),
    ("Он угрожает что убьёт меня", {V}),
    ("сказал что убьет нас обоих", {V}),
    ("Свекровь угрожает отобрать ребенка", {V}),
    ("он запер меня дома и не выпускает", {V}),
    ("Муж выгнал нас из дома, негде ночевать", {S}),
    ("Меня выгнали, нам негде спать сегодня", {S}),
    ("нет жилья, сегодня некуда идти", {S}),
    ("Мы с ребенком на улице", {S}),
    ("Я осталась на улице с ребенком 2 месяца", {S}),
    ("мы ночуем на вокзале", {S}),
    ("Нет крыши над головой", {S}),
    ("Помогите срочно!!!", {U}),
    ("СРОЧНО нужна помощь", {U}),
    ("помогииите", {U}),
    ("Помогите, пожалуйста!", {U}),
    ("SOS", {U}),
    ("у меня кровотечение после родов", {M}),
    ("кровь идет и не останавливается", {M}),
    ("начались схватки, что делать", {M}),
    ("Ребенок не дышит!!!", {M}),
    ("у малыша температура 39,5", {M}),
    ("у ребенка высокая температура уже второй день", {M}),
    ("я не хочу жить", {H}),
    ("хочу покончить с собой", {H}),
    ("Брошу ребенка в роддоме, не могу больше", {H}),
    ("думаю оставить ребенка в роддоме", {H}),
    ("хочу отказаться от ребенка", {H}),
    ("Муж бьет, выгнал на улицу, помогите срочно", {V, S, U}),
    ("Он меня избил и выгнал, я не хочу жить", {V, S, H}),
    # --- Kazakh (Cyrillic, with and without Kazakh letters)
    ("Күйеуім мені ұрады", {V}),
    ("ол мені ұрып-соғады", {V}),
    ("Кеше мені соқты", {V}),
    ("күйеуім қорқытады, өлтіремін дейді", {V}),
    ("Үйде зорлық-зомбылық", {V}),
    ("енем үйден қуып жіберді", {S}),
    ("Мені үйден қуып шықты", {S}),
    ("Бүгін түнейтін жерім жоқ", {S}),
    ("баспанам жоқ, баламмен көшеде қалдым", {S}),
    ("Қазір көмек керек!", {U}),
    ("тез көмектесіңіз", {U}),
    ("шұғыл!!!", {U}),
    ("казир комек керек", {U}),  # typed without a Kazakh keyboard
    ("қан кетіп жатыр", {M}),
    ("Толғағым басталды", {M}),
    ("балам дем алмай жатыр", {M}),
    ("Өзімді өлтіргім келеді", {H}),
    ("өмір сүргім келмейді", {H}),
    ("Баламды тастаймын", {H}),
    # --- English
    ("He beats me", {V}),
    ("my husband hit me again", {V}),
    ("He hurts me and threatens to take my baby", {V}),
    ("He said he will kill me", {V}),
    ("I was kicked out, nowhere to sleep tonight", {S}),
    ("We are homeless", {S}),
    ("thrown out of the house with my newborn", {S}),
    ("HELP ME NOW", {U}),
    ("urgent question about documents", {U}),  # a false positive we accept: staff downgrade
    ("emergency!", {U}),
    ("I'm bleeding a lot", {M}),
    ("contractions every 5 minutes", {M}),
    ("my baby is not breathing", {M}),
    ("I want to kill myself", {H}),
    ("I don't want to live anymore", {H}),
    ("I will leave the baby at the hospital", {H}),
    # --- Latin transliterations
    ("menya b'et muzh", {V}),
    ("on menya izbil", {V}),
    ("skazal ubyu", {V}),
    ("negde nochevat s rebenkom", {S}),
    ("pomogite srochno", {U}),
    ("qazir komek kerek", {U}),
    ("kazir kömek kerek", {U}),
    ("kuyeuim urady", {V}),
    ("ne hochu zhit", {H}),
    ("krovotechenie", {M}),
    # --- Case, punctuation, emoji, repeated letters, markup, invisible characters
    ("ПОМОГИТЕ СРООООЧНО 😭😭😭", {U}),
    ("он...меня...бьет", {V}),
    ("<b>он меня бьёт</b>", {V}),
    ("он\u200bменя\u200bбьет", {V}),
    ("у меня кровотечение!!!🙏🙏", {M}),
    ("heeeelp me noooow", {U}),
    ("мен\u0456 ұрады", {V}),
    ("бiз көшеде қалдық", {S}),  # a Latin "i" inside a Kazakh word
]

SAFE: list[str] = [
    "I would like to learn about foster care",
    "How can I become a foster parent in Almaty?",
    "Can I help abandoned children?",
    "Бала асырап алу туралы білгім келеді",
    "Қамқоршы отбасы болғым келеді",
    "Где находится дом мамы в Караганде?",
    "у меня ребенок 2 месяца",
    "мы живём на улице Абая",
    "Дом мамы на улице Ленина 5?",
    "Адрес: г. Астана, улица Кенесары 40",
    "Абай көшесі 15, Алматы",
    "Мен Абай көшесінде тұрамын",
    "he hit the jackpot",
    "Здравствуйте!",
    "Добрый день",
    "Сәлеметсіз бе",
    "hello",
    "спасибо",
    "Спасибо, вы очень помогли",
    "рахмет",
    "Рахмет сізге!",
    "12345",
    "+7 701 555 12 34",
    "Караганда",
    "Шымкент",
    "Almaty",
    "Как стать приемной семьей?",
    "Какие документы нужны для опеки?",
    "Помогите с документами, пожалуйста",
    "Как помочь фонду?",
    "Хочу стать волонтером",
    "Қалай көмектесе аламын?",
    "Можно ли приехать с ребенком 3 лет?",
    "Нужна кроватка для ребенка",
    "Сердце бьется быстро от радости",
    "Купила билеты на поезд",
    "Как помочь брошенным детям?",
    "We want to donate baby clothes",
    "What documents are needed for guardianship?",
    "ok",
    "да",
    "",
    "   ",
    "🙂",
]


@pytest.mark.parametrize(("text", "expected"), DANGER)
def test_danger_message(text: str, expected: set[DangerSignal]) -> None:
    assert detect_danger(text) == frozenset(expected), text
    assert is_danger(text)


@pytest.mark.parametrize("text", SAFE)
def test_safe_message(text: str) -> None:
    assert detect_danger(text) == frozenset(), text
    assert not is_danger(text)


def test_table_sizes() -> None:
    assert len(DANGER) >= 60
    assert len(SAFE) >= 25


def test_every_signal_and_language_in_the_lexicon() -> None:
    for language in ("ru", "kk", "en", "translit"):
        assert set(triage.LEXICON[language]) == set(DangerSignal), language
    covered = set().union(*(expected for _, expected in DANGER))
    assert covered == set(DangerSignal)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Он\u200bменя   БЬЁТ!!! ", "он меня бьет"),
        ("Қазір_көмек керек.", "қазір көмек керек"),
        ("don't", "dont"),
        ("Ёлка\u00ad\ufeff", "елка"),
        ("<b>SOS</b>", "b sos b"),
        ("ＳＯＳ", "sos"),  # full-width letters
        ("\t\n", ""),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_keeps_kazakh_letters() -> None:
    assert normalize("ӘҒҚҢӨҰҮҺІ әғқңөұүһі") == "әғқңөұүһі әғқңөұүһі"


def test_patterns_are_compiled_once_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(triage.PATTERNS) == set(DangerSignal)
    for pattern in [*triage.PATTERNS.values(), triage.ANY_PATTERN]:
        assert isinstance(pattern, re.Pattern)

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("detect_danger compiled a regex")

    monkeypatch.setattr(re, "compile", no_compiling)
    monkeypatch.setattr(re, "_compile", no_compiling)
    assert detect_danger("Муж бьёт, помогите срочно, қазір көмек керек") == {V, U}
    assert detect_danger("he beats me heeelp now бiз көшеде қалдық") == {V, U, S}


def test_non_string_input_is_safe() -> None:
    assert detect_danger(None) == frozenset()  # type: ignore[arg-type]
    assert detect_danger(b"bytes") == frozenset()  # type: ignore[arg-type]


def test_long_and_odd_messages() -> None:
    assert detect_danger("а" * 4096) == frozenset()
    assert detect_danger("😀" * 4096) == frozenset()
    assert detect_danger("ы " * 2047 + "бьет") == {V}
    assert detect_danger("x" * 4000 + " help me now") == {U}
    assert detect_danger("\x00\ud800\U0010ffff") == frozenset()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=4096))
def test_detect_danger_never_raises(text: str) -> None:
    result = detect_danger(text)
    assert isinstance(result, frozenset)
    assert result <= set(DangerSignal)
    assert is_danger(text) == bool(result)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=300))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert "  " not in once and once == once.strip()
