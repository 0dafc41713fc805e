#pragma once

#include "dataset.h"
#include "figure_choice.h"

#include "core/result.h"

#include <QString>

#include <optional>
#include <vector>

namespace cliff::store {

/// The figures a session works with: the shipped store plus the user's own figures.
struct Catalog {
    Dataset figures;          ///< shipped figures first, then the user's (marked userOwned)
    QString shippedPath;      ///< the file the shipped figures came from
    std::optional<Error> userStoreProblem; ///< set when the user database could not be used
    std::vector<FigureChoice> choices; ///< the user's picks between rival figures

    /// The figures the models read: `figures` after applyChoices (the user's own figure wins a
    /// slot it shares with a shipped one unless the user chose the shipped one).
    [[nodiscard]] std::vector<Figure> modelFigures() const;

    /// The figures of the other origin for `figure`'s slot (a shipped figure's user rivals, or a
    /// user figure's shipped rivals), to show beside it.
    [[nodiscard]] std::vector<const Figure *> rivalsOf(const Figure &figure) const;

    /// Whether `figure` is among modelFigures().
    [[nodiscard]] bool usedByModels(const Figure &figure) const;

    /// The user's recorded choice for `figure`'s slot, or nullptr when there is none.
    [[nodiscard]] const FigureChoice *choiceFor(const Figure &figure) const;
};

/// Loads the shipped store from `shippedPath` (empty: the embedded default) and, when
/// `userPath` names an existing file, the user database, opened read-only: neither file is ever
/// changed. A user database that cannot be used is reported in `userStoreProblem`; only a bad
/// shipped store is an error.
Result<Catalog> loadCatalog(const QString &shippedPath, const QString &userPath);

} // namespace cliff::store
