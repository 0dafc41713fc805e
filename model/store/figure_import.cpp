#include "figure_import.h"

#include "figure_listing.h"
#include "file_checks.h"

#include "core/csv.h"
#include "core/untrusted_text.h"

#include <QFile>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace cliff::store {
namespace {

/// The source columns of listingColumns(), in sourceColumns() order ("note" is not listed).
const std::vector<std::string> &listedSourceColumns()
{
    static const std::vector<std::string> columns = {
        "source_id", "source_title", "source_publisher", "source_url", "source_published",
        "source_kind", "source_tier"};
    return columns;
}

/// Columns added after the first listings; a file without them still imports.
constexpr std::string_view kOptionalColumns[] = {"also_in", "source_tier"};

/// The index of a column in listingColumns().
std::size_t listingIndex(std::string_view name)
{
    const std::vector<std::string> &columns = listingColumns();
    return std::size_t(std::find(columns.begin(), columns.end(), name) - columns.begin());
}

/// A source as known before a row: from a store (line 0) or from an earlier row of the file.
struct KnownSource {
    Source source;
    int line = 0;
    const char *where = ""; ///< "the shipped store", "your database" or "line"
};

class RowChecker {
public:
    RowChecker(const std::string &fileName, const Dataset &shipped, const Dataset &user,
               bool tierListed)
        : m_fileName(fileName), m_tierListed(tierListed)
    {
        for (const Figure &figure : shipped.figures)
            m_shippedFigures.emplace(figure.id, &figure);
        for (const Figure &figure : user.figures)
            m_userFigures.emplace(figure.id, &figure);
        for (const Source &source : shipped.sources)
            remember(source, 0, "the shipped store");
        for (const Source &source : user.sources) {
            m_userSourceIds.insert(source.id);
            if (!m_sources.count(source.id))
                remember(source, 0, "your database");
        }
    }

    /// Makes a valid source first given on `line` known to every row, above or below it, so a
    /// figure may be read in a seed that a later row introduces.
    void learnSource(int line, const std::vector<std::string> &fields)
    {
        const Source source = sourceOf(fields);
        if (m_sources.count(source.id) || !sourceFromFields(sourceColumnsOf(source)))
            return;
        if (!source.url.empty() && m_sourceByUrl.count(source.url))
            return;
        remember(source, line, "line");
    }

    /// Checks one record whose fields are already in listingColumns() order.
    ImportRow check(int line, const std::vector<std::string> &fields, ImportPreview &preview)
    {
        ImportRow row;
        row.line = line;
        const std::size_t figureFieldCount = figureColumns().size();
        const std::vector<std::string> figureFields(fields.begin(),
                                                    fields.begin() + std::ptrdiff_t(figureFieldCount));
        auto figure = figureFromFields(figureFields);
        if (figure) {
            row.figure = std::move(figure).value();
        } else {
            addError(row, figure.error());
            // Kept as text so that a preview can still say which row this is.
            row.figure.id = figureFields[0];
            row.figure.category = figureFields[1];
            row.figure.entity = figureFields[2];
            row.figure.metric = figureFields[3];
            row.figure.unit = figureFields[7];
            row.figure.period = figureFields[8];
            row.figure.kind = figureFields[9];
        }
        row.figure.userOwned = true;

        const std::string &origin = fields.back();
        if (origin != "shipped" && origin != "user" && !origin.empty())
            addError(row, Error{quoteUntrusted(origin) + " is neither 'shipped' nor 'user'", {}, 0, "origin"});

        const Source source = sourceOf(fields);
        auto validSource = sourceFromFields(sourceColumnsOf(source));
        if (!validSource)
            addError(row, renamedSourceError(validSource.error()));

        if (row.errors.empty())
            checkSource(row, source);
        if (row.errors.empty()) {
            const auto find = [this, &source](const std::string &id) -> const Source * {
                if (id == source.id)
                    return &source;
                const auto it = m_sources.find(id);
                return it == m_sources.end() ? nullptr : &it->second.source;
            };
            if (Status linked = checkFigureSources(row.figure, find); !linked)
                addError(row, linked.error());
        }
        if (!row.figure.id.empty()) {
            if (const auto [it, added] = m_figureLines.emplace(row.figure.id, line); !added) {
                addError(row, Error{quoteUntrusted(row.figure.id) + " is also the id on line "
                                    + std::to_string(it->second), {}, 0, "id"});
            }
        }
        if (row.errors.empty())
            classify(row);
        if (!row.errors.empty()) {
            row.action = ImportAction::Reject;
            return row;
        }
        if (row.action == ImportAction::Add || row.action == ImportAction::Replace) {
            needSource(source.id, preview);
            if (!row.figure.readIn.empty())
                needSource(row.figure.readIn, preview);
        }
        return row;
    }

private:
    /// The row's source; a file listed before tiers existed takes a known source's tier, and
    /// tier "other" for a source of its own.
    Source sourceOf(const std::vector<std::string> &fields) const
    {
        static const std::size_t id = listingIndex("source_id");
        static const std::size_t first = listingIndex("source_title");
        static const std::size_t tier = listingIndex("source_tier");
        Source source{fields[id], fields[first], fields[first + 1], fields[first + 2],
                      fields[first + 3], fields[first + 4], fields[tier], {}};
        if (!m_tierListed) {
            const auto known = m_sources.find(source.id);
            source.tier = known == m_sources.end() ? "other" : known->second.source.tier;
        }
        return source;
    }

