staff-card-title = 🆕 <b>Case № { $case }</b>
staff-card-title-urgent = 🚨 <b>URGENT · case № { $case }</b>
staff-card-kind = Who: { $kind }
staff-card-safety = Safety: { $safety }
staff-card-danger-words = ⚠️ Her messages contain danger words.
staff-card-region = Region: { $region }
staff-card-house = Nearest house: { $house }
staff-card-contact = Contact: { $phone } · { $way } · { $time }
staff-card-shared-phone = 🔒 Shared phone: write carefully, say nothing sensitive first.
staff-card-note = Note:
staff-card-source = Came from: { $source }
staff-card-language = Language: { $language }
staff-kind-pregnant = pregnant
staff-kind-baby = mother with a baby
staff-kind-other = other
staff-safety-danger = in danger now
staff-safety-no-shelter = nowhere to sleep tonight
staff-safety-safe = safe for now
staff-way-call = call
staff-way-message = Telegram message
staff-way-write-only = write only, don't call
staff-time-any = any time
staff-time-morning = morning (9–12)
staff-time-afternoon = afternoon (12–18)
staff-time-evening = evening (18–21)
staff-case-raised-urgent = 🚨 Case № { $case } is now urgent: danger words in her message.
staff-case-forgotten = Case № { $case }: the person deleted her data with /forget. Please do not contact her.
staff-card-status = Status: { $status }
staff-card-taken-by = Taken by: { $name }
staff-card-waiting = Waiting: { $waiting }
staff-card-forgotten = 🗑 She deleted her data: her contact is gone.
staff-status-new = new
staff-status-taken = taken
staff-status-in-progress = in progress
staff-status-waiting = waiting for her answer
staff-status-closed = closed
staff-wait-minutes = { $minutes } min
staff-wait-hours = { $hours } h { $minutes } min
staff-wait-days = { $days } days
staff-button-take = ✋ Take
staff-button-note = 📝 Note
staff-button-remind = ⏰ Remind me
staff-button-status = 📋 Status
staff-button-close = ✅ Close
staff-button-reopen = ↩️ Reopen
staff-button-back = ⬅️ Back
staff-button-in-progress = 🔄 In progress
staff-button-waiting = ⏳ Waiting for her
staff-button-remind-hour = In 1 hour
staff-button-remind-tomorrow = Tomorrow 10:00
staff-button-remind-type = ✍️ Another time
staff-topic-name = № { $case } · { $kind }
staff-topic-recreated = ♻️ The topic was deleted and made again. The last { $count } messages of this case:
staff-history-person = she
staff-history-staff = staff
staff-history-note = note
staff-relay-edited = ✏️ She edited her message:
staff-relay-not-copied = ⚠️ She sent a message Telegram would not let the bot copy here (she may have deleted it). She was asked to send it again.
staff-denied = Only the foundation's staff can do this.
staff-denied-role = Your role does not allow this.
staff-case-out-of-scope = This case is handled by another house or in another group, so it can't be worked on from here. If it needs help, write to a coordinator.
staff-private-only = 🔒 This command shows personal data, so it only works in a private chat with me. Open a chat with the bot and send it there.
staff-already-taken = Already taken by { $name }.
staff-taken-by-you = The case is yours.
staff-closed = Case closed.
staff-reopened = Case reopened.
staff-case-missing = This case no longer exists.
staff-note-ask = 📝 Case № { $case }: reply with your note. It stays with the staff.
staff-note-saved = 📝 Note saved. She does not see it.
staff-note-empty = The note is empty; nothing saved.
staff-note-where = Write /note and the text inside a case's topic, or reply to its card.
staff-remind-ask = ⏰ Case № { $case }: when? For example 18:30 or 26.11 10:00.
staff-remind-bad-time = I can't read that time. Write, for example, 18:30 or 26.11 10:00.
staff-remind-set = ⏰ I will remind you on { $at }.
staff-reply-not-linked = This message is not linked to a case. Reply in a case's topic or to a case card.
staff-case-closed-reply = This case is closed, so your message was not sent. Reopen it to write to her.
staff-person-forgotten = She deleted her data with /forget: messages can't be delivered.
staff-not-delivered-blocked = ⚠️ Not delivered: she has blocked the bot.
staff-not-delivered = ⚠️ Not delivered: Telegram refused the message. Please try again.
staff-help =
    Staff commands:
    /queue — open cases, urgent first
    /my — my cases
    /case N — a case and its last messages
    /find N or phone — search
    /stats [period] — figures and a chart
    /export [period] [personal] — CSV and XLSX
    /note text — a note in a case's topic (or start a message with !)
    /sign on|off — sign my replies
    /training N date time — a foster applicant's training date
    /staff, /invite, /remove, /audit N — staff and audit (admins)
    🔒 /invite, /staff, /audit, /export … personal and search by phone work only in a private chat with the bot. In a group, commands show only that group's cases.
staff-queue-title = <b>Open cases: { $count }</b>
staff-my-title = <b>My cases: { $count }</b>
staff-queue-empty = Nothing is waiting. 🌿
staff-case-usage = Write the case number: /case 12
staff-find-usage = Write a case number or a phone: /find 12 or /find +7 701 234 56 78
staff-find-none = Nothing found.
staff-period-usage = Period: 7d, 30d, week, month, or two dates: 01.11.2026 30.11.2026
staff-export-done = Cases: { $cases }, applications: { $applications }.
staff-audit-title = <b>Last { $count } actions</b>
staff-invite-usage = /invite admin|coordinator|house [house id]
staff-invite-link = Invitation for the role “{ $role }”, works once, until { $until }:
    { $link }
