staff-card-title = 🆕 <b>Обращение № { $case }</b>
staff-card-title-urgent = 🚨 <b>СРОЧНО · обращение № { $case }</b>
staff-card-kind = Кто: { $kind }
staff-card-safety = Безопасность: { $safety }
staff-card-danger-words = ⚠️ В её сообщениях есть слова об опасности.
staff-card-region = Регион: { $region }
staff-card-house = Ближайший дом: { $house }
staff-card-contact = Связь: { $phone } · { $way } · { $time }
staff-card-shared-phone = 🔒 Общий телефон: пишите осторожно, без подробностей в первой строке.
staff-card-note = Комментарий:
staff-card-source = Откуда пришла: { $source }
staff-card-language = Язык: { $language }
staff-kind-pregnant = беременная
staff-kind-baby = мама с малышом
staff-kind-other = другое
staff-safety-danger = сейчас в опасности
staff-safety-no-shelter = негде ночевать сегодня
staff-safety-safe = сейчас в безопасности
staff-way-call = звонок
staff-way-message = сообщение в Telegram
staff-way-write-only = только писать, не звонить
staff-time-any = в любое время
staff-time-morning = утром (9–12)
staff-time-afternoon = днём (12–18)
staff-time-evening = вечером (18–21)
staff-case-raised-urgent = 🚨 Обращение № { $case } стало срочным: в её сообщении слова об опасности.
staff-case-forgotten = Обращение № { $case }: она удалила свои данные командой /forget. Пожалуйста, не связывайтесь с ней.
staff-card-status = Статус: { $status }
staff-card-taken-by = В работе у: { $name }
staff-card-waiting = Ждёт: { $waiting }
staff-card-forgotten = 🗑 Она удалила свои данные: контакта больше нет.
staff-status-new = новое
staff-status-taken = взято в работу
staff-status-in-progress = в работе
staff-status-waiting = ждём её ответа
staff-status-closed = закрыто
staff-wait-minutes = { $minutes } мин
staff-wait-hours = { $hours } ч { $minutes } мин
staff-wait-days = { $days } дн.
staff-button-take = ✋ Взять
staff-button-note = 📝 Заметка
staff-button-remind = ⏰ Напомнить
staff-button-status = 📋 Статус
staff-button-close = ✅ Закрыть
staff-button-reopen = ↩️ Открыть снова
staff-button-back = ⬅️ Назад
staff-button-in-progress = 🔄 В работе
staff-button-waiting = ⏳ Ждём её ответа
staff-button-remind-hour = Через час
staff-button-remind-tomorrow = Завтра в 10:00
staff-button-remind-type = ✍️ Другое время
staff-topic-name = № { $case } · { $kind }
staff-topic-recreated = ♻️ Тема была удалена, бот открыл её заново. Последние сообщения по обращению ({ $count }):
staff-history-person = она
staff-history-staff = сотрудник
staff-history-note = заметка
staff-relay-edited = ✏️ Она исправила сообщение:
staff-relay-not-copied = ⚠️ Она прислала сообщение, которое Telegram не дал скопировать сюда (возможно, она его уже удалила). Мы попросили её отправить его ещё раз.
staff-denied = Это могут делать только сотрудники фонда.
staff-denied-role = Ваша роль этого не позволяет.
staff-case-out-of-scope = Это обращение ведут в другом доме или в другой группе: отсюда с ним работать нельзя. Если нужна помощь с ним, напишите координатору.
staff-private-only = 🔒 Эта команда показывает личные данные, поэтому работает только в личном чате со мной. Откройте чат с ботом и отправьте её там.
staff-already-taken = Уже взято: { $name }.
staff-taken-by-you = Обращение ваше.
staff-closed = Обращение закрыто.
staff-reopened = Обращение открыто снова.
staff-case-missing = Этого обращения больше нет.
staff-note-ask = 📝 Обращение № { $case }: ответьте на это сообщение текстом заметки. Её увидят только сотрудники.
staff-note-saved = 📝 Заметка сохранена. Она её не увидит.
staff-note-empty = Заметка пустая, ничего не сохранено.
staff-note-where = Напишите /note и текст в теме обращения или ответом на его карточку.
staff-remind-ask = ⏰ Обращение № { $case }: когда напомнить? Например, 18:30 или 26.11 10:00.
staff-remind-bad-time = Не получается прочитать время. Напишите, например, 18:30 или 26.11 10:00.
staff-remind-set = ⏰ Напомню { $at }.
staff-reply-not-linked = Это сообщение не связано с обращением. Отвечайте в теме обращения или на его карточку.
staff-case-closed-reply = Обращение закрыто, сообщение не отправлено. Откройте его снова, чтобы написать ей.
staff-person-forgotten = Она удалила свои данные командой /forget: сообщения не доставить.
staff-not-delivered-blocked = ⚠️ Не доставлено: она заблокировала бота.
staff-not-delivered = ⚠️ Не доставлено: Telegram не принял сообщение. Попробуйте ещё раз.
staff-help =
    Команды для сотрудников:
    /queue — открытые обращения, срочные сверху
    /my — мои обращения
    /case N — обращение и последние сообщения
    /find N или телефон — поиск
    /stats [период] — цифры и график
    /export [период] [personal] — CSV и XLSX
    /note текст — заметка в теме обращения (или начните сообщение с !)
    /sign on|off — подписывать мои ответы
    /training N дата время — дата обучения кандидата в приёмные родители
    /staff, /invite, /remove, /audit N — сотрудники и журнал (для админов)
    🔒 /invite, /staff, /audit, /export … personal и поиск по телефону — только в личном чате с ботом. В группе команды показывают только обращения этой группы.
