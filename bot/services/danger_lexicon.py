"""The danger lexicon: the one reviewed place for the words that raise a mother's case to
urgent (Kazakh, Russian, English, and the Latin transliterations people type on phones).
bot/services/triage.py folds and compiles it, and matches messages against it.

Precision and recall are not weighed equally. A false positive costs a staff member a minute
to look and downgrade the case; a false negative can cost a mother's or a baby's life. So the
lexicon prefers recall: stems rather than whole words, bare "срочно"/"urgent"/"шұғыл" count,
and a message that is only "помогите!" counts. Precision is kept only where a trap is clear
and common, each one noted next to its pattern:

* "на улице Абая", "Абай көшесі": a street address, not the street as a home. "на улице"
  counts only after a verb like "оказалась"/"ночую", at the end of the message, or before
  words like "с ребенком"; Kazakh only in the locative "көшеде", never "көшесі".
* "бьётся сердце", "убить время", "кровать", "he hit the jackpot", "су кетті" (the water
  supply is off): verbs are anchored to their endings or to "me"/"меня". Known and accepted
  false positives: "urgent question about documents", "бьет рекорды", "где переночевать".
* "he hits me" is violence but "I want to kill myself" is self-harm only.
* "брошенные дети", "abandoned children": foster-care questions; only the first person
  ("брошу ребенка", "баламды тастаймын", "leave my baby") counts.
* "помогите с документами", "как помочь фонду": ordinary requests; "помогите" counts only
  alone or with "срочно"/"скорее".

Patterns are written in plain, correct spelling: they are folded like the text when compiled
(see bot/services/triage.py).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping


class DangerSignal(enum.StrEnum):
    """What kind of danger a message reveals; a message may reveal several."""

    VIOLENCE = "violence"  # beating, threats, abuse, being locked in, threats to kill / take child
    NO_SHELTER = "no_shelter"  # nowhere to sleep tonight, thrown out, on the street
    URGENT_HELP = "urgent_help"  # "help now", "urgent", "SOS"
    SELF_HARM = "self_harm"  # suicidal thoughts, wanting to abandon or harm the baby
    MEDICAL = "medical"  # bleeding, labour started, baby not breathing, high fever of the baby


# Short names, so the lexicon below reads as data.
V, S, U, H, M = (
    DangerSignal.VIOLENCE,
    DangerSignal.NO_SHELTER,
    DangerSignal.URGENT_HELP,
    DangerSignal.SELF_HARM,
    DangerSignal.MEDICAL,
)

# ---------------------------------------------------------------------------------------------
# The lexicon. Each pattern is a regex fragment over normalized text (lower case, "е" for "ё",
# words separated by single spaces, no punctuation; apostrophes removed, so "don't" is "dont"
# and "b'et" is "bet"). A fragment matches at the start of a word; add (?!\w) where the word
# must end there. Use stems so inflections match.

_CHILD_RU = r"(?:ребен\w*|реб\w*|малыш\w*|сына|сын|доч\w*|дет\w*|младен\w*|новорожд\w*)"
_CHILD_EN = r"(?:baby|child|kid|kids|son|daughter|newborn)"
# Words after "на улице" that make it "we are on the street", not an address.
_STREET_NEXT_RU = (
    r"(?:с (?:ребен|реб|малыш|дет|груд|новорожд)|одна|одни|один|ночью|ночую|ночуем|живу|живем|"
    r"сплю|спим|сижу|сидим|стою|стоим|осталась|остались|оказалась|холод|мороз|зим|помог|"
    r"нам|мне|негде|уже|сейчас|сегодня|без|срочно)"
)

LEXICON: Mapping[str, Mapping[DangerSignal, tuple[str, ...]]] = {
    "ru": {
        V: (
            r"(?:из|по)?бьет(?!\w)",  # not "бьется" (a heart beats)
            r"(?:из|по)?бьют(?!\w)",
            r"бьешь",
            r"избива\w*",
            r"избил\w*",
            r"избит\w*",
            r"побил[аи]?(?!\w)",
            r"бил[аи]? (?:меня|нас|ребен|мен)",
            r"удар(?:ил|ила|или|ит|ять|яет)\w*",
            r"пина(?:ет|ют)",
            r"пнул\w*",
            r"душ(?:ит|ил|ила)(?!\w)",
            r"побо[ия]\w*",
            r"синяк\w*",
            r"угрож\w*",
            r"угроз\w*",
            r"убь(?:ет|ют|ю|ешь)(?!\w)",  # "убьёт", "убью"
            r"убить(?!\w)(?! время)",
            r"убил[аи]?(?!\w)",
            r"зареж\w*",
            r"насили\w*",
            r"изнасил\w*",
            r"надруга\w*",
            r"издева\w*",
            r"абьюз\w*",
            r"тиран\w*",
            r"(?:запер|запира|закрыл|закрыва)\w* (?:меня|нас|дома|в квартире|в комнате)",
            r"взаперти",
            r"не (?:выпуска|выпуст)\w*",
            r"(?:отбер|забер|отним|отнима|украд|увез)\w* (?:у меня )?(?:моего |мою |моих )?"
            + _CHILD_RU,
            r"боюсь (?:его|ее|мужа|сожител|парня|свекр|за (?:свою |нашу )?жизнь)\w*",
        ),
        S: (
            r"негде (?:пере)?ноче\w*",
            r"негде (?:спать|жить|остановит\w*|переждать|находит\w*)",
            r"(?:ночевать|спать|жить) негде",
            r"некуда (?:идти|пойти|деться|податься|ехать|уйти)",
            r"идти некуда",
            r"(?:пере)?ночевать(?!\w)",  # asking where to spend a night is asking for shelter
            r"нет (?:жиль\w*|крыши над головой|своего жиль\w*|где жить)",
            r"без (?:жиль\w*|крыши над головой)",
            r"бездомн\w*",
            r"выгна\w*",
            r"выгон(?:я|ит|ют)\w*",
            r"(?:выставил|выкинул|выбросил|выселил|выселя)\w* (?:меня |нас )?"
            r"(?:из (?:дома|квартиры)|на улицу|за дверь)",
            r"выселя\w*",
            # The street as a home, not an address: see the module docstring.
            r"(?:оказал|остал|выставил|выкинул|ночу|ночев|ночуем|сплю|спим|сижу|сидим)\w* "
            r"(?:\w+ )?на улиц[еу]",
            r"на улице " + _STREET_NEXT_RU,
            r"на улице$",
            r"(?:ночу\w*|сплю|спим|живу|живем|сижу|сидим|остал\w*) "
            r"(?:на вокзале|в подъезде|в машине|на лавке|в парке)",
        ),
        U: (
            r"срочн\w*",
            r"помоги(?:те)? (?:мне |нам |пожалуйста )*(?:срочно|скорее|быстрее|немедленно)",
            r"(?:скорее|быстрее) помоги\w*",
            r"^(?:пожалуйста |прошу |умоляю )*помоги(?:те)?"
            r"(?: (?:пожалуйста|мне|нам|нас|кто нибудь|прошу|умоляю))*$",
            r"спасите",
            r"умоляю",
            r"немедленн\w*",
            r"экстренн\w*",
            r"помощь (?:нужна )?(?:сейчас|прямо сейчас|немедленно)",
            r"нужна помощь (?:сейчас|прямо сейчас)",
            r"(?:вызов\w*|позвон\w*)(?: в)? (?:полици\w*|скор\w*|милици\w*)",
            r"sos(?!\w)",
        ),
        H: (
            r"поконч\w* с собой",
            r"поконч\w* с жизнью",
            r"не (?:хочу|хочется|могу) (?:больше )?жить",
            r"жить (?:больше )?не (?:хочу|хочется)",
            r"(?:хочу|хочется|лучше) умереть",
            r"нет смысла жить",
            r"суицид\w*",
            r"самоубийств\w*",
            r"(?:убить|убью|убила бы) себя",
            r"повес(?:ится|иться|илась|ился)",
            r"повешусь",
            r"вскр\w* вены",
            r"порез\w* (?:себе )?вены",
            r"наглота\w*",
            r"выпрыгн\w* (?:из окна|с )",
            r"уйти из жизни",
            r"счеты с жизнью",
            # Abandoning or harming the baby, first person only ("брошенные дети" is a
            # foster-care question).
            r"(?:оставлю|брошу|выброшу|подкину|подброшу) (?:своего |свою |моего |моих |его |ее )?"
            + _CHILD_RU,
            r"(?:хочу|хочется|придется|думаю) (?:оставить|бросить|отдать|выбросить|подкинуть)"
            r" (?:своего |свою |моего |моих |его |ее )?" + _CHILD_RU,
            r"(?:хочу|хочется|придется|думаю) (?:от него |от нее )?отказаться",
            r"(?:бросить|оставить) (?:\w+ )?в (?:роддоме|больнице)",
            r"отда\w* (?:\w+ )?в (?:детдом|детский дом|дом малютки|приют|интернат)",
            r"откаж\w* от (?:него|нее|" + _CHILD_RU + ")",
            r"отказ\w* от (?:ребен|малыш|новорожд)\w*",
            r"(?:наврежу|сделаю что ?нибудь|задушу|убью) (?:с )?(?:собой|ребен\w*|малыш\w*|его|ее)",
        ),
        M: (
            r"кровотечени\w*",
            r"кров\w* (?:ид\w*|течет|пошла|льет|хлещет|не останавлива\w*)",
            r"(?:идет|пошла|течет) кровь",
            r"истека\w* кровью",
            r"схватк\w*",
            r"(?:отошли|отходят) воды",
            r"воды (?:отошли|отходят)",
            r"рожаю",
            r"(?:начались|начинаются) роды",
            r"роды начал\w*",
            r"не дыш\w*",
            r"перестал\w* дышать",
            r"задыха\w*",
            r"посинел\w*",
            r"судорог\w*",
            r"без сознания",
            r"потерял\w* сознание",
            r"не просыпа\w*",
            r"отравил\w*",
            r"(?:температур\w*|темп) (?:под |за |выше )?(?:39|4[0-2])",
            r"(?:39|4[0-2])(?: \d)? (?:температур\w*|градус\w*)",
            r"(?:высок\w*|сильн\w*) (?:температур\w*|жар\w*)",
            r"скорая не (?:едет|приехала)",
        ),
    },
    "kk": {
        V: (
            r"ұр(?:ады|ды|ып|ған|атын|уда|айды|мақ|ма)(?!\w)",
            r"соқты(?!\w)",
            r"соққы\w*",  # written whole: doubled letters are squeezed before matching
            r"соғ(?:ады|ып|атын|уда|ды)(?!\w)",
            r"тепкіле\w*",
            r"теп(?:ті|еді)(?!\w)",
            r"қорқыт\w*",
            r"(?<!өзімді )өлтір\w*",  # "өзімді өлтіргім" is self-harm, below
            r"зорл\w*",
            r"зомбы\w*",
            r"қорла(?:й|п|ды|у)\w*",
            r"қамап\w*",
            r"қама(?:ды|йды)(?!\w)",
            r"(?:үйден|сыртқа|далаға) шығармай\w*",
            r"баламды (?:тартып|бермей|алып кетеді|алып кетті|алып қойды|әкетеді)\w*",
            r"(?:күйеуімнен|одан|енемнен) қорқамын",
        ),
        S: (
            r"(?:түнейтін|түнеу\w*|қонатын) (?:жер|орн|орын)\w*",  # asking for a night's place
            # "тұратын үй" alone may be an address ("the house I live in"): only with "жоқ".
            r"(?:тұратын|баратын|жататын) (?:жер|орн|орын|үй)\w* жоқ",
            r"баспана\w* жоқ",
            r"баспанасыз\w*",
            r"үйсіз\w*",
            r"панасыз\w*",
            r"үйім жоқ",
            r"үйден қу\w*",
            r"қуып (?:жібер|шық|шығар|таста|жатыр)\w*",
            r"қуды(?!\w)",
            r"(?:далаға|көшеге|үйден) (?:қу|шығар|таста|шығып кет)\w*",
            # The locative "көшеде" (on the street), never the address word "көшесі".
            r"көшеде (?:\w+ )?(?:қал|түне|ұйықта|жатыр|тұр|жүр|отыр|қонып)\w*",
            r"көшеде$",
            r"далада (?:\w+ )?(?:қал|түне|ұйықта|жатыр|қонып)\w*",
            r"вокзалда (?:қал|түне|ұйықта|жатыр|отыр)\w*",
        ),
        U: (
            r"қазір көмек",
            r"көмек (?:керек|қажет|беріңіз\w*) (?:қазір|тез|шұғыл|дереу|жедел)",
            r"(?:тез|тезірек|шұғыл|дереу|жедел) (?:көмек|көмектес)\w*",
            r"көмектес\w* (?:тез|тезірек|шұғыл|дереу|қазір)",
            r"шұғыл\w*",
            r"құтқар\w*",
            r"полиция\w* шақыр\w*",
            r"жедел (?:жәрдем|көмек)\w* шақыр\w*",
            r"^(?:өтінемін )?(?:көмектесіңіз\w*|көмектесіңдер\w*|көмек керек)(?: өтінемін)?$",
        ),
        H: (
            r"өзімді (?:өлтір|асып|жарақат|құрт)\w*",
            r"өзіме қол жұмса\w*",
            r"қол жұмсағ\w*",
            r"асылып өл\w*",
            r"өмір сүргі\w* келмей\w*",
            r"өмір сүр\w* (?:мән|мағына)\w* жоқ",
            r"өлгі\w* келеді",
            r"өліп (?:кеткі|қалғы)\w*",
            r"өлейін(?!\w)",
            r"баламды (?:тастай|тастап|тастағ|тастау|өлтір|лақтыр|беріп жібер)\w*",
            r"(?:баламнан|баладан|сәбиімнен|одан) бас тарт\w*",
            r"(?:баланы|сәбиді|сәбиімді) тастап кет\w*",
        ),
        M: (
            r"қан (?:кет|ағ|жүр|тоқтамай)\w*",
            r"қансырап\w*",
            r"толға[қғ]\w*",  # "толғақ", "толғағым": қ turns ғ before a vowel
            r"(?:суым|суы) кет(?:ті|іп)\w*",  # not "су кетті" (the water supply is off)
            r"босанып жатыр\w*",
            r"босана бастадым",
            r"дем ал(?:май|мады|мауда)\w*",
            r"тыныс ал(?:май|мады)\w*",
            r"тұншығ\w*",
            r"көгеріп кет\w*",
            r"есінен тан\w*",
            r"есін жоғалт\w*",
            r"талып қал\w*",
            r"(?:қызуы|ыстығы|температурасы|қызуым) (?:\w+ )?(?:жоғары|көтеріл|39|4[0-2])\w*",
            r"жедел жәрдем\w*",
        ),
    },
    "en": {
        V: (
            r"beats? (?:me|us|my|the baby|her)(?!\w)",
            r"beating (?:me|us|my)",
            r"beat me",
            r"beaten",
            # Not "hit the jackpot". "hitting" is "hiting" after squeezing: a doubled letter
            # must sit inside one literal, never across a group.
            r"hit(?:s|ing)? (?:me|us|my|the baby)(?!\w)",
            r"hurt(?:s|ing)? (?:me|us|my baby|the baby)(?!\w)",
            r"(?:punch|slap|kick|chok)(?:ed|es|s|ing)? (?:me|us|my)(?! out)(?!\w)",
            r"strangl\w*",
            r"abus\w*",
            r"violen\w*",
            r"threat\w*",
            r"(?:will|wants? to|going to|gonna|said he ?(?:will|would|d)|tried to) kill"
            r"(?! my ?self)",  # "I want to kill myself" is self-harm
            r"kill (?:me|us|my|the baby|her)(?!\w)",
            r"rape\w*",
            r"locks? (?:me|us) (?:in|up)",
            r"locked (?:me |us )?(?:in|up)",
            r"(?:wont|doesnt|does not|will not) let (?:me|us) (?:leave|out|go)",
            r"take (?:away )?(?:my|the|our) " + _CHILD_EN + r"s?(?: away)?",
            r"afraid of (?:him|her|my husband|my partner|my boyfriend)",
            r"scared of (?:him|her|my husband|my partner|my boyfriend)",
        ),
        S: (
            r"kick(?:ed|s)? (?:me |us )?out",
            r"thr(?:own|ew) (?:me |us )?out",
            r"nowhere to (?:sleep|stay|go|live)",
            r"no where to",
            r"homeless\w*",
            r"(?:no|any|a) (?:place|home|roof|shelter) to (?:sleep|stay|live|go)",
            r"no (?:home|roof over)(?!\w)",
            r"(?:have|got|has) no (?:home|place to (?:stay|live|sleep)|roof)",
            r"(?:live|living|sleep\w*|stuck|ended up|left|are|am|im|were|stay\w*) "
            r"(?:\w+ )?on the streets?(?! of)(?!\w)",
            r"sleep\w* (?:rough|outside|in (?:the|a|my) car|at the (?:station|airport))",
            r"evict\w*",
            r"(?:place|somewhere) to (?:stay|sleep)(?: \w+)? tonight",
        ),
        U: (
            r"help (?:me |us )?(?:please )?(?:now|asap|immediately|urgently|quickly|fast)",
            r"urgent\w*",
            r"emergenc\w*",
            r"asap",
            r"call (?:the )?(?:police|ambulance)",
            r"^(?:please )?help(?: (?:me|us|please|pls|plz))*$",
            r"save (?:me|us|my baby)",
        ),
        H: (
            r"kill(?:ing)? myself",
            r"end (?:my life|it all)",
            r"suicid\w*",
            r"(?:dont|do not|no longer|dont even) want to (?:live|be alive)",
            r"(?:want|wanna|going) to die",
            r"better off dead",
            r"(?:hurt|harm|cut)(?:ing)? myself",
            r"self ?harm\w*",
            r"(?:leave|leaving|abandon|abandoning|give up|giving up|give away|dump|drop off)"
            r" (?:my|the|our) " + _CHILD_EN,
            r"(?:hurt|harm|kill) (?:my|the) (?:baby|child|newborn)",
        ),
        M: (
            r"bleed\w*",
            r"(?:losing|lost|lot of|lots of) blood",
            r"contraction\w*",
            r"in labou?r",
            r"waters? (?:has |have )?(?:broke|broken)",
            r"(?:not|isnt|stopped|stop|cant|cannot|can not) (?:breath\w*)",
            r"(?:turning|turned|went|is) blue",
            r"unconscious\w*",
            r"faint(?:ed|ing)",
            r"seizure\w*",
            r"convuls\w*",
            r"fever\w*",
            r"temperature (?:of |is )?(?:39|4[0-2])",
        ),
    },
    # Russian and Kazakh in Latin letters, as typed on phones. Kazakh Latin diacritics are
    # folded before matching (ö -> o, ğ -> g, ı -> y), so "[qk]" covers both spellings of қ.
    "translit": {
        V: (
            r"(?:menya|nas) (?:iz|po)?b(?:y|j)?(?:e|yo|jo)?(?:t|ut|yut|jut)(?!\w)",
            r"(?:iz|po)?b(?:y|j)(?:e|yo|jo)t (?:menya|nas)",
            r"izbi(?:l|va|t)\w*",
            r"ub(?:y|j)?(?:u|et|ut|yu)(?!\w)",
            r"ubit (?:menya|nas|rebenk|reb)",
            r"ugro(?:z|zh)\w*",
            r"nasil(?:i|ie)\w*",
            r"[qk]or[qk]yt\w*",
            r"ur(?:ady|dy|yp)(?!\w)",
            r"so[gq](?:ady|yp)(?!\w)",
            r"so[qk]ty(?!\w)",
            r"(?<!ozimdi )oltir\w*",
            r"zorly\w*",
        ),
        S: (
            r"negde (?:pere)?no(?:ch|c)eva\w*",
            r"negde (?:spat|(?:zh|j)it)",
            r"nekuda (?:idti|itti|pojti|poiti)",
            r"(?:vy|vi)gna\w*",
            r"(?:bez|net) (?:zh|j)il\w*",
            r"na uli(?:ts|c)e$",
            r"baspana\w* (?:zh|j)o[qk]",
            r"(?:tuneitin|tuneytin|turatyn) (?:zh|j)er\w*",
            r"[kq]oshede [qk]al\w*",
            r"[qk]u(?:y|i)p (?:shy[qk]|shyg|(?:zh|j)iber)\w*",
            r"u(?:i|y)den [qk]u\w*",
        ),
        U: (
            r"pomogite (?:mne |nam )?(?:srochno|skoree)",
            r"srochn\w*",
            r"spasite",
            r"^pomogite(?: (?:pozhaluysta|pozhalujsta|pojalusta|pls))*$",
            r"[qk]azir [kq]omek",
            r"[kq]omek (?:kerek|qazhet|kazhet) (?:[qk]azir|tez|shugyl|shugil)",
            r"tez [kq]omek\w*",
            r"shu[gq](?:y|i)l\w*",
        ),
        H: (
            r"pokonch\w* s soboi|pokonch\w* s soboj|pokonch\w* s soboy",
            r"ne (?:h|x|kh)o(?:ch|c)u (?:zh|j)it",
            r"ozimdi [oö]ltir\w*",
            r"omir surgim kelmei\w*|omir surgim kelmey\w*",
            r"[oö]lgim keledi",
            r"balamdy tasta\w*",
            r"broshu rebenk\w*|ostavlyu rebenk\w*",
        ),
        M: (
            r"krovoteche\w*",
            r"krov (?:idet|id\w*|techet)",
            r"(?:s|sc|sk)(?:h|x)vatk\w*",
            r"ne dy(?:sh|s)it|ne di(?:sh|s)it",
            r"[qk]an ket\w*",
            r"tol[gq]a[qk]\w*",
            r"dem alma(?:i|y)\w*",
        ),
    },
}
