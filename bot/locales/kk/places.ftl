# A typed name that means places far apart ("Абай"): which one is hers.
mother-place-which = «{ $text }» деген жер бірнешеу. Сіз қайдасыз?
mother-place-choice = { $place } ({ $region })