staff-queue-title = <b>Открытые обращения: { $count }</b>
staff-my-title = <b>Мои обращения: { $count }</b>
staff-queue-empty = Никто не ждёт. 🌿
staff-case-usage = Напишите номер обращения: /case 12
staff-find-usage = Напишите номер обращения или телефон: /find 12 или /find +7 701 234 56 78
staff-find-none = Ничего не найдено.
staff-period-usage = Период: 7d, 30d, week, month или две даты: 01.11.2026 30.11.2026
staff-export-done = Обращений: { $cases }, анкет: { $applications }.
staff-audit-title = <b>Последние действия ({ $count })</b>
staff-invite-usage = /invite admin|coordinator|house [id дома]
staff-invite-link = Приглашение на роль «{ $role }», работает один раз, до { $until }:
    { $link }
staff-list-title = <b>Сотрудники: { $count }</b>
staff-list-from-settings = из настроек
staff-remove-usage = /remove и Telegram id сотрудника
staff-removed = { $id } больше не сотрудник.
staff-remove-unknown = { $id } нет в списке сотрудников.
staff-remove-groups = Убрали из групп сотрудников: { $count }.
staff-remove-group-failed = ⚠️ Из группы { $chat } убрать не получилось ({ $reason }). Сделайте бота администратором с правом блокировать участников и повторите /remove.
staff-remove-reminders = Отменено напоминаний: { $count }.
staff-remove-cases = Вернулись в очередь: { $cases }.
staff-remove-no-cases = Взятых обращений не было.
staff-remove-settings-admin = { $id } — админ из настроек (ADMIN_IDS). Уберите его оттуда и перезапустите бота.
staff-stranger-joined-group = ⚠️ В группу вошёл человек без роли сотрудника: { $name } (id { $id }). Пока не пишите здесь личные данные. Админам сообщили.
staff-stranger-joined-admin = ⚠️ В группу сотрудников { $chat } вошёл человек без роли: { $name } (id { $id }).
    Если это новый коллега, отправьте ему приглашение (/invite). Если нет, /remove { $id } уберёт его из всех групп сотрудников.
staff-relay-batch = 📨 Её сообщения подряд ({ $count }), собраны вместе:
staff-relay-batch-file = 📨 Её сообщения подряд ({ $count }) не помещаются в одно сообщение: все они в файле.
staff-sign-on = Ваши ответы будут подписаны вашим именем.
staff-sign-off = Ваши ответы уходят от имени фонда, без подписи.
staff-sign-admin = Админы из настроек отвечают от имени фонда.
staff-role-admin = админ
staff-role-coordinator = координатор
staff-role-house-staff = сотрудник дома
stats-title = <b>Цифры за { $since } – { $until }</b>
stats-total = Обращений: { $count }
stats-open-closed = Открыто: { $open }, закрыто: { $closed }
stats-median-response = Медиана до первого ответа: { $minutes } мин (взято: { $count })
stats-median-response-none = Пока ни одно обращение не взято.
stats-by-week = По неделям:
stats-by-kind = Кто обратился:
stats-kind-name = { $kind ->
        [pregnant] беременные
        [baby] мамы с малышом
       *[other] другое
    }
