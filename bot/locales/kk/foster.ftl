app-progress = { $total } қадамның { $step }-қадамы
app-step-full-name = Аты-жөніңіз кім? Тегі, аты, әкесінің аты.
app-step-birth-date = Туған күніңіз? Мысалы, 12.03.1988.
app-step-place = Қай қалада не ауылда тұрасыз?
app-step-phone = Телефон нөміріңіз: «📱 Нөмірімді жіберу» батырмасын басыңыз немесе жазыңыз, мысалы +7 701 234 56 78.
app-step-marital = Некедесіз бе?
app-step-spouse-agrees = Жұбайыңыз отбасыңызға бала қабылдауға келісе ме?
app-step-children = Қазір сізбен неше бала тұрады?
app-step-children-ages = Олар нешеде? Мысалы: 5, 9.
app-step-housing = Баспанаңыз қандай?
app-step-care-form = Отбасына орналастырудың қай түрі сізге жақын?
app-step-experience = Бала тәрбиелеу не балалармен жұмыс тәжірибеңіз бар ма?
app-step-motivation = Бірнеше сөйлеммен: неге отбасыңызға бала алғыңыз келеді?
app-step-call-time = Сізге қашан қоңырау шалған ыңғайлы?
app-option-marital-single = Жоқ
app-option-marital-married = Иә, некедемін
app-option-spouse-agrees-yes = Иә
app-option-spouse-agrees-no = Жоқ
app-option-spouse-agrees-not-asked = Әлі сөйлескен жоқпыз
app-option-children-0 = Бала жоқ
app-option-children-1 = 1
app-option-children-2 = 2
app-option-children-3 = 3
app-option-children-4plus = 4 не одан көп
app-option-housing-own = Өз үйіміз
app-option-housing-rent = Жалдаймыз
app-option-housing-family = Туыстарда
app-option-care-form-professional = Кәсіби қабылдаушы отбасы
app-option-care-form-foster = Қабылдаушы отбасы
app-option-care-form-guest = Қонақ отбасы
app-option-care-form-guardianship = Қорғаншылық
app-option-care-form-adoption = Бала асырап алу
app-option-experience-own-children = Өз балаларымды өсірдім
app-option-experience-work = Балалармен жұмыс істеймін не істедім
app-option-experience-little = Әзірге тәжірибем аз
app-option-call-time-morning = Таңертең (9–12)
app-option-call-time-afternoon = Күндіз (12–18)
app-option-call-time-evening = Кешке (18–21)
app-option-call-time-any = Кез келген уақытта
app-field-full-name = Аты-жөні
app-field-birth-date = Туған күні
app-field-place = Мекені
app-field-phone = Телефон
app-field-marital = Некеде
app-field-spouse-agrees = Жұбайының келісімі
app-field-children = Үйдегі балалар
app-field-children-ages = Жастары
app-field-housing = Баспана
app-field-care-form = Орналастыру түрі
app-field-experience = Тәжірибе
app-field-motivation = Неге
app-field-call-time = Қоңырау уақыты
app-button-share-phone = 📱 Нөмірімді жіберу
app-button-back = ⬅️ Артқа
app-button-edit = ✏️ { $field }
app-button-submit = 📨 Сауалнаманы жіберу
app-button-continue = ▶️ Жалғастыру
app-button-restart = 🔄 Басынан бастау
app-button-withdraw = Сауалнаманы кері алу
app-button-withdraw-yes = Иә, кері аламын
app-back = Жарайды, бір қадам артқа.
app-review-title = <b>Сауалнаманы тексеріп шығыңызшы:</b>
app-review-consent = Деректеріңіздің операторы: { $operator }. Сауалнаманы жіберу арқылы қызметкерлер сізбен хабарласу үшін осы жауаптарды өздерінің Telegram тобында көретініне келісесіз. Біз оларды сауалнама қаралып жатқанда және одан кейін тағы { $days } күн сақтаймыз; оларды /mydata көрсетеді, /forget кез келген уақытта өшіреді.
app-resume = Сізде аяқталмаған сауалнама бар ({ $total } қадамның { $step }-қадамы). Жалғастырамыз ба?
app-already-submitted = № { $number } сауалнамаңыз жіберіліп қойған. Қазір қай кезеңде екенін /status көрсетеді.
app-error-too-short = Сәл толығырақ жазыңызшы: кемінде { $minimum } таңба.
app-error-too-long = Сәл ұзын болып кетті: { $limit } таңбадан аспасын. Ештеңе жоғалған жоқ: қысқарақ етіп қайта жазыңыз.
app-error-date-unreadable = Күнді оқи алмадым. Былай жазыңызшы: 12.03.1988.
app-error-date-future = Бұл күн әлі келген жоқ. Тексеріп көріңізші.
app-error-date-too-old = Жылын тексеріп көріңізші.
app-age-minor = Сіз { $age } жастасыз: сауалнаманы тек кәмелетке толғандар бере алады. Жалғастыра беріңіз, қызметкерлер басқа мүмкіндіктерді айтып береді.
app-age-professional-range = Айта кетейік: кәсіби қабылдаушы отбасы 30 бен 63 жас аралығындағыларға арналған (сіз { $age } жастасыз). Басқа түрлері сай келуі мүмкін, жалғастырайық.
app-place-not-found = Бұл жерді таба алмадым. Өңіріңізді таңдаңызшы:
app-expected-text = Қысқа хабарламамен жауап беріңізші.
app-expected-choice = Батырмалардың бірін таңдаңызшы.
app-expected-date = Күнді жазыңызшы, мысалы 12.03.1988.
app-expected-phone = Нөміріңізді батырмамен жіберіңіз немесе жазыңыз.
app-expected-place = Қала не ауыл атын жазыңызшы.
app-status-title = <b>№ { $number } сауалнама</b>
app-status-submitted = Жіберілді. Жақында қызметкерлер танысу үшін сізге қоңырау шалады.
app-status-contacted = Сөйлестік. Келесі қадам — құжаттар жинау.
app-status-documents = Құжаттар. Әрқайсысын жинаған сайын белгілеп отырыңыз:
app-status-training = { $form ->
        [professional] Психологиялық дайындық, соңында сертификат беріледі.
        [guest] Қонақ отбасыларға арналған оқу.
        [foster] Қабылдаушы ата-аналар мектебінде оқу.
       *[other] Оқу: қайсысы керек екенін қорғаншылық және қамқоршылық органы айтады.
    } Күні жақындағанда еске саламыз.