staff-list-title = <b>Staff: { $count }</b>
staff-list-from-settings = from settings
staff-remove-usage = /remove and the person's Telegram id
staff-removed = { $id } is no longer staff.
staff-remove-unknown = { $id } is not on the staff list.
staff-remove-groups = Removed from staff groups: { $count }.
staff-remove-group-failed = ⚠️ Could not remove them from group { $chat } ({ $reason }). Make the bot an admin allowed to ban users there and run /remove again.
staff-remove-reminders = Reminders cancelled: { $count }.
staff-remove-cases = Back in the queue: { $cases }.
staff-remove-no-cases = They had no cases taken.
staff-remove-settings-admin = { $id } is an admin from the settings (ADMIN_IDS). Remove them there and restart the bot.
staff-stranger-joined-group = ⚠️ Someone without a staff role joined this group: { $name } (id { $id }). Don't post personal details here for now. The admins have been told.
staff-stranger-joined-admin = ⚠️ Someone without a staff role joined the staff group { $chat }: { $name } (id { $id }).
    If this is a new colleague, send them an invitation (/invite). If not, /remove { $id } takes them out of every staff group.
staff-relay-batch = 📨 Her messages in a row ({ $count }), gathered together:
staff-relay-batch-file = 📨 Her messages in a row ({ $count }) don't fit in one message: all of them are in the file.
staff-sign-on = Your replies will end with your first name.
staff-sign-off = Your replies go out as the foundation, without a name.
staff-sign-admin = Admins from the settings reply as the foundation.
staff-role-admin = admin
staff-role-coordinator = coordinator
staff-role-house-staff = house staff
stats-title = <b>Figures { $since } – { $until }</b>
stats-total = Cases: { $count }
stats-open-closed = Open: { $open }, closed: { $closed }
stats-median-response = Median time to first response: { $minutes } min ({ $count } taken)
stats-median-response-none = No case has been taken yet.
stats-by-week = By week:
stats-by-kind = By who:
stats-kind-name = { $kind ->
        [pregnant] pregnant
        [baby] with a baby
       *[other] other
    }
stats-by-urgency = By urgency:
stats-urgency-name = { $urgency ->
        [urgent] urgent
       *[normal] normal
    }
stats-by-region = By region:
stats-region-unknown = region unknown
stats-by-source = By source:
stats-source-direct = came directly
stats-applications = Foster applications: { $count }
stats-application-status-name = { $status ->
        [draft] draft
        [submitted] submitted
        [contacted] contacted
        [documents] documents
        [training] training
        [home_visit] home visit
        [approved] approved
        [not_approved] not approved
        [withdrawn] withdrawn
       *[other] { $status }
    }
stats-chart-title = Cases per week
stats-chart-week = week
staff-escalation-group = ⏰ Case № { $case } is still waiting: nobody has taken it. Please take it.
staff-escalation-private = ⏰ Case № { $case } is waiting and nobody has taken it. { $link }
staff-reminder = ⏰ Reminder: case № { $case }. { $link }
staff-follow-up-failed = ⚠️ A follow-up ({ $kind }, case № { $case }) failed several times and was stopped. Please check the case.
staff-group-unreachable = ⚠️ The bot can't post in the staff group { $chat }: it was removed or lost its rights. New cases are waiting and will arrive there as soon as the bot is made an admin again.
staff-digest-title = <b>Waiting today: { $count }</b>
staff-burst-title = 📥 <b>{ $count ->
        [one] { $count } new case
       *[other] { $count } new cases
    } at once.</b> Telegram lets a group receive only 20 messages a minute, so the cards will follow one by one.
staff-burst-more = …and { $count } more
staff-burst-hint = To open any case now: /case and its number.
staff-check-in-yes = ✅ Case № { $case }: she confirms someone contacted her.
staff-check-in-not-yet = 🚨 Case № { $case }: she says nobody has contacted her yet. The case is urgent again.
staff-check-in-no-need = Case № { $case }: she no longer needs help; the case is closed.
staff-check-in-blocked = ⚠️ Case № { $case }: the check-in did not reach her: she has blocked the bot.
staff-app-title = 🏡 <b>Foster family application № { $number }</b>
staff-app-status = Status: { $status }
staff-app-status-submitted = submitted
staff-app-status-contacted = contacted
staff-app-status-documents = documents
staff-app-status-training = training
staff-app-status-home-visit = home visit
staff-app-status-approved = approved
staff-app-status-not-approved = not approved
staff-app-status-withdrawn = withdrawn by the applicant
staff-app-status-draft = draft
staff-app-set-contacted = 📞 Contacted
staff-app-set-documents = 📄 Documents
staff-app-set-training = 🎓 Training
staff-app-set-home-visit = 🏠 Home visit
staff-app-set-approved = ✅ Approved
staff-app-set-not-approved = ✖️ Not approved
staff-app-final = The decision is made; the status can't change any more.
staff-app-relay-not-copied = ⚠️ Application № { $number }: the applicant sent a message Telegram would not copy here (perhaps it was deleted). We asked them to send it again.
staff-app-status-unchanged = That status is already set; the applicant has been told.
staff-app-notified = Done; the applicant has been told.
staff-app-not-notified = Done, but the news did not reach the applicant.
staff-training-usage = Write the application number, the date and the time: /training 12 26.12 10:00
staff-training-set = 🎓 Training for application № { $number }: { $when }. The applicant is told and will be reminded the day before.
staff-reminder-application = ⏰ Reminder: foster application № { $number }.
staff-app-forgotten = 🗑 This application was deleted by the applicant with /forget.
staff-removed-on-request = 🗑 Removed at the person's request.
staff-card-expired = 🗑 Her data was deleted after the retention period: her contact is gone.
staff-app-expired = 🗑 This application was deleted after the retention period.
staff-removed-expired = 🗑 Deleted after the retention period.
