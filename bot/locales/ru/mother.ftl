mother-safety-question =
    Вы не одна. Мы поможем найти Дом мамы и человека, с которым можно поговорить.

    Сначала скажите: вы сейчас в безопасности?
mother-button-danger = ⚠️ Мне сейчас угрожает опасность
mother-button-no-shelter = 🌙 Мне негде ночевать сегодня
mother-button-safe = ✅ Сейчас я в безопасности

mother-danger-title = 🆘 Если вам грозит опасность, звоните прямо сейчас. Звонки бесплатные:
mother-danger-footer = Мы отметили ваше обращение как срочное. Теперь найдём ближайший Дом мамы.

mother-place-question = Где вы сейчас? Нажмите «📍 Отправить моё местоположение», выберите регион или напишите название города или села.
mother-place-placeholder = Город или село
mother-button-location = 📍 Отправить моё местоположение
mother-button-regions = 🗺 Выбрать регион
mother-regions-title = Выберите ваш регион:
mother-place-not-found = Не удалось найти «{ $text }». Пожалуйста, выберите регион:

mother-houses-title-you = Ближайшие к вам Дома мамы:
mother-houses-title = Ближайшие Дома мамы ({ $place }):
mother-houses-outside = Похоже, вы за пределами Казахстана: ближайший известный нам дом примерно в { $km } км. Можно выбрать регион ниже.
mother-house-where = { $city } · примерно { $km } км
mother-house-accepts = Принимает: { $list }
mother-house-hours = Часы работы: { $hours }
mother-house-unverified = ℹ️ Контакты этого дома мы не публикуем: наши сотрудники сами позвонят или напишут вам.
mother-houses-accept-all = Эти дома принимают: { $list }
mother-houses-unverified-all = ℹ️ Контакты этих домов мы не публикуем: наши сотрудники сами позвонят или напишут вам.
mother-accepts-pregnant = беременных
mother-accepts-newborn = мам с новорождёнными
mother-accepts-child = мам с маленькими детьми
mother-houses-next = Наши сотрудники могут связаться с вами: помогут добраться до Дома мамы и ответят на вопросы. Чтобы передать им обращение, выберите, что подходит вам:
mother-button-other-region = 🗺 Другой регион

mother-kind-question = Несколько коротких вопросов, чтобы с вами связался нужный человек. Вы беременны или у вас есть малыш?
mother-button-pregnant = 🤰 Я беременна
mother-button-baby = 👶 У меня есть малыш
mother-button-other = 🙋 Другое

mother-consent =
    Прежде чем передать ваше обращение, прочитайте, пожалуйста:

    • Сотрудники фонда «Ана үйі» получат ваш номер телефона, выбранные вами способ и время связи, ваши ответы здесь и ваш комментарий.
    • Их увидят только сотрудники фонда, чтобы связаться с вами и помочь.
    • Мы храним эти данные, пока помогаем вам, и ещё { $days } { $days ->
         [one] день
         [few] дня
        *[many] дней
    } после закрытия обращения, а затем удаляем.
    • Посмотреть, что мы храним, можно командой /mydata, удалить в любой момент — командой /forget.

    Вы согласны?
mother-button-agree = ✅ Согласна
mother-button-decline = ✖️ Нет, не передавать
mother-declined = Мы ничего никому не передали. Вы можете позвонить на 111 (бесплатно, круглосуточно) или прийти в Дом мамы сами. Если передумаете, нажмите кнопку ниже.
mother-button-changed-mind = ↩️ Я передумала

mother-phone-question = Ваш номер телефона: нажмите «📱 Поделиться номером» ниже или напишите его, например +7 701 234 56 78.
mother-button-share-phone = 📱 Поделиться номером
mother-phone-invalid = Это не похоже на казахстанский номер. Напишите, пожалуйста, так: +7 701 234 56 78 или 8 701 234 56 78.
mother-phone-not-own = Похоже, это номер другого человека. Поделитесь, пожалуйста, своим или напишите его.
mother-phone-saved = ✓ Номер сохранён: { $phone }

