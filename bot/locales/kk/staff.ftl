staff-card-title = 🆕 <b>№ { $case } өтініш</b>
staff-card-title-urgent = 🚨 <b>ШҰҒЫЛ · № { $case } өтініш</b>
staff-card-kind = Кім: { $kind }
staff-card-safety = Қауіпсіздігі: { $safety }
staff-card-danger-words = ⚠️ Хабарламаларында қауіп туралы сөздер бар.
staff-card-region = Өңір: { $region }
staff-card-house = Ең жақын үй: { $house }
staff-card-contact = Байланыс: { $phone } · { $way } · { $time }
staff-card-shared-phone = 🔒 Телефон ортақ: абайлап жазыңыз, бірінші жолда ештеңе ашып айтпаңыз.
staff-card-note = Жазба:
staff-card-source = Қайдан келді: { $source }
staff-card-language = Тілі: { $language }
staff-kind-pregnant = жүкті
staff-kind-baby = сәбиі бар ана
staff-kind-other = басқа
staff-safety-danger = қазір қауіпте
staff-safety-no-shelter = бүгін түнейтін жері жоқ
staff-safety-safe = қазір қауіпсіз
staff-way-call = қоңырау
staff-way-message = Telegram-дағы хабарлама
staff-way-write-only = тек жазу, қоңырау шалмау
staff-time-any = кез келген уақытта
staff-time-morning = таңертең (9–12)
staff-time-afternoon = күндіз (12–18)
staff-time-evening = кешке (18–21)
staff-case-raised-urgent = 🚨 № { $case } өтініш шұғыл деп белгіленді: хабарламасында қауіп туралы сөздер бар.
staff-case-forgotten = № { $case } өтініш: адам /forget арқылы деректерін өшірді. Онымен хабарласпаңыз.
staff-card-status = Күйі: { $status }
staff-card-taken-by = Қолға алған: { $name }
staff-card-waiting = Күтіп отыр: { $waiting }
staff-card-forgotten = 🗑 Ол деректерін өшірді: байланыс енді жоқ.
staff-status-new = жаңа
staff-status-taken = қолға алынды
staff-status-in-progress = жұмыста
staff-status-waiting = оның жауабын күтудеміз
staff-status-closed = жабылды
staff-wait-minutes = { $minutes } мин
staff-wait-hours = { $hours } сағ { $minutes } мин
staff-wait-days = { $days } күн
staff-button-take = ✋ Алу
staff-button-note = 📝 Жазба
staff-button-remind = ⏰ Еске салу
staff-button-status = 📋 Күйі
staff-button-close = ✅ Жабу
staff-button-reopen = ↩️ Қайта ашу
staff-button-back = ⬅️ Артқа
staff-button-in-progress = 🔄 Жұмыста
staff-button-waiting = ⏳ Жауабын күтудеміз
staff-button-remind-hour = Бір сағаттан кейін
staff-button-remind-tomorrow = Ертең 10:00-де
staff-button-remind-type = ✍️ Басқа уақыт
staff-topic-name = № { $case } · { $kind }
staff-topic-recreated = ♻️ Тақырып өшірілген еді, қайта аштым. Өтініш бойынша соңғы хабарламалар ({ $count }):
staff-history-person = ол
staff-history-staff = қызметкер
staff-history-note = жазба
staff-relay-edited = ✏️ Ол хабарламасын түзетті:
staff-relay-not-copied = ⚠️ Ол жіберген хабарламаны Telegram мұнда көшіруге мүмкіндік бермеді (мүмкін, ол оны өшіріп тастаған). Одан хабарламаны қайта жіберуін сұрадық.
staff-denied = Мұны тек қор қызметкерлері істей алады.
staff-denied-role = Рөліңіз бұған рұқсат бермейді.
staff-case-out-of-scope = Бұл өтінішпен басқа үй немесе басқа топ айналысады: мұнда онымен жұмыс істеу мүмкін емес. Көмек керек болса, үйлестірушіге жазыңыз.
staff-private-only = 🔒 Бұл команда жеке деректерді көрсетеді, сондықтан тек менімен жеке чатта жұмыс істейді. Ботпен жеке чатты ашып, сол жерге жіберіңіз.
staff-already-taken = Алынып қойған: { $name }.
staff-taken-by-you = Өтініш сізде.
staff-closed = Өтініш жабылды.
staff-reopened = Өтініш қайта ашылды.
staff-case-missing = Бұл өтініш енді жоқ.
staff-note-ask = 📝 № { $case } өтініш: жазбаңызды осы хабарламаға жауап ретінде жіберіңіз. Оны тек қызметкерлер көреді.
staff-note-saved = 📝 Жазба сақталды. Ол мұны көрмейді.
staff-note-empty = Жазба бос, ештеңе сақталмады.
staff-note-where = /note мен мәтінді өтініш тақырыбында немесе оның карточкасына жауап ретінде жазыңыз.
staff-remind-ask = ⏰ № { $case } өтініш: қашан еске салайын? Мысалы, 18:30 немесе 26.11 10:00.
staff-remind-bad-time = Уақытты оқи алмадым. Мысалы, 18:30 немесе 26.11 10:00 деп жазыңыз.
staff-remind-set = ⏰ { $at } кезінде еске саламын.
staff-reply-not-linked = Бұл хабарлама ешбір өтінішке байланысты емес. Өтініш тақырыбында немесе карточкасына жауап ретінде жазыңыз.
staff-case-closed-reply = Өтініш жабық, хабарлама жіберілмеді. Оған жазу үшін өтінішті қайта ашыңыз.
staff-person-forgotten = Ол /forget арқылы деректерін өшірді: хабарламаны жеткізу мүмкін емес.
staff-not-delivered-blocked = ⚠️ Жеткізілмеді: ол ботты бұғаттаған.
staff-not-delivered = ⚠️ Жеткізілмеді: Telegram хабарламаны қабылдамады. Қайталап көріңіз.
staff-help =
    Қызметкерлерге арналған командалар:
    /queue — ашық өтініштер, шұғылы жоғарыда
    /my — менің өтініштерім
    /case N — өтініш және соңғы хабарламалар
    /find N не телефон — іздеу
    /stats [кезең] — сандар мен график
    /export [кезең] [personal] — CSV және XLSX
    /note мәтін — өтініш тақырыбындағы жазба (немесе хабарламаны ! белгісімен бастаңыз)
    /sign on|off — жауаптарыма қол қою
    /training N күн уақыт — қабылдаушы ата-ана үміткерінің оқу күні
    /staff, /invite, /remove, /audit N — қызметкерлер мен журнал (админдерге)
    🔒 /invite, /staff, /audit, /export … personal және телефон бойынша іздеу — тек ботпен жеке чатта. Топта командалар тек осы топтың өтініштерін көрсетеді.
