command-start = Main menu
command-emergency = Emergency numbers
command-language = Change language
command-help = What this bot can do
command-cancel = Stop the current step

emergency-title = 🆘 If you or your child are in danger, call now.
emergency-footer = This list is always here: /emergency

language-choose = Choose a language:
language-first-prompt = 🇬🇧 Choose a language. In danger, call 112.
language-set = Done: I will write in English.
language-continue = Your answers are kept. Let's carry on where you left off.

help-text =
    I can help you:
    • find a mothers' house near you,
    • learn how to become a foster family,
    • see emergency numbers.

    /start — main menu
    /emergency — emergency numbers
    /language — change language
    /cancel — stop the current step

cancel-done = OK, stopped. You can start again at any time.
cancel-nothing = There is nothing to stop. Here is the menu.

fallback-unknown-command = I don't know this command. /help shows what I can do.
fallback-text = Thank you for writing. To help you faster, please choose a button below 👇
fallback-voice = I can't listen to voice messages yet. Please choose a button below, or call <b>111</b> to talk to a person now.
fallback-media = Thank you! Here it's best to choose a button below 👇
fallback-edited = I only read new messages. If you changed something important, please send it again.
fallback-stale-button = This button no longer works. Here is the menu.

error-generic = Sorry, something went wrong on our side. What you told me is saved. Please try again, or call <b>111</b> if you need help now.
