info-about =
    <b>Ana Uyi</b> (“Mother's House”) is a charity foundation in Kazakhstan.

    Since 2013 its mothers' houses have given mothers with newborns in a hard situation a home, food, medical and psychological help, so that the child stays with the mother. The foundation also finds and trains foster families.

    Website: dom-mamy.kz
