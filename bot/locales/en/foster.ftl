app-progress = Step { $step } of { $total }
app-step-full-name = What is your full name?
app-step-birth-date = Your date of birth? For example 12.03.1988.
app-step-place = Which city or village do you live in?
app-step-phone = Your phone number: tap “📱 Share my number” or type it, for example +7 701 234 56 78.
app-step-marital = Are you married?
app-step-spouse-agrees = Does your spouse agree to take a child into the family?
app-step-children = How many children live with you now?
app-step-children-ages = How old are they? For example: 5, 9.
app-step-housing = What is your housing?
app-step-care-form = Which form of family care are you thinking of?
app-step-experience = Your experience with children?
app-step-motivation = In a few sentences: why do you want to take a child into your family?
app-step-call-time = When is it best to call you?
app-option-marital-single = No
app-option-marital-married = Yes, married
app-option-spouse-agrees-yes = Yes
app-option-spouse-agrees-no = No
app-option-spouse-agrees-not-asked = We haven't talked yet
app-option-children-0 = None
app-option-children-1 = 1
app-option-children-2 = 2
app-option-children-3 = 3
app-option-children-4plus = 4 or more
app-option-housing-own = Our own home
app-option-housing-rent = Rented
app-option-housing-family = With relatives
app-option-care-form-professional = Professional foster family
app-option-care-form-foster = Foster family
app-option-care-form-guest = Guest family
app-option-care-form-guardianship = Guardianship
app-option-care-form-adoption = Adoption
app-option-experience-own-children = I raised my own children
app-option-experience-work = I work or worked with children
app-option-experience-little = Little experience yet
app-option-call-time-morning = Morning (9–12)
app-option-call-time-afternoon = Afternoon (12–18)
app-option-call-time-evening = Evening (18–21)
app-option-call-time-any = Any time
app-field-full-name = Name
app-field-birth-date = Date of birth
app-field-place = Place
app-field-phone = Phone
app-field-marital = Married
app-field-spouse-agrees = Spouse agrees
app-field-children = Children at home
app-field-children-ages = Their ages
app-field-housing = Housing
app-field-care-form = Form of care
app-field-experience = Experience
app-field-motivation = Why
app-field-call-time = Best time to call
app-button-share-phone = 📱 Share my number
app-button-back = ⬅️ Back
app-button-edit = ✏️ { $field }
app-button-submit = 📨 Send the application
app-button-continue = ▶️ Continue
app-button-restart = 🔄 Start again
app-button-withdraw = Withdraw my application
app-button-withdraw-yes = Yes, withdraw it
app-back = OK, one step back.
app-review-title = <b>Please check your application:</b>
app-review-consent = The operator of your data: { $operator }. By sending it you agree that our staff see these answers in their Telegram group, to contact you. We keep them while your application is considered and { $days } days after; /mydata shows them and /forget deletes them at any time.
app-resume = You have an unfinished application (step { $step } of { $total }). Shall we continue?
app-already-submitted = Your application № { $number } has already been sent. /status shows where it is.
app-error-too-short = A little more, please: at least { $minimum } { $minimum ->
        [one] character
       *[other] characters
    }.
app-error-too-long = That's a little long: please keep it under { $limit } characters. Nothing is lost: write it again, shorter.
app-error-date-unreadable = I couldn't read that date. Please write it like 12.03.1988.
app-error-date-future = That date is in the future. Please check it.
app-error-date-too-old = Please check the year.
app-age-minor = You are { $age }: applicants must be adults. You can go on, and our staff will explain the options.
app-age-professional-range = Good to know: a professional foster family is for ages 30 to 63 (you are { $age }). Other forms may fit; you can go on.
app-place-not-found = I couldn't find that place. Please choose your region:
app-expected-text = Please answer in a short message.
app-expected-choice = Please choose one of the buttons.
app-expected-date = Please write the date, like 12.03.1988.
app-expected-phone = Please share your number with the button, or type it.
app-expected-place = Please type your city or village.
app-status-title = <b>Application № { $number }</b>
app-status-submitted = Sent. Our staff will call you soon to get to know you.
app-status-contacted = We have talked. Next: gathering the documents.
app-status-documents = Documents. Tick each one as you gather it:
app-status-training = { $form ->
        [professional] Training: the psychological training, with a certificate.
        [guest] Training: the course for guest families.
        [foster] Training: the school for foster parents.
       *[other] Training: the guardianship authority will say which one.
    } We will remind you before the date.
app-status-home-visit = Next: a visit to your home by the guardianship authority and our staff.
app-status-approved = 🎉 The guardianship authority has decided in your favour. Thank you for opening your home to a child.
app-status-not-approved = This time the guardianship authority did not decide in your favour. Our staff will explain why and what can be done.
app-status-withdrawn = Withdrawn.
app-status-draft = Not sent yet.
app-status-changed = 📄 News about your application:
app-status-none = You have no sent application yet. /start → “🏡 Become a foster family”.
app-checklist = Documents gathered: { $done } of { $total }.
app-withdraw-confirm = Withdraw your application? The staff will stop working on it.
app-withdrawn = Application № { $number } is withdrawn. You can apply again at any time.
app-draft-reminder = Your foster family application is waiting where you left it. Shall we continue? It takes a few minutes.
app-training-set = 🎓 Your { $form ->
        [professional] psychological training
        [guest] training for guest families
        [foster] training at the school for foster parents
       *[other] training
    }: { $when }. We will remind you the day before.
app-training-reminder = 🎓 A reminder: your { $form ->
        [professional] psychological training
        [guest] training for guest families
        [foster] training for foster parents
       *[other] training
    } is on { $when }. We look forward to seeing you!