staff-queue-title = <b>Ашық өтініштер: { $count }</b>
staff-my-title = <b>Менің өтініштерім: { $count }</b>
staff-queue-empty = Ешкім күтіп отырған жоқ. 🌿
staff-case-usage = Өтініш нөмірін жазыңыз: /case 12
staff-find-usage = Өтініш нөмірін не телефонды жазыңыз: /find 12 немесе /find +7 701 234 56 78
staff-find-none = Ештеңе табылмады.
staff-period-usage = Кезең: 7d, 30d, week, month немесе екі күн: 01.11.2026 30.11.2026
staff-export-done = Өтініштер: { $cases }, сауалнамалар: { $applications }.
staff-audit-title = <b>Соңғы әрекеттер ({ $count })</b>
staff-invite-usage = /invite admin|coordinator|house [үй id-і]
staff-invite-link = «{ $role }» рөліне шақыру, бір рет жарайды, мерзімі: { $until }:
    { $link }
staff-list-title = <b>Қызметкерлер: { $count }</b>
staff-list-from-settings = баптаулардан
staff-remove-usage = /remove және қызметкердің Telegram id-і
staff-removed = { $id } енді қызметкер емес.
staff-remove-unknown = { $id } қызметкерлер тізімінде жоқ.
staff-remove-groups = Қызметкерлер топтарынан шығарылды: { $count }.
staff-remove-group-failed = ⚠️ { $chat } тобынан шығару мүмкін болмады ({ $reason }). Ботты қатысушыларды бұғаттау құқығы бар әкімші етіп, /remove командасын қайталаңыз.
staff-remove-reminders = Тоқтатылған еске салғыштар: { $count }.
staff-remove-cases = Кезекке қайтты: { $cases }.
staff-remove-no-cases = Алған өтініштері болмады.
staff-remove-settings-admin = { $id } — баптаулардағы әкімші (ADMIN_IDS). Оны сол жерден алып тастап, ботты қайта іске қосыңыз.
staff-stranger-joined-group = ⚠️ Топқа қызметкер рөлі жоқ адам кірді: { $name } (id { $id }). Әзірге мұнда жеке деректерді жазбаңыз. Әкімшілерге хабарланды.
staff-stranger-joined-admin = ⚠️ { $chat } қызметкерлер тобына рөлі жоқ адам кірді: { $name } (id { $id }).
    Жаңа әріптес болса, оған шақыру жіберіңіз (/invite). Әйтпесе /remove { $id } оны барлық қызметкерлер топтарынан шығарады.