    static std::vector<std::string> sourceColumnsOf(const Source &s)
    {
        return {s.id, s.title, s.publisher, s.url, s.published, s.sourceKind, s.tier, s.note};
    }

    void remember(const Source &source, int line, const char *where)
    {
        m_sources.emplace(source.id, KnownSource{source, line, where});
        if (!source.url.empty())
            m_sourceByUrl.emplace(source.url, source.id);
    }

    /// Adds the source to what the user database must receive, once.
    void needSource(const std::string &id, ImportPreview &preview)
    {
        if (m_userSourceIds.count(id) || !m_written.insert(id).second)
            return;
        preview.sources.push_back(m_sources.at(id).source);
    }

    void addError(ImportRow &row, Error error) const
    {
        error.file = m_fileName;
        error.line = row.line;
        row.errors.push_back(std::move(error));
    }

    static Error renamedSourceError(Error error)
    {
        static const std::unordered_map<std::string, std::string> listed = {
            {"id", "source_id"}, {"title", "source_title"}, {"publisher", "source_publisher"},
            {"url", "source_url"}, {"published", "source_published"},
            {"source_kind", "source_kind"}, {"tier", "source_tier"}};
        if (const auto it = listed.find(error.field); it != listed.end())
            error.field = it->second;
        return error;
    }

    /// The row's source must agree with a source of the same id known before it, and a new
    /// source must not reuse another source's URL.
    void checkSource(ImportRow &row, const Source &source)
    {
        const auto known = m_sources.find(source.id);
        if (known == m_sources.end()) {
            const auto sameUrl = source.url.empty() ? m_sourceByUrl.end()
                                                    : m_sourceByUrl.find(source.url);
            if (sameUrl != m_sourceByUrl.end())
                addError(row, Error{"this URL is already the source " + quoteUntrusted(sameUrl->second)
                                    + "; cite that id", {}, 0, "source_url"});
            return;
        }
        if (known->second.line == row.line)
            return; // the row that introduces the source
        const Source &was = known->second.source;
        const std::string where = known->second.line > 0
                                      ? "line " + std::to_string(known->second.line)
                                      : std::string(known->second.where);
        const std::vector<std::pair<const std::string *, const std::string *>> pairs = {
            {&source.title, &was.title}, {&source.publisher, &was.publisher},
            {&source.url, &was.url}, {&source.published, &was.published},
            {&source.sourceKind, &was.sourceKind}, {&source.tier, &was.tier}};
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            if (*pairs[i].first != *pairs[i].second) {
                addError(row, Error{"source " + quoteUntrusted(source.id) + " is "
                                    + quoteUntrusted(*pairs[i].second) + " here in " + where, {}, 0,
                                    listedSourceColumns()[i + 1]});
                return;
            }
        }
    }

