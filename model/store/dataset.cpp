#include "dataset.h"

#include "core/csv.h"
#include "core/untrusted_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace cliff::store {
namespace {

namespace fs = std::filesystem;

Result<std::string> readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"cannot open the file", path.string(), 0, {}};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Column name -> index, after checking the header holds exactly the expected columns.
Result<std::map<std::string, std::size_t>> mapHeader(const csv::Record &header,
                                                     const std::vector<std::string> &expected,
                                                     const std::string &fileName)
{
    if (header.fields != expected) {
        std::string names;
        for (const std::string &name : expected)
            names += (names.empty() ? "" : ",") + name;
        return Error{"the header must be exactly: " + names, fileName, header.line, {}};
    }
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < expected.size(); ++i)
        columns[expected[i]] = i;
    return columns;
}

Result<std::vector<fs::path>> csvFilesIn(const fs::path &dir)
{
    std::error_code error;
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(dir, error)) {
        if (entry.path().extension() == ".csv")
            files.push_back(entry.path());
    }
    if (error)
        return Error{"cannot list the folder: " + error.message(), dir.string(), 0, {}};
    std::sort(files.begin(), files.end());
    return files;
}

Error located(Error error, const std::string &fileName, int line)
{
    error.file = fileName;
    error.line = line;
    return error;
}

template <class Row, class Convert>
Status readRows(const fs::path &dir, const std::vector<std::string> &columns, Convert convert,
                std::vector<Row> &rows, const std::string &originPrefix,
                std::map<std::string, std::pair<std::string, int>> &origins)
{
    auto files = csvFilesIn(dir);
    if (!files)
        return files.error();
    for (const fs::path &file : files.value()) {
        const std::string fileName = file.string();
        auto text = readFile(file);
        if (!text)
            return text.error();
        auto records = csv::parse(text.value(), fileName);
        if (!records)
            return records.error();
        if (records->empty())
            return Error{"the file is empty (a header row is required)", fileName, 0, {}};
        auto header = mapHeader(records->front(), columns, fileName);
        if (!header)
            return header.error();
        for (std::size_t r = 1; r < records->size(); ++r) {
            const csv::Record &record = records.value()[r];
            if (record.fields.size() != columns.size())
                return Error{"expected " + std::to_string(columns.size()) + " fields, found "
                             + std::to_string(record.fields.size()), fileName, record.line, {}};
            auto row = convert(record.fields);
            if (!row)
                return located(row.error(), fileName, record.line);
            origins.emplace(originPrefix + row->id, std::make_pair(fileName, record.line));
            rows.push_back(std::move(row).value());
        }
    }
    return Ok{};
}

bool periodsOverlap(const Figure &a, const Figure &b)
{
    const auto spanA = parsePeriod(a.period);
    const auto spanB = parsePeriod(b.period);
    return spanA && spanB && spanA->startYear < spanB->endYear
           && spanB->startYear < spanA->endYear;
}

template <class Row>
Status requireUniqueIds(const std::vector<Row> &rows, const char *what)
{
    std::set<std::string> seen;
    for (const Row &row : rows) {
        if (!seen.insert(row.id).second)
            return Error{std::string("duplicate ") + what + " id '" + row.id + "'", {}, 0, "id"};
    }
    return Ok{};
}

} // namespace

Result<Source> sourceFromFields(const std::vector<std::string> &f)
{
    Source source{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]};
    if (Status valid = validateSource(source); !valid)
        return valid.error();
    return source;
}

Result<Figure> figureFromFields(const std::vector<std::string> &f)
{
    Figure figure;
    figure.id = f[0];
    figure.category = f[1];
    figure.entity = f[2];
    figure.metric = f[3];
    const auto value = parseNumber(f[4]);
    if (!value)
        return Error{quoteUntrusted(f[4]) + " is not a number", {}, 0, "value"};
    figure.value = *value;
    for (std::size_t column : {std::size_t{5}, std::size_t{6}}) {
        if (f[column].empty())
            continue;
        const auto bound = parseNumber(f[column]);
        if (!bound)
            return Error{quoteUntrusted(f[column]) + " is not a number", {}, 0, figureColumns()[column]};
        (column == 5 ? figure.low : figure.high) = *bound;
    }
    figure.unit = f[7];
    figure.period = f[8];
    figure.kind = f[9];
    figure.sourceId = f[10];
    figure.readIn = f[11];
    figure.quoted = f[12];
    figure.quote = f[13];
    figure.note = f[14];
    figure.alsoIn = splitIds(f[15]);
    if (Status valid = validateFigure(figure); !valid)
        return valid.error();
    return figure;
}

