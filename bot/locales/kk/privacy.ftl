privacy-neutral-lines =
    🌸 Сәлеметсіз бе!
    Жаңа хабарлама — төменде.
privacy-button-clear = 🗑 Чатты тазалау
privacy-button-clear-yes = 🗑 Иә, өшіру
privacy-button-forget-yes = 🗑 Иә, бәрін өшіру
privacy-button-cancel = Бас тарту
privacy-cancelled = Жарайды, ештеңе өшірілген жоқ.
privacy-clear-confirm = Хат алмасуымызды осы телефоннан өшірейін бе? Соңғы 48 сағаттағы хабарламаларды өшіре аламын. Өтінішіңіз қызметкерлерде қалады.
privacy-clear-done = Дайын: { $deleted } хабарлама өшірілді.
privacy-clear-kept = Ескірек { $kept } хабарламаны бот өшіре алмайды. Оларды өшіру үшін хабарламаны басып тұрыңыз → «Жою».
privacy-forget-confirm = Сіз туралы сақталғанның бәрін өшірейін бе? Өтініштеріңіз есептер үшін тек аты-жөнсіз сан ретінде қалады, ал қызметкерлер бұдан былай осы бот арқылы сізбен хабарласа алмайды.
privacy-forget-done = Өшірілді. Көмек қайта керек болса, /start деп жазыңыз.
privacy-mydata-title = <b>Сіз туралы не сақтаймыз</b>
privacy-mydata-id = Telegram id: { $id }
privacy-mydata-language = Тіл: { $language }
privacy-mydata-source = Қайдан келдіңіз: { $source }
privacy-mydata-consent = Келісім берілген күн: { $date }
privacy-mydata-shared = Телефон ортақ деп белгіленген.
privacy-mydata-case = № { $case } өтініш, { $date }
privacy-mydata-phone = • телефон: { $phone }
privacy-mydata-note = • жазба:
privacy-mydata-no-cases = Өтініш жоқ.
privacy-mydata-footer = Мұның бәрін өшіру: /forget
privacy-mydata-application = № { $number } қабылдаушы отбасы сауалнамасы:
