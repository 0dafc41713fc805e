#pragma once

#include <QString>

#include <span>
#include <string_view>

class QWidget;

namespace cliff::ui {

/// One term of the in-app glossary: defined in our own words; `sourceId` names the store source
/// the definition follows where it follows one (empty otherwise).
struct GlossaryEntry {
    std::string_view key;
    const char *term;       ///< translatable (context "Glossary")
    const char *definition; ///< translatable (context "Glossary"), plain text
    std::string_view sourceId;
};

/// Every glossary entry, sorted by term.
std::span<const GlossaryEntry> glossary();

/// The entry with this key, or nullptr.
const GlossaryEntry *glossaryEntry(std::string_view key);

/// The glossary entry that explains an assumption, by the assumption's key; every assumption has one.
std::string_view glossaryKeyForAssumption(std::string_view assumptionKey);

/// Marks `widget` so that F1 on it (or on a child without a key of its own) opens `topic`: a
/// glossary key or a guide key ("guide:revenue-gap").
void setHelpTopic(QWidget *widget, std::string_view topic);

/// The help topic of `widget` or of its nearest ancestor that has one; empty when none has.
QString helpTopicOf(const QWidget *widget);

/// The topic key of the guide to a view ("guide:" + view key).
QString guideTopic(std::string_view viewKey);

} // namespace cliff::ui
