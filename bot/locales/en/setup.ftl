setup-group-id =
    This group's id: <code>{ $chat_id }</code>
    As the central staff group, in .env: <code>STAFF_CHAT_ID={ $chat_id }</code>
    As one house's group: <code>staff_chat_id: { $chat_id }</code> in its entry of the directory.
setup-group-is-central = ✅ This is the central staff group: cases come here.
setup-group-is-house = ✅ This is the staff group of: { $houses }.
setup-group-not-staff = ℹ️ This group is not a staff group yet.
setup-group-forum-yes = ✅ Topics are on: each case gets a topic of its own.
setup-group-forum-no = ⚠️ Topics are off: cards come in one stream, staff answer by replying. For a topic per case, turn on Topics in the group's settings.
setup-group-admin-yes = ✅ The bot is an admin and can manage topics.
setup-group-admin-no = ⚠️ Make the bot an admin with the right to manage topics: otherwise it can't open a topic per case or see staff messages.