app-status-home-visit = Келесі қадам — қорғаншылық органы мен біздің қызметкерлер үйіңізге келеді.
app-status-approved = 🎉 Қорғаншылық және қамқоршылық органы оң шешім қабылдады. Балаға үйіңіздің есігін ашқаныңызға рақмет.
app-status-not-approved = Бұл жолы қорғаншылық және қамқоршылық органы оң шешім қабылдамады. Қызметкерлер себебін және не істеуге болатынын түсіндіреді.
app-status-withdrawn = Кері алынды.
app-status-draft = Әлі жіберілген жоқ.
app-status-changed = 📄 Сауалнамаңыз бойынша жаңалық:
app-status-none = Жіберілген сауалнама әлі жоқ. /start → «🏡 Қабылдаушы отбасы болу».
app-checklist = Жиналған құжаттар: { $done } / { $total }.
app-withdraw-confirm = Сауалнаманы кері аласыз ба? Қызметкерлер ол бойынша жұмысты тоқтатады.
app-withdrawn = № { $number } сауалнама кері алынды. Жаңасын кез келген уақытта бере аласыз.
app-draft-reminder = Қабылдаушы отбасы сауалнамаңыз тоқтаған жеріңізде күтіп тұр. Жалғастырамыз ба? Бірнеше минут қана алады.
app-training-set = 🎓 { $form ->
        [professional] Психологиялық дайындығыңыз
        [guest] Қонақ отбасыларға арналған оқуыңыз
        [foster] Қабылдаушы ата-аналар мектебіндегі оқуыңыз
       *[other] Оқуыңыз
    }: { $when }. Бір күн бұрын еске саламыз.
app-training-reminder = 🎓 Еске саламыз: { $form ->
        [professional] психологиялық дайындық
        [guest] қонақ отбасыларға арналған оқу
        [foster] қабылдаушы ата-аналарға арналған оқу
       *[other] оқуыңыз
    } — { $when }. Сізді күтеміз!