const Source *Dataset::findSource(const std::string &id) const
{
    const auto it = std::find_if(sources.begin(), sources.end(),
                                 [&id](const Source &source) { return source.id == id; });
    return it == sources.end() ? nullptr : &*it;
}

const Figure *Dataset::findFigure(const std::string &id) const
{
    const auto it = std::find_if(figures.begin(), figures.end(),
                                 [&id](const Figure &figure) { return figure.id == id; });
    return it == figures.end() ? nullptr : &*it;
}

std::vector<const Figure *> Dataset::alternativesTo(const Figure &figure) const
{
    std::vector<const Figure *> found;
    for (const Figure &other : figures) {
        if (other.id == figure.id || other.entity != figure.entity
            || other.metric != figure.metric || other.unit != figure.unit)
            continue;
        if (periodsOverlap(figure, other))
            found.push_back(&other);
    }
    return found;
}

void fillPublished(Dataset &dataset)
{
    std::map<std::string, std::string> published;
    for (const Source &source : dataset.sources)
        published.emplace(source.id, source.published);
    for (Figure &figure : dataset.figures) {
        const auto it = published.find(figure.sourceId);
        figure.published = it == published.end() ? std::string() : it->second;
    }
}

const std::vector<std::string> &sourceColumns()
{
    static const std::vector<std::string> columns = {
        "id", "title", "publisher", "url", "published", "source_kind", "tier", "note"};
    return columns;
}

const std::vector<std::string> &figureColumns()
{
    static const std::vector<std::string> columns = {
        "id", "category", "entity", "metric", "value", "low", "high", "unit",
        "period", "kind", "source_id", "read_in", "quoted", "quote", "note", "also_in"};
    return columns;
}

Result<Dataset> readDatasetDir(const fs::path &dir)
{
    Dataset dataset;
    if (Status read = readRows(dir / "sources", sourceColumns(), sourceFromFields,
                               dataset.sources, "source:", dataset.origins); !read)
        return read.error();
    if (Status read = readRows(dir / "figures", figureColumns(), figureFromFields,
                               dataset.figures, "figure:", dataset.origins); !read)
        return read.error();
    if (Status linked = checkReferences(dataset); !linked)
        return linked.error();
    if (Status provenance = checkProvenance(dataset); !provenance)
        return provenance.error();
    fillPublished(dataset);
    return dataset;
}

Status checkReferences(const Dataset &dataset)
{
    if (Status unique = requireUniqueIds(dataset.sources, "source"); !unique)
        return unique;
    if (Status unique = requireUniqueIds(dataset.figures, "figure"); !unique)
        return unique;

    std::map<std::string, std::string> sourceByUrl;
    for (const Source &source : dataset.sources) {
        if (source.url.empty())
            continue;
        const auto [it, added] = sourceByUrl.emplace(source.url, source.id);
        if (!added)
            return Error{"sources '" + it->second + "' and '" + source.id + "' share the URL "
                         + source.url, {}, 0, "url"};
    }

    std::set<std::string> cited;
    const auto find = [&dataset](const std::string &id) { return dataset.findSource(id); };
    for (const Figure &figure : dataset.figures) {
        if (Status linked = checkFigureSources(figure, find); !linked)
            return linked;
        cited.insert(figure.sourceId);
        if (!figure.readIn.empty())
            cited.insert(figure.readIn);
        cited.insert(figure.alsoIn.begin(), figure.alsoIn.end());
    }
    for (const Source &source : dataset.sources) {
        if (!cited.count(source.id))
            return Error{"source '" + source.id + "' is cited by no figure", {}, 0, "id"};
    }
    return Ok{};
}

Status checkFigureSources(const Figure &figure,
                          const std::function<const Source *(const std::string &)> &find)
{
    const Source *source = find(figure.sourceId);
    if (!source)
        return Error{"figure " + quoteUntrusted(figure.id) + " cites unknown source " + quoteUntrusted(figure.sourceId),
                     {}, 0, "source_id"};
    if (source->url.empty() && figure.kind != "assumption")
        return Error{"figure " + quoteUntrusted(figure.id) + " cites a source without a URL", {}, 0,
                     "source_id"};
    if (figure.readIn.empty())
        return Ok{};
    const Source *seed = find(figure.readIn);
    if (!seed || seed->sourceKind != "seed")
        return Error{"figure " + quoteUntrusted(figure.id) + " was read in " + quoteUntrusted(figure.readIn)
                     + ", which is not a seed source", {}, 0, "read_in"};
    return Ok{};
}

