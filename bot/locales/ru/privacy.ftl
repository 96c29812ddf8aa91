privacy-neutral-lines =
    🌸 Здравствуйте!
    Новое сообщение — ниже.
privacy-button-clear = 🗑 Очистить этот чат
privacy-button-clear-yes = 🗑 Да, удалить
privacy-button-forget-yes = 🗑 Да, удалить всё
privacy-button-cancel = Отмена
privacy-cancelled = Хорошо, ничего не удалено.
privacy-clear-confirm = Удалить нашу переписку с этого телефона? Я могу удалить сообщения за последние 48 часов. Ваше обращение останется у сотрудников.
privacy-clear-done = Готово: удалено сообщений — { $deleted }.
privacy-clear-kept = Более старые сообщения ({ $kept }) бот удалить не может. Чтобы удалить их, нажмите на сообщение и удерживайте → «Удалить».
privacy-forget-confirm = Удалить всё, что мы о вас храним? Ваши обращения останутся только как обезличенные цифры для отчётов, и сотрудники больше не смогут связаться с вами через этого бота.
privacy-forget-done = Удалено. Если снова понадобится помощь, просто напишите /start.
privacy-mydata-title = <b>Что мы о вас храним</b>
privacy-mydata-id = Telegram id: { $id }
privacy-mydata-language = Язык: { $language }
privacy-mydata-source = Откуда пришли: { $source }
privacy-mydata-consent = Согласие дано: { $date }
privacy-mydata-shared = Телефон отмечен как общий.
privacy-mydata-case = Обращение № { $case } от { $date }
privacy-mydata-phone = • телефон: { $phone }
privacy-mydata-note = • комментарий:
privacy-mydata-no-cases = Обращений нет.
privacy-mydata-footer = Удалить всё это: /forget
privacy-mydata-application = Анкета приёмной семьи № { $number }:
