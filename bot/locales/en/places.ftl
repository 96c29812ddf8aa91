# A typed name that means places far apart ("Абай"): which one is hers.
mother-place-which = There is more than one “{ $text }”. Which is yours?
mother-place-choice = { $place } ({ $region })