stats-by-urgency = Срочность:
stats-urgency-name = { $urgency ->
        [urgent] срочные
       *[normal] обычные
    }
stats-by-region = По регионам:
stats-region-unknown = регион неизвестен
stats-by-source = Откуда пришли:
stats-source-direct = напрямую
stats-applications = Анкеты приёмных семей: { $count }
stats-application-status-name = { $status ->
        [draft] черновик
        [submitted] отправлена
        [contacted] связались
        [documents] документы
        [training] обучение
        [home_visit] посещение дома
        [approved] одобрена
        [not_approved] не одобрена
        [withdrawn] отозвана
       *[other] { $status }
    }
stats-chart-title = Обращения по неделям
stats-chart-week = неделя
staff-escalation-group = ⏰ Обращение № { $case } всё ещё ждёт: его никто не взял. Возьмите, пожалуйста.
staff-escalation-private = ⏰ Обращение № { $case } ждёт, его никто не взял. { $link }
staff-reminder = ⏰ Напоминание: обращение № { $case }. { $link }
staff-follow-up-failed = ⚠️ Задача ({ $kind }, обращение № { $case }) несколько раз не выполнилась и остановлена. Проверьте обращение.
staff-group-unreachable = ⚠️ Бот не может писать в группу сотрудников { $chat }: его удалили из группы или лишили прав. Новые обращения ждут и придут туда, как только бота вернут администратором.
staff-digest-title = <b>Ждут сегодня: { $count }</b>
staff-burst-title = 📥 <b>Сразу { $count } { $count ->
        [one] новое обращение
        [few] новых обращения
       *[many] новых обращений
    }.</b> Telegram пропускает в группу не больше 20 сообщений в минуту, поэтому карточки придут по очереди.
staff-burst-more = …и ещё { $count }
staff-burst-hint = Открыть любое обращение сейчас: /case и номер.
staff-check-in-yes = ✅ Обращение № { $case }: она подтверждает, что с ней связались.
staff-check-in-not-yet = 🚨 Обращение № { $case }: она пишет, что с ней ещё никто не связался. Обращение снова срочное.
staff-check-in-no-need = Обращение № { $case }: помощь ей больше не нужна, обращение закрыто.
staff-check-in-blocked = ⚠️ Обращение № { $case }: вопрос «с вами связались?» не дошёл — она заблокировала бота.
staff-app-title = 🏡 <b>Анкета приёмной семьи № { $number }</b>
staff-app-status = Статус: { $status }
staff-app-status-submitted = отправлена
staff-app-status-contacted = связались
staff-app-status-documents = документы
staff-app-status-training = обучение
staff-app-status-home-visit = посещение дома
staff-app-status-approved = одобрена
staff-app-status-not-approved = не одобрена
staff-app-status-withdrawn = отозвана заявителем
staff-app-status-draft = черновик
staff-app-set-contacted = 📞 Связались
staff-app-set-documents = 📄 Документы
staff-app-set-training = 🎓 Обучение
staff-app-set-home-visit = 🏠 Посещение дома
staff-app-set-approved = ✅ Одобрено
staff-app-set-not-approved = ✖️ Не одобрено
staff-app-final = Решение принято, статус больше не меняется.
staff-app-relay-not-copied = ⚠️ Анкета № { $number }: кандидат прислал сообщение, которое Telegram не дал скопировать сюда (возможно, его уже удалили). Мы попросили отправить его ещё раз.
staff-app-status-unchanged = Этот статус уже стоит — кандидату мы уже написали.
staff-app-notified = Готово, заявителю сообщили.
staff-app-not-notified = Готово, но сообщение до заявителя не дошло.
staff-training-usage = Напишите номер анкеты, дату и время: /training 12 26.12 10:00
staff-training-set = 🎓 Обучение по анкете № { $number }: { $when }. Заявителю сообщили, накануне напомним.
staff-reminder-application = ⏰ Напоминание: анкета приёмной семьи № { $number }.
staff-app-forgotten = 🗑 Анкету удалил заявитель командой /forget.
staff-removed-on-request = 🗑 Удалено по просьбе человека.
staff-card-expired = 🗑 Данные удалены по истечении срока хранения: контакта больше нет.
staff-app-expired = 🗑 Анкета удалена по истечении срока хранения.
staff-removed-expired = 🗑 Удалено по истечении срока хранения.
