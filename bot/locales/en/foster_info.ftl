## Foster family: the forms of family care and the self-check. Facts: shared/data/family_forms.md.

foster-home =
    <b>Becoming a family for a child</b>

    Thank you for thinking about it. Here you can take your time to learn the forms of family care, check yourself against the main requirements, and apply. Our staff will help you at every step.

    The decision is always made by the guardianship authority.
foster-button-forms = 📚 Forms of family care
foster-button-check = ✅ Can I become a foster family? (self-check)
foster-button-apply = 📝 Apply
foster-button-status = 📄 My application
foster-button-back = ↩️ Back
foster-button-back-forms = ↩️ All forms
foster-button-steps = 📋 How it goes
foster-button-documents = 📄 Documents
foster-button-back-form = ↩️ Back to this form
foster-button-check-form = ✅ Self-check for this form
foster-button-form-info = 📚 More about this form
foster-button-check-other = 🔁 Check another form
foster-button-yes = Yes
foster-button-no = No
foster-button-unsure = 🤔 Not sure

foster-forms-title = Choose a form, and I'll tell you who can apply, how it goes and which documents you need:
foster-info-who = <b>Who can</b>
foster-info-steps = <b>How it goes</b>
foster-info-note = ℹ️ The guardianship authority makes the decision. The rules can change, so please check the exact list there or with our staff.
foster-info-decides = ℹ️ The guardianship authority makes the decision, and the rules can change.

## Forms of family care

foster-form-professional-name = 👨‍👩‍👧 Professional foster family
foster-form-professional-who =
    Citizens of Kazakhstan aged 30 to 63 with a stable income. People with a criminal record, without a permanent residence, or with a chronic illness on the Ministry of Health list (Order No. 692) cannot become carers.
    Up to four children live in the family; more only to keep brothers and sisters together. This form has been in force since 1 July 2025.
foster-form-professional-steps =
    1. You fill in the application, and our staff get in touch with you.
    2. The guardianship authority selects the carers: documents and checks.
    3. Psychological training with a certificate. Ana Uyi trained the first professional foster families in the Akmola region pilot.
    4. The child is placed with the family under a contract. There is pay for each child and for the carer's work; the authority will tell you the amounts.
foster-form-professional-documents = <b>Documents</b>:

foster-form-foster-name = 🏡 Foster family
foster-form-foster-who =
    Adults ready to take a child into their home. A course at a school for foster parents comes first; a child's close relatives don't need the certificate.
foster-form-foster-steps =
    1. The school for foster parents.
    2. Gathering the documents.
    3. An application for the state service "Placing a child in a foster family" (on eGov or at the guardianship authority).
    4. The guardianship authority's decision.
foster-form-foster-documents = <b>Documents</b> for the state service "Placing a child in a foster family":

foster-form-guest-name = 🎒 Guest family
foster-form-guest-who =
    Adults ready to host a child from a children's home at weekends and on holidays. A training certificate has been required since August 2022.
foster-form-guest-steps =
    1. The training for guest families, and its certificate.
    2. The application: since 15 September 2025 it is a state service.
    3. The guardianship authority's decision.
    4. The child spends weekends and holidays with you.
foster-form-guest-documents = <b>Documents</b>:

foster-form-guardianship-name = 🤝 Guardianship
foster-form-guardianship-who =
    Adults ready to care for a child and protect their rights. The guardianship authority will name the full requirements.
foster-form-guardianship-steps =
    1. An application for the state service: it is free.
    2. Documents from the authority's list.
    3. It takes about 19 working days.
    4. The guardianship authority's decision.
foster-form-guardianship-documents = <b>Documents</b>:

foster-form-adoption-name = 💛 Adoption
foster-form-adoption-who =
    The adopter must be at least 16 years older than the child (Marriage and Family Code, art. 92).
    Among those who cannot adopt: people lacking legal capacity or deprived of parental rights; with an illness on the Order No. 692 list; without a permanent residence; with an outstanding conviction for an intentional crime or under prosecution; registered at a narcological or psychoneurological dispensary; with an income below the child's subsistence minimum.
foster-form-adoption-steps =
    1. Registering as a candidate on the eGov portal, with a digital signature or a one-time password (Order No. 407).
    2. Children and candidates are recorded in the national data bank (Order No. 661).
    3. The guardianship authority reviews the documents and decides.
foster-form-adoption-documents = <b>Documents and registration</b>:

## Documents (the applicant's checklist shows the same items)

foster-doc-application = Application
foster-doc-identity = Identity document
foster-doc-spouse-consent = Your spouse's notarised consent (if married)
foster-doc-income-12m = Income for the last 12 months
foster-doc-health-692 = Health certificates (under Order No. 692)
foster-doc-housing = Documents for your housing
foster-doc-marriage-certificate = Marriage certificate (if married)
foster-doc-training-certificate = Foster parent training certificate
foster-doc-guest-training-certificate = Certificate of the training for guest families
foster-doc-psych-training-certificate = Psychological training certificate
foster-doc-contract = Contract on placing the child with the family
foster-doc-egov-registration = Registration as a candidate on eGov (digital signature or one-time password)
foster-doc-ask-authority = The full list: ask the guardianship authority

## Self-check

foster-check-choose =
    The self-check takes a couple of minutes: a few yes-or-no questions. It decides nothing and is not sent to anyone; it just gives you a hint.

    Which form shall we check?
foster-check-progress = <b>Question { $current } of { $total }</b>
foster-check-answered = Your answer: { $answer }
foster-check-fits = 👍 That fits.
foster-check-attention = ⚠️ Worth talking over with our staff.
foster-check-unsure = 🤔 That's fine, it can be checked later.
foster-check-tap-buttons = Please answer with a button under the question 👇
foster-check-old-button = You have answered this one. Please answer the latest question.
foster-check-over = This self-check has ended.
foster-check-result-title = <b>Your self-check: { $form }</b>
foster-check-result-fits = ✅ Fits:
foster-check-result-attention = ⚠️ Needs attention:
foster-check-result-unsure = 🤔 Worth checking:
foster-check-result-all-fit = From your answers, everything matches the main requirements 🌱
foster-check-result-note = This is only a hint, not a decision. You can apply anyway: our staff will advise you. The guardianship authority decides, and the rules can change.

## Self-check questions: the question, why the rule exists, the rule in short

foster-q-citizen = Are you a citizen of Kazakhstan?
foster-why-citizen = Professional foster carers must be citizens of Kazakhstan.
foster-rule-citizen = Citizenship of Kazakhstan

foster-q-age-30-63 = Are you between 30 and 63 years old?
foster-why-age-30-63 = The professional foster family is for carers aged 30 to 63.
foster-rule-age-30-63 = Aged 30 to 63

foster-q-income = Do you have a stable income?
foster-why-income = A stable income gives the children something solid to rely on.
foster-rule-income = A stable income

foster-q-conviction = Do you have a criminal record?
foster-why-conviction = A criminal record is checked to keep the child safe.
foster-rule-conviction = No criminal record

foster-q-residence = Do you have a permanent residence?
foster-why-residence = A child needs a steady home, so a permanent residence is required.
foster-rule-residence = A permanent residence

foster-q-health-692 = Do you have a chronic illness on the Ministry of Health list (Order No. 692)? If you don't know, tap "🤔 Not sure".
foster-why-health-692 = Some illnesses on the Ministry of Health list (Order No. 692) rule out taking a child; health certificates are issued under this order.
foster-rule-health-692 = No illness on the Order No. 692 list

foster-q-adult = Are you 18 or older?
foster-why-adult = Only an adult can take a child into the family.
foster-rule-adult = Being an adult

foster-q-training = Have you completed the school for foster parents, or are you ready to?
foster-why-training = The school prepares you for life with a child; everyone except the child's close relatives needs its certificate.
foster-rule-training = The school for foster parents

foster-q-training-guest = Have you completed the training for guest families, or are you ready to?
foster-why-training-guest = Since August 2022 a guest family needs a training certificate.
foster-rule-training-guest = Training for guest families

foster-q-capacity = Are you an adult with full legal capacity (not limited by a court)?
foster-why-capacity = Only an adult with legal capacity can adopt; the adopter must also be at least 16 years older than the child.
foster-rule-capacity = Adult with legal capacity

foster-q-conviction-intentional = Do you have an outstanding conviction for an intentional crime, or are you under criminal prosecution?
foster-why-conviction-intentional = The law does not allow adoption with such a conviction or during a prosecution.
foster-rule-conviction-intentional = No outstanding conviction for an intentional crime, no prosecution

foster-q-income-minimum = Is your income above the child's subsistence minimum?
foster-why-income-minimum = The law requires an income not below the child's subsistence minimum.
foster-rule-income-minimum = Income not below the child's subsistence minimum

foster-q-income-12m = Can you show your income for the last 12 months?
foster-why-income-12m = The state service asks for income details for 12 months.
foster-rule-income-12m = Income details for 12 months

foster-q-housing-docs = Do you have documents for the home where the child will live?
foster-why-housing-docs = The state service asks for documents for the housing.
foster-rule-housing-docs = Documents for the housing