namespace {

/// An error for a rule broken by `figure`, located at its row when the dataset knows it.
Error ruleBroken(const Dataset &dataset, const Figure &figure, const std::string &rule,
                 const std::string &field, const std::string &reason)
{
    Error error{"rule " + rule + ": figure " + quoteUntrusted(figure.id) + " " + reason, {}, 0,
                field};
    if (const auto origin = dataset.origins.find("figure:" + figure.id);
        origin != dataset.origins.end())
        return located(std::move(error), origin->second.first, origin->second.second);
    return error;
}

/// True when one of two single values is the other rounded to the digits its quote wrote.
bool isRoundingOf(const Figure &a, const Figure &b)
{
    if (a.low || b.low)
        return false; // ranges are compared as ranges by their readers, not here
    const double gap = std::abs(a.value - b.value);
    const double slack = 1e-9 * std::max(std::abs(a.value), std::abs(b.value));
    return gap <= 0.5 * quotedResolution(a.quoted) + slack
           || gap <= 0.5 * quotedResolution(b.quoted) + slack;
}

} // namespace

Status checkProvenance(const Dataset &dataset)
{
    for (const Source &source : dataset.sources) {
        if (Status fits = checkSourceProvenance(source); !fits) {
            Error error = fits.error();
            error.message = "source " + quoteUntrusted(source.id) + ": " + error.message;
            if (const auto origin = dataset.origins.find("source:" + source.id);
                origin != dataset.origins.end())
                return located(std::move(error), origin->second.first, origin->second.second);
            return error;
        }
    }
    std::map<std::pair<std::string, std::string>, const Figure *> unitOfMetric;
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<const Figure *>> series;
    for (const Figure &figure : dataset.figures) {
        const Source *source = dataset.findSource(figure.sourceId);
        if (figure.kind == "reported" && source && source->tier == "other")
            return ruleBroken(dataset, figure, "reported-needs-primary-or-secondary", "kind",
                              "is reported but cites " + quoteUntrusted(source->id)
                                  + ", a tier-other source; make it an estimate with a note or "
                                    "cite a primary or secondary source");
        for (const std::string &id : figure.alsoIn) {
            if (!dataset.findSource(id))
                return ruleBroken(dataset, figure, "also-in-resolves", "also_in",
                                  "lists unknown source " + quoteUntrusted(id));
        }
        if (figure.kind == "reported" && source && !source->published.empty()) {
            const auto published = parsePeriod(source->published);
            const auto period = parsePeriod(figure.period);
            if (published && period && period->startYear >= published->endYear)
                return ruleBroken(dataset, figure, "period-is-what-the-number-refers-to",
                                  "period", "is reported for " + figure.period
                                                + ", which starts after its source was published ("
                                                + source->published + ")");
        }
        const auto [unit, added] =
            unitOfMetric.emplace(std::make_pair(figure.category, figure.metric), &figure);
        if (!added && unit->second->unit != figure.unit)
            return ruleBroken(dataset, figure, "one-unit-per-metric", "unit",
                              "is in " + quoteUntrusted(figure.unit) + " while "
                                  + quoteUntrusted(unit->second->id) + " of the same metric is in "
                                  + quoteUntrusted(unit->second->unit));
        auto &siblings = series[{figure.entity, figure.metric, figure.unit}];
        for (const Figure *other : siblings) {
            if (periodsOverlap(*other, figure) && isRoundingOf(*other, figure))
                return ruleBroken(dataset, figure, "one-number-one-figure", "value",
                                  "restates " + quoteUntrusted(other->id) + " ("
                                      + other->quoted + " against " + figure.quoted
                                      + "); keep one figure and list this source in its also_in");
        }
        siblings.push_back(&figure);
    }
    return Ok{};
}

std::string formatNumber(double value)
{
    char buffer[32];
    const auto result = std::to_chars(std::begin(buffer), std::end(buffer), value);
    return std::string(buffer, result.ptr);
}

std::optional<double> parseNumber(const std::string &text)
{
    if (text.empty() || text.front() == '+')
        return std::nullopt;
    double value = 0.0;
    const char *end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    if (result.ec != std::errc() || result.ptr != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

} // namespace cliff::store
