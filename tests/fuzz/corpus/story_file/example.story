# A story of your own for Compute Cliff Explorer: open it with File > Open story,
# or check it with `compute-cliff story docs/example.story`.
# Each step starts with [step]; its lines are "key: value". Lines starting with # are notes.

[step]
title: What did the cheap model cost?
view: cost-curves
chart: training-cost
caption: Find DeepSeek-V3's dot on the log axis and compare it with GPT-4's.
question: What did DeepSeek-V3's final training run cost, by DeepSeek's own account?
answer: figure v3-final-run-cost-report
unit: US$ millions

[step]
title: Dearer money
view: revenue-gap
chart: required-vs-projected
set: wacc=0.12
caption: Capital now costs 12% a year. Watch the required-revenue line rise.
question: How large is the 2030 revenue gap at a 12% cost of capital?
answer: headline gap_2030_usd
unit: US$ billions
