app-progress = Шаг { $step } из { $total }
app-step-full-name = Как вас зовут? Фамилия, имя, отчество.
app-step-birth-date = Ваша дата рождения? Например, 12.03.1988.
app-step-place = В каком городе или селе вы живёте?
app-step-phone = Ваш номер телефона: нажмите «📱 Поделиться номером» или напишите его, например +7 701 234 56 78.
app-step-marital = Вы состоите в браке?
app-step-spouse-agrees = Ваш муж или жена согласны принять ребёнка в семью?
app-step-children = Сколько детей сейчас живёт с вами?
app-step-children-ages = Сколько им лет? Например: 5, 9.
app-step-housing = Какое у вас жильё?
app-step-care-form = Какая форма семейного устройства вам ближе?
app-step-experience = Какой у вас опыт с детьми?
app-step-motivation = В нескольких предложениях: почему вы хотите принять ребёнка в семью?
app-step-call-time = Когда вам удобнее позвонить?
app-option-marital-single = Нет
app-option-marital-married = Да, в браке
app-option-spouse-agrees-yes = Да
app-option-spouse-agrees-no = Нет
app-option-spouse-agrees-not-asked = Ещё не обсуждали
app-option-children-0 = Нет детей
app-option-children-1 = 1
app-option-children-2 = 2
app-option-children-3 = 3
app-option-children-4plus = 4 и больше
app-option-housing-own = Своё жильё
app-option-housing-rent = Снимаем
app-option-housing-family = У родственников
app-option-care-form-professional = Профессиональная приёмная семья
app-option-care-form-foster = Приёмная семья
app-option-care-form-guest = Гостевая семья
app-option-care-form-guardianship = Опека
app-option-care-form-adoption = Усыновление
app-option-experience-own-children = Растим или вырастили своих детей
app-option-experience-work = Есть опыт работы с детьми
app-option-experience-little = Пока опыта мало
app-option-call-time-morning = Утром (9–12)
app-option-call-time-afternoon = Днём (12–18)
app-option-call-time-evening = Вечером (18–21)
app-option-call-time-any = В любое время
app-field-full-name = ФИО
app-field-birth-date = Дата рождения
app-field-place = Место
app-field-phone = Телефон
app-field-marital = В браке
app-field-spouse-agrees = Согласие супруга
app-field-children = Детей дома
app-field-children-ages = Их возраст
app-field-housing = Жильё
app-field-care-form = Форма устройства
app-field-experience = Опыт
app-field-motivation = Почему
app-field-call-time = Когда звонить
app-button-share-phone = 📱 Поделиться номером
app-button-back = ⬅️ Назад
app-button-edit = ✏️ { $field }
app-button-submit = 📨 Отправить анкету
app-button-continue = ▶️ Продолжить
app-button-restart = 🔄 Начать заново
app-button-withdraw = Отозвать анкету
app-button-withdraw-yes = Да, отозвать
app-back = Хорошо, на шаг назад.
app-review-consent = Оператор ваших данных: { $operator }. Отправляя анкету, вы соглашаетесь, что сотрудники увидят эти ответы в своей группе в Telegram, чтобы связаться с вами. Мы храним их, пока рассматриваем анкету, и ещё { $days } { $days ->
         [one] день
         [few] дня
        *[many] дней
    } после; посмотреть их можно командой /mydata, удалить в любой момент — командой /forget.
app-review-title = <b>Проверьте, пожалуйста, анкету:</b>
app-resume = У вас есть незаконченная анкета (шаг { $step } из { $total }). Продолжим?
app-already-submitted = Ваша анкета № { $number } уже отправлена. Где она сейчас, покажет /status.
app-error-too-short = Чуть подробнее, пожалуйста: хотя бы { $minimum } { $minimum ->
        [one] знак
        [few] знака
       *[many] знаков
    }.
app-error-too-long = Получилось длинновато: уложитесь, пожалуйста, в { $limit } знаков. Ничего не потеряно: напишите ещё раз, короче.
app-error-date-unreadable = Не получается прочитать дату. Напишите, пожалуйста, так: 12.03.1988.
app-error-date-future = Эта дата ещё не наступила. Проверьте, пожалуйста.
app-error-date-too-old = Проверьте, пожалуйста, год.
app-age-minor = Вам { $age }: подавать анкету могут только совершеннолетние. Можно продолжить, сотрудники подскажут варианты.
app-age-professional-range = Важно: профессиональная приёмная семья — для возраста от 30 до 63 лет (вам { $age }). Могут подойти другие формы, продолжим.
app-place-not-found = Не удалось найти это место. Выберите, пожалуйста, регион:
app-expected-text = Ответьте, пожалуйста, коротким сообщением.
app-expected-choice = Выберите, пожалуйста, одну из кнопок.
app-expected-date = Напишите, пожалуйста, дату, например 12.03.1988.
app-expected-phone = Поделитесь номером кнопкой или напишите его.
app-expected-place = Напишите, пожалуйста, город или село.
app-status-title = <b>Анкета № { $number }</b>
app-status-submitted = Отправлена. Скоро сотрудники позвонят вам, чтобы познакомиться.
app-status-contacted = Мы поговорили. Дальше — сбор документов.
app-status-documents = Документы. Отмечайте каждый, когда соберёте:
app-status-training = { $form ->
        [professional] Психологическая подготовка с сертификатом.
        [guest] Обучение для гостевых семей.
        [foster] Обучение в школе приёмных родителей.
       *[other] Обучение: какое нужно, скажет орган опеки и попечительства.
    } Мы напомним перед датой.
app-status-home-visit = Дальше к вам домой придут специалисты органа опеки и наши сотрудники.
app-status-approved = 🎉 Орган опеки и попечительства принял положительное решение. Спасибо, что открываете свой дом ребёнку.
app-status-not-approved = В этот раз орган опеки и попечительства не принял положительного решения. Сотрудники объяснят причину и что можно сделать.
app-status-withdrawn = Отозвана.
app-status-draft = Ещё не отправлена.
app-status-changed = 📄 Новости по вашей анкете:
app-status-none = Отправленной анкеты пока нет. /start → «🏡 Стать приёмной семьёй».
app-checklist = Собрано документов: { $done } из { $total }.
app-withdraw-confirm = Отозвать анкету? Сотрудники прекратят работу по ней.
app-withdrawn = Анкета № { $number } отозвана. Подать новую можно в любой момент.
app-draft-reminder = Ваша анкета приёмной семьи ждёт там, где вы остановились. Продолжим? Это займёт несколько минут.
app-training-set = 🎓 { $form ->
        [professional] Ваша психологическая подготовка
        [guest] Ваше обучение для гостевых семей
        [foster] Ваше обучение в школе приёмных родителей
       *[other] Ваше обучение
    }: { $when }. Мы напомним накануне.
app-training-reminder = 🎓 Напоминаем: { $form ->
        [professional] психологическая подготовка
        [guest] обучение для гостевых семей
        [foster] обучение для приёмных родителей
       *[other] ваше обучение
    } — { $when }. Ждём вас!
