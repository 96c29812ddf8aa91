mother-safety-question =
    You are not alone. We will help you find a mothers' house and someone to talk to.

    First: are you safe right now?
mother-button-danger = ⚠️ I'm in danger now
mother-button-no-shelter = 🌙 I have nowhere to sleep tonight
mother-button-safe = ✅ I'm safe for now

mother-danger-title = 🆘 If you are in danger, call now. Calls are free:
mother-danger-footer = When you ask our staff to contact you, your request will reach them marked urgent. Now let's find the nearest house.

mother-place-question = Where are you now? Tap “📍 Send my location”, choose a region, or type your city or village.
mother-place-placeholder = City or village
mother-button-location = 📍 Send my location
mother-button-regions = 🗺 Choose a region
mother-regions-title = Choose your region:
mother-place-not-found = I couldn't find “{ $text }”. Please choose your region:

mother-houses-title-you = Mothers' houses nearest to you:
mother-houses-title = Nearest mothers' houses ({ $place }):
mother-houses-outside = It looks like you are outside Kazakhstan: the nearest house we know is about { $km } km away. You can also choose a region below.
mother-house-where = { $city } · about { $km } km
mother-house-accepts = Accepts: { $list }
mother-house-hours = Open: { $hours }
mother-house-unverified = ℹ️ We don't publish this house's contacts: our staff will call or write to you.
mother-houses-accept-all = These houses accept: { $list }
mother-houses-unverified-all = ℹ️ We don't publish these houses' contacts: our staff will call or write to you.
mother-accepts-pregnant = pregnant women
mother-accepts-newborn = mothers with newborns
mother-accepts-child = mothers with young children
mother-houses-next = Our staff can contact you: they will help you get to a house and answer your questions. To pass them your request, tap what fits you:
mother-button-other-region = 🗺 Another region

mother-kind-question = A few short questions, so the right person contacts you. Are you pregnant or do you have a baby?
mother-button-pregnant = 🤰 I'm pregnant
mother-button-baby = 👶 I have a baby
mother-button-other = 🙋 Something else

mother-consent =
    Before we pass on your request, please read:

    • The operator of your data: { $operator }.
    • Our staff will get your phone number, how and when to contact you, your region, your answers here, your note and your messages to us, to contact you and help.
    • They see your request in their Telegram group (Telegram's servers are outside Kazakhstan).
    • We keep it while we help you and for { $days } days after your request is closed, then delete it.
    • /mydata shows what we keep; /forget deletes it at any time.

    Do you agree?
mother-button-agree = ✅ I agree
mother-button-decline = ✖️ No, don't share
mother-declined = Nothing was sent to anyone. If you are in danger, call 112. The state line 111 helps women and families: free, day and night, anonymous. If you change your mind, tap the button below and our staff will contact you.
mother-declined-cities = The nearest mothers' houses are in: { $cities }.
mother-button-changed-mind = ↩️ I changed my mind

mother-phone-question = Your phone number: tap “📱 Share my number” below, or type it, for example +7 701 234 56 78.
mother-button-share-phone = 📱 Share my number
mother-phone-invalid = This doesn't look like a Kazakhstan number. Please type it like +7 701 234 56 78 or 8 701 234 56 78.
mother-phone-not-own = This is someone else's contact. Please share your own number, or type it.
mother-phone-saved = ✓ Number saved: { $phone }

mother-way-question = How should we contact you?
mother-button-call = 📞 Call me
mother-button-message = 💬 Write to me in Telegram
mother-button-write-only = ✍️ Only write, don't call
mother-button-shared-off = ☐ Someone else uses this phone too
mother-button-shared-on = ☑ Someone else uses this phone too
mother-shared-on = OK. My messages will now begin with a neutral greeting only, with nothing about your request.
mother-shared-howto =
    How to keep this chat private on a shared phone:
    • In Telegram open Settings → Notifications and Sounds and turn off “Message Preview”: notifications will then show no text.
    • /clear deletes our conversation from this phone.
mother-shared-off = OK, noted.

mother-time-question = When is it safe to contact you?
mother-button-any-time = 🕘 Any time
mother-button-morning = Morning (9–12)
mother-button-afternoon = Afternoon (12–18)
mother-button-evening = Evening (18–21)

mother-note-question = Is there anything the staff should know? Write a short message (up to { $limit } characters), or tap the button.
mother-button-no-note = 📨 Send without a note
mother-note-too-long = That's a little long: please keep it under { $limit } characters. Nothing has been sent yet.
mother-tap-expected = Please choose one of the buttons:

mother-handed-off = ✅ Your request № { $case } is with our staff.
mother-next-soon-minutes = Someone will contact you within about { $minutes } minutes.
mother-next-soon-hours = Someone will contact you within about { $hours } hours.
mother-next-today = Our office opens today at { $time }: someone will contact you after that.
mother-next-tomorrow = Our office opens tomorrow at { $time }: someone will contact you then.
mother-next-later = Our office opens { $day } at { $time }: someone will contact you then.
mother-after-handoff = You can write here at any time: your messages go to the staff. If you are in danger, call 112.
mother-shared-clear-hint = This phone is shared: you can delete our conversation with the button below or with /clear.
mother-relayed = ✓ Passed to the staff.
mother-relay-kept = ✓ Saved with your request. The staff will see it shortly.
mother-relay-not-copied = This message could not be passed to the staff. Please send it again, or write it in words.
mother-relay-held = Got it. You're writing a lot in a row, so we'll pass it all to the staff together in a minute. Nothing will be lost.

danger-detected-title = 🆘 It sounds like you may be in danger. If so, call now. Calls are free:
danger-detected-raised = Your request № { $case } is marked urgent for our staff.
danger-detected-in-flow = When you send your request, it will reach our staff marked urgent.
danger-detected-offer = If you want our staff to contact you, tap the button below: your request will reach them marked urgent.
mother-button-contact-urgent = 🤱 Contact me

common-weekday-mon = on Monday
common-weekday-tue = on Tuesday
common-weekday-wed = on Wednesday
common-weekday-thu = on Thursday
common-weekday-fri = on Friday
common-weekday-sat = on Saturday
common-weekday-sun = on Sunday

check-in-question = About your request № { $case }: has someone from the foundation contacted you?
check-in-button-yes = ✅ Yes, they did
check-in-button-not-yet = ⏳ Not yet
check-in-button-no-need = 🙏 I don't need help now
check-in-thanks-yes = Thank you for telling us. You can write here at any time.
check-in-thanks-notyet = We're sorry. We have reminded the staff: someone will contact you soon. If you are in danger, call 112.
check-in-thanks-noneed = All right. Take care of yourself and your baby. If you need help again, just write here.