staff-relay-batch = 📨 Оның қатарынан жазған хабарламалары ({ $count }), бірге жиналды:
staff-relay-batch-file = 📨 Оның қатарынан жазған хабарламалары ({ $count }) бір хабарламаға сыймайды: бәрі файлда.
staff-sign-on = Жауаптарыңыздың соңында атыңыз тұрады.
staff-sign-off = Жауаптарыңыз қор атынан, қолсыз жіберіледі.
staff-sign-admin = Баптаулардағы админдер қор атынан жауап береді.
staff-role-admin = админ
staff-role-coordinator = үйлестіруші
staff-role-house-staff = үй қызметкері
stats-title = <b>{ $since } – { $until } аралығындағы сандар</b>
stats-total = Өтініштер: { $count }
stats-open-closed = Ашық: { $open }, жабық: { $closed }
stats-median-response = Алғашқы жауапқа дейінгі медиана: { $minutes } мин (алынғаны: { $count })
stats-median-response-none = Әзірге бірде-бір өтініш алынған жоқ.
stats-by-week = Апта бойынша:
stats-by-kind = Кім жүгінді:
stats-kind-name = { $kind ->
        [pregnant] жүкті әйелдер
        [baby] сәбиі бар аналар
       *[other] басқа
    }
stats-by-urgency = Шұғылдығы:
stats-urgency-name = { $urgency ->
        [urgent] шұғыл
       *[normal] әдеттегі
    }
stats-by-region = Өңірлер бойынша:
stats-region-unknown = өңірі белгісіз
stats-by-source = Қайдан келді:
stats-source-direct = тікелей
stats-applications = Қабылдаушы отбасылардың сауалнамалары: { $count }
stats-application-status-name = { $status ->
        [draft] жоба
        [submitted] жіберілді
        [contacted] хабарластық
        [documents] құжаттар
        [training] оқу
        [home_visit] үйге бару
        [approved] мақұлданды
        [not_approved] мақұлданбады
        [withdrawn] кері алынды
       *[other] { $status }
    }
