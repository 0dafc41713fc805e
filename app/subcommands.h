#pragma once

#include <QStringList>

namespace cliff::app {

/// `compute-cliff figures [--category C] [--format csv|json] [--user-db FILE]`: every figure with
/// its source; `figures --use ID`, `--forget-choice ID` or `--delete ID` instead chooses between
/// rival figures, forgets that choice, or deletes one of the user's figures.
int runFigures(const QStringList &args);

/// `compute-cliff import FILE [--valid-only] [--user-db FILE]`: figures from a listing CSV into
/// the user database, all rows or none (or only the valid rows).
int runImport(const QStringList &args);

/// `compute-cliff check-db [FILE]`: integrity and schema checks of a store (default: embedded).
int runCheckDb(const QStringList &args);

/// `compute-cliff bench [--preset P] [--precision fp32|int8] [--threads N] [--tokens N]
/// [--repetitions N] [--simd LEVEL] [--no-save] [--format md|csv|json|jsonl|sql]
/// [--user-db FILE]`: the local MoE inference benchmark, each run saved to the user database;
/// `bench --history [--format md|csv|json]` lists the saved runs.
int runBench(const QStringList &args);

/// `compute-cliff model --view V [--set key=value ...] [--scenario FILE] [--monte-carlo N
/// [--seed S]] [--tornado] --format json`: one economic model's outputs at a scenario, with the
/// assumptions used, and on request Monte Carlo quantiles and probabilities and tornado swings.
int runModel(const QStringList &args);

/// `compute-cliff solve --view V --target KEY=VALUE|KEY<VALUE|KEY>VALUE|rank:PARTY>N
/// [--vary KEY[,KEY...]] [--set key=value ...] [--scenario FILE] [--draws N] [--seed S]
/// [--as-of DATE] --format json`: the smallest move of the view's assumptions that meets the
/// target, in units of their ranges, with the figures it contradicts and the target's chance.
int runSolve(const QStringList &args);

/// `compute-cliff compare --view V CASE CASE [CASE [CASE]] [--as-of DATE] --format json|csv`:
/// two to four scenarios (files, defaults, story:N, links; each optionally @YYYY-MM-DD) side by
/// side: the assumptions that differ, the headlines with their differences from the first, and
/// the statements that flip between them.
int runCompare(const QStringList &args);

/// `compute-cliff story [FILE] [--format json]`: the steps of the shipped story, or of a story
/// file (checked line by line), each with its question answered from the store.
int runStory(const QStringList &args);

/// `compute-cliff export --view V --format png|svg|pdf|csv|bundle --out FILE [--chart KEY|all]
/// [--set key=value ...] [--scenario FILE] [--width W --height H --dpi D] [--title T]
/// [--subtitle S] [--byline B] [--notes N] [--no-footnote] [--alt-text]`: a chart drawn for print.
/// Needs a QApplication (the offscreen platform will do).
int runExport(const QStringList &args);

} // namespace cliff::app
