[step]
title: T
view: moat
caption: C
question: Q?
answer: figure count
unit: count
