# A typed name that means places far apart ("Абай"): which one is hers.
mother-place-which = Мест с названием «{ $text }» несколько. Где вы?
mother-place-choice = { $place } ({ $region })