    void classify(ImportRow &row) const
    {
        if (const auto it = m_shippedFigures.find(row.figure.id); it != m_shippedFigures.end()) {
            Figure shipped = *it->second;
            shipped.userOwned = true;
            shipped.published = row.figure.published; // the source's date, not the row's own
            if (shipped == row.figure) {
                row.action = ImportAction::Shipped;
            } else {
                Error clash{quoteUntrusted(row.figure.id) + " is a shipped figure with other values; give "
                            "your figure an id of its own", {}, 0, "id"};
                clash.file = m_fileName;
                clash.line = row.line;
                row.errors.push_back(std::move(clash));
            }
            return;
        }
        if (const auto it = m_userFigures.find(row.figure.id); it != m_userFigures.end()) {
            Figure own = *it->second;
            own.userOwned = true;
            own.published = row.figure.published;
            row.action = own == row.figure ? ImportAction::Unchanged : ImportAction::Replace;
            return;
        }
        row.action = ImportAction::Add;
    }

    const std::string &m_fileName;
    bool m_tierListed = true;
    std::unordered_map<std::string, const Figure *> m_shippedFigures;
    std::unordered_map<std::string, const Figure *> m_userFigures;
    std::unordered_map<std::string, KnownSource> m_sources;
    std::unordered_map<std::string, std::string> m_sourceByUrl;
    std::unordered_map<std::string, int> m_figureLines;
    std::unordered_set<std::string> m_userSourceIds;
    std::unordered_set<std::string> m_written;
};

/// Marks a listing column the file does not have (an optional one).
constexpr std::size_t kAbsentColumn = std::size_t(-1);

/// For each column of listingColumns(), its index in the file's header, or kAbsentColumn for an
/// optional column the file lacks.
Result<std::vector<std::size_t>> mapColumns(const csv::Record &header, const std::string &fileName)
{
    const std::vector<std::string> &expected = listingColumns();
    std::unordered_map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string &name = header.fields[i];
        if (std::find(expected.begin(), expected.end(), name) == expected.end())
            return Error{"unknown column (expected the columns 'compute-cliff figures --format "
                         "csv' prints)", fileName, header.line,
                         name.empty() ? "column " + std::to_string(i + 1) : name};
        if (!position.emplace(name, i).second)
            return Error{"the column appears twice", fileName, header.line, name};
    }
    std::vector<std::size_t> order;
    for (const std::string &name : expected) {
        const auto it = position.find(name);
        const bool optional = std::find(std::begin(kOptionalColumns), std::end(kOptionalColumns),
                                        name) != std::end(kOptionalColumns);
        if (it == position.end() && !optional)
            return Error{"missing column", fileName, header.line, name};
        order.push_back(it == position.end() ? kAbsentColumn : it->second);
    }
    return order;
}

} // namespace

std::size_t ImportPreview::count(ImportAction action) const
{
    return std::size_t(std::count_if(rows.begin(), rows.end(),
                                     [action](const ImportRow &row) { return row.action == action; }));
}

const Error *ImportPreview::firstError() const
{
    for (const ImportRow &row : rows) {
        if (!row.errors.empty())
            return &row.errors.front();
    }
    return nullptr;
}

std::optional<Error> ImportPreview::refusal() const
{
    const Error *first = firstError();
    if (!first)
        return std::nullopt;
    Error refused = *first;
    const std::size_t bad = count(ImportAction::Reject);
    if (bad > 1)
        refused.message += " (and " + std::to_string(bad - 1) + " more rows with errors)";
    refused.message += "; nothing imported";
    return refused;
}

ImportSummary ImportPreview::summary() const
{
    ImportSummary counts;
    counts.added = count(ImportAction::Add);
    counts.replaced = count(ImportAction::Replace);
    counts.unchanged = count(ImportAction::Unchanged);
    counts.shipped = count(ImportAction::Shipped);
    counts.rejected = count(ImportAction::Reject);
    return counts;
}

Result<ImportPreview> checkImport(std::string_view text, const std::string &fileName,
                                  const Dataset &shipped, const Dataset &user)
{
    auto records = csv::parse(text, fileName);
    if (!records)
        return records.error();
    // "# " lines before the header (csv::formatComment) say where a file came from; not rows.
    const auto firstRow = std::find_if(records->begin(), records->end(),
                                       [](const csv::Record &record) { return !csv::isComment(record); });
    records->erase(records->begin(), firstRow);
    if (records->empty())
        return Error{"the file is empty (a header row is required)", fileName, 0, {}};
    const csv::Record &header = records->front();
    auto order = mapColumns(header, fileName);
    if (!order)
        return order.error();
    if (records->size() == 1)
        return Error{"no figure rows after the header", fileName, header.line, {}};

    ImportPreview preview;
    preview.fileName = fileName;
    preview.rows.reserve(records->size() - 1);
    const bool tierListed = (*order)[listingIndex("source_tier")] != kAbsentColumn;
    RowChecker checker(fileName, shipped, user, tierListed);
    const std::size_t columnCount = order->size();
    const std::size_t fileColumnCount = header.fields.size();
    const std::vector<std::string> &columns = listingColumns();
    std::vector<bool> textColumn(columnCount);
    for (std::size_t c = 0; c < columnCount; ++c)
        textColumn[c] = columns[c] != "value" && columns[c] != "low" && columns[c] != "high";
    // Fields into listingColumns() order, text cells without the guard figuresCsv gave them
    // against spreadsheet formulas; rows of the wrong width are left as they are.
    std::vector<bool> wellFormed(records->size(), false);
    for (std::size_t r = 1; r < records->size(); ++r) {
        csv::Record &record = records.value()[r];
        if (record.fields.size() != fileColumnCount)
            continue;
        wellFormed[r] = true;
        std::vector<std::string> fields(columnCount);
        for (std::size_t c = 0; c < columnCount; ++c) {
            if ((*order)[c] == kAbsentColumn)
                continue; // an optional column: empty (the tier is settled by sourceOf)
            std::string &field = record.fields[(*order)[c]];
            fields[c] = textColumn[c] ? csv::textFromCell(field) : std::move(field);
        }
        record.fields = std::move(fields);
        checker.learnSource(record.line, record.fields);
    }
    for (std::size_t r = 1; r < records->size(); ++r) {
        csv::Record &record = records.value()[r];
        if (!wellFormed[r]) {
            ImportRow row;
            row.line = record.line;
            const bool tooFew = record.fields.size() < fileColumnCount;
            const std::string column = tooFew ? header.fields[record.fields.size()]
                                              : "column " + std::to_string(fileColumnCount + 1);
            row.errors.push_back(Error{(tooFew ? "missing" : "unexpected") + std::string(" (the row has ")
                                           + std::to_string(record.fields.size()) + " fields, the header "
                                           + std::to_string(fileColumnCount) + ")",
                                       fileName, record.line, column});
            if (!record.fields.empty())
                row.figure.id = record.fields[(*order)[0] < record.fields.size() ? (*order)[0] : 0];
            preview.rows.push_back(std::move(row));
            continue;
        }
        preview.rows.push_back(checker.check(record.line, record.fields, preview));
    }
    return preview;
}

Result<ImportPreview> checkImportFile(const QString &path, const Dataset &shipped,
                                      const Dataset &user)
{
    auto read = readSmallFile(path, kMaxImportFileBytes);
    if (!read)
        return read.error();
    const QByteArray &bytes = read.value();
    return checkImport(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                       path.toStdString(), shipped, user);
}

std::string_view actionName(ImportAction action)
{
    switch (action) {
    case ImportAction::Add: return "add";
    case ImportAction::Replace: return "replace";
    case ImportAction::Unchanged: return "unchanged";
    case ImportAction::Shipped: return "shipped";
    case ImportAction::Reject: return "reject";
    }
    return "reject";
}

} // namespace cliff::store
