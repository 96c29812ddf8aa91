start-greeting =
    Hello! I am the bot of the <b>Ana Uyi</b> foundation (“Mother's House”).

    We help mothers with a newborn in a hard situation: a home, food, doctors and support, so that the child stays with the mother. If you are pregnant, write to us too: our staff will tell you what help there is. We also look for foster families.

    Choose what you need 👇
start-menu = What do you need? 👇
menu-button-mother = 🤱 I need help
menu-button-foster = 🏡 Become a foster family
menu-button-info = ℹ️ About the foundation
menu-button-emergency = 🆘 Emergency numbers
menu-button-language = 🌐 Language
menu-button-home = ⬅️ Menu
start-staff-welcome = Welcome to the Ana Uyi staff. You will see cases in the staff group; /queue shows who is waiting.
start-staff-invite-invalid = This invitation has already been used or has expired. Please ask for a new one.
relay-from-foundation = 💬 <b>Ana Uyi foundation</b>:
