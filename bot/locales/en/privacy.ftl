privacy-neutral-lines =
    🌸 Hello!
    A new message is below.
privacy-button-clear = 🗑 Clear this chat
privacy-button-clear-yes = 🗑 Yes, delete
privacy-button-forget-yes = 🗑 Yes, delete everything
privacy-button-cancel = Cancel
privacy-cancelled = OK, nothing was deleted.
privacy-clear-confirm = Delete our conversation from this phone? I can delete messages from the last 48 hours. Your request stays with the staff.
privacy-clear-done = Done: { $deleted } messages deleted.
privacy-clear-kept = { $kept } older messages can't be deleted by the bot. To delete them: press and hold a message → Delete.
privacy-forget-confirm = Delete everything we keep about you? Your requests will remain only as anonymous numbers for our reports, and the staff will no longer be able to reach you through this bot.
privacy-forget-done = Deleted. If you need help again, just write /start.
privacy-mydata-title = <b>What we keep about you</b>
privacy-mydata-id = Telegram id: { $id }
privacy-mydata-language = Language: { $language }
privacy-mydata-source = Came from: { $source }
privacy-mydata-consent = Consent given: { $date }
privacy-mydata-shared = This phone is marked as shared.
privacy-mydata-case = Request № { $case } from { $date }
privacy-mydata-phone = • phone: { $phone }
privacy-mydata-note = • note:
privacy-mydata-no-cases = No requests.
privacy-mydata-footer = To delete all of this: /forget
privacy-mydata-application = Foster family application № { $number }:
