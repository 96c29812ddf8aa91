foster-intro =
    <b>Ways to give a child a family</b>

    • <b>Professional foster family</b>: trained carers aged 30 to 63 with a stable income take up to four children under a contract (since 1 July 2025).
    • <b>Foster family</b>: a child lives with you; a course at a school for foster parents comes first.
    • <b>Guest family</b>: a child from a children's home stays with you at weekends and on holidays; a course is required.
    • <b>Guardianship</b>: you care for a child and protect their rights; a free state service, about 19 working days.
    • <b>Adoption</b>: the child becomes your child by law; candidates register on the eGov portal.

    Every decision is made by the guardianship authority, and the rules can change.