stats-chart-title = Апта сайынғы өтініштер
stats-chart-week = апта
staff-escalation-group = ⏰ № { $case } өтініш әлі күтіп тұр: оны ешкім алмады. Алыңызшы.
staff-escalation-private = ⏰ № { $case } өтініш күтіп тұр, оны ешкім алмады. { $link }
staff-reminder = ⏰ Еске салу: № { $case } өтініш. { $link }
staff-follow-up-failed = ⚠️ Тапсырма ({ $kind }, № { $case } өтініш) бірнеше рет орындалмай, тоқтатылды. Өтінішті тексеріңіз.
staff-group-unreachable = ⚠️ Бот қызметкерлер тобына ({ $chat }) жаза алмайды: оны топтан шығарып жіберген немесе құқығын алып тастаған. Жаңа өтініштер күтіп тұр, ботты қайтадан әкімші етсеңіз, сол топқа келеді.
staff-digest-title = <b>Бүгін күтіп отырғандар: { $count }</b>
staff-burst-title = 📥 <b>Бірден { $count } жаңа өтініш түсті.</b> Telegram топқа минутына 20 хабардан артық жібермейді, сондықтан карточкалар кезекпен келеді.
staff-burst-more = …тағы { $count }
staff-burst-hint = Кез келген өтінішті қазір ашу үшін: /case және нөмірі.
staff-check-in-yes = ✅ № { $case } өтініш: онымен хабарласқанын растады.
staff-check-in-not-yet = 🚨 № { $case } өтініш: онымен әлі ешкім хабарласпағанын жазды. Өтініш қайта шұғыл.
staff-check-in-no-need = № { $case } өтініш: оған көмек енді керек емес, өтініш жабылды.
staff-check-in-blocked = ⚠️ № { $case } өтініш: «сізбен хабарласты ма?» сұрағы жетпеді — ол ботты бұғаттаған.
staff-app-title = 🏡 <b>№ { $number } қабылдаушы отбасы сауалнамасы</b>
staff-app-status = Күйі: { $status }
staff-app-status-submitted = жіберілді
staff-app-status-contacted = хабарластық
staff-app-status-documents = құжаттар
staff-app-status-training = оқу
staff-app-status-home-visit = үйге бару
staff-app-status-approved = мақұлданды
staff-app-status-not-approved = мақұлданбады
staff-app-status-withdrawn = өтініш беруші кері алды
staff-app-status-draft = жоба
staff-app-set-contacted = 📞 Хабарластық
staff-app-set-documents = 📄 Құжаттар
staff-app-set-training = 🎓 Оқу
staff-app-set-home-visit = 🏠 Үйге бару
staff-app-set-approved = ✅ Мақұлданды
staff-app-set-not-approved = ✖️ Мақұлданбады
staff-app-final = Шешім қабылданды, күйі енді өзгермейді.
staff-app-relay-not-copied = ⚠️ № { $number } сауалнама: үміткер жіберген хабарды Telegram мұнда көшіруге рұқсат бермеді (мүмкін, ол өшірілген). Қайта жіберуін сұрадық.
staff-app-status-unchanged = Бұл күй бұрыннан қойылған, үміткерге хабарланған.
staff-app-notified = Дайын, өтініш берушіге хабарланды.
staff-app-not-notified = Дайын, бірақ хабар өтініш берушіге жетпеді.
staff-training-usage = Сауалнама нөмірін, күнін және уақытын жазыңыз: /training 12 26.12 10:00
staff-training-set = 🎓 № { $number } сауалнама бойынша оқу: { $when }. Өтініш берушіге хабарланды, бір күн бұрын еске саламыз.
staff-reminder-application = ⏰ Еске салу: № { $number } қабылдаушы отбасы сауалнамасы.
staff-app-forgotten = 🗑 Бұл сауалнаманы өтініш беруші /forget арқылы өшірді.
staff-removed-on-request = 🗑 Адамның өтініші бойынша өшірілді.
staff-card-expired = 🗑 Деректер сақтау мерзімі өткен соң өшірілді: байланыс енді жоқ.
staff-app-expired = 🗑 Бұл сауалнама сақтау мерзімі өткен соң өшірілді.
staff-removed-expired = 🗑 Сақтау мерзімі өткен соң өшірілді.
