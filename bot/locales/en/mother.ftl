mother-intro = You are not alone. <b>Ana Uyi</b> mothers' houses take in pregnant women and mothers with babies: a safe place to live, food, doctors and a psychologist.
mother-cities = There are houses in many regions, including: { $cities }.
mother-call-111 = To talk to someone now, call <b>111</b>: free, day and night, anonymous. In danger, call <b>112</b>.