mother-way-question = Как с вами лучше связаться?
mother-button-call = 📞 Позвоните мне
mother-button-message = 💬 Напишите мне в Telegram
mother-button-write-only = ✍️ Только пишите, не звоните
mother-button-shared-off = ☐ Телефоном пользуется кто-то ещё
mother-button-shared-on = ☑ Телефоном пользуется кто-то ещё
mother-shared-on = Хорошо. Теперь каждое моё сообщение будет начинаться с простого «Здравствуйте», а очистить этот чат можно в любой момент командой /clear.
mother-shared-off = Хорошо, учтём.

mother-time-question = Когда с вами безопасно связаться?
mother-button-any-time = 🕘 В любое время
mother-button-morning = Утром (9–12)
mother-button-afternoon = Днём (12–18)
mother-button-evening = Вечером (18–21)

mother-note-question = Что ещё важно знать сотрудникам? Напишите коротко (до { $limit } { $limit ->
         [one] знака
         [few] знаков
         [many] знаков
        *[other] знака
    }) или нажмите кнопку.
mother-button-no-note = 📨 Отправить без комментария
mother-note-too-long = Получилось длинновато: уложитесь, пожалуйста, в { $limit } { $limit ->
         [one] знак
         [few] знака
        *[many] знаков
    }. Пока ничего не отправлено.
mother-tap-expected = Пожалуйста, выберите одну из кнопок:

mother-handed-off = ✅ Ваше обращение № { $case } передано сотрудникам.
mother-next-soon-minutes = С вами свяжутся примерно в течение { $minutes } { $minutes ->
         [one] минуты
         [few] минут
         [many] минут
        *[other] минуты
    }.
mother-next-soon-hours = С вами свяжутся примерно в течение { $hours } { $hours ->
         [one] часа
         [few] часов
         [many] часов
        *[other] часа
    }.
mother-next-today = Офис открывается сегодня в { $time }: после этого с вами свяжутся.
mother-next-tomorrow = Офис открывается завтра в { $time }: тогда с вами и свяжутся.
mother-next-later = Офис открывается { $day } в { $time }: тогда с вами и свяжутся.
mother-after-handoff = Пишите сюда в любое время: ваши сообщения увидят сотрудники. Если вам грозит опасность, звоните 112.
mother-shared-clear-hint = Телефон общий: удалить нашу переписку можно кнопкой ниже или командой /clear.
mother-relayed = ✓ Передано сотрудникам.
mother-relay-kept = ✓ Сохранено в вашем обращении. Сотрудники скоро увидят.
mother-relay-not-copied = Это сообщение не получилось передать сотрудникам. Пожалуйста, отправьте его ещё раз или напишите словами.
mother-relay-held = Получили. Вы пишете много подряд — передадим сотрудникам всё вместе через минуту. Ничего не потеряется.

danger-detected-title = 🆘 Похоже, вам может угрожать опасность. Если так, звоните прямо сейчас. Звонки бесплатные:
danger-detected-footer = Мы отметили ваше обращение как срочное.

common-weekday-mon = в понедельник
common-weekday-tue = во вторник
common-weekday-wed = в среду
common-weekday-thu = в четверг
common-weekday-fri = в пятницу
common-weekday-sat = в субботу
common-weekday-sun = в воскресенье

check-in-question = По вашему обращению № { $case }: с вами уже связались из фонда?
check-in-button-yes = ✅ Да, связались
check-in-button-not-yet = ⏳ Пока нет
check-in-button-no-need = 🙏 Помощь уже не нужна
check-in-thanks-yes = Спасибо, что сообщили. Пишите сюда в любое время.
check-in-thanks-notyet = Простите нас. Мы напомнили сотрудникам: с вами скоро свяжутся. Если вам грозит опасность, звоните 112.
check-in-thanks-noneed = Хорошо. Берегите себя и малыша. Если снова понадобится помощь, просто напишите сюда.
