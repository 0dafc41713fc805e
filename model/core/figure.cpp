#include "figure.h"

#include "untrusted_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace cliff {
namespace {

constexpr std::array<std::string_view, 11> kCategories = {
    "capex", "revenue", "token_prices", "leaderboard", "credit", "fiber_analogue",
    "training_cost", "market_events", "gpu_economics", "moe_models", "efficiency"};

constexpr std::array<std::string_view, 20> kUnits = {
    "USD", "CNY", "USD/1M tokens", "CNY/1M tokens", "USD/GPU-hour", "%", "bp", "x", "count",
    "parameters", "tokens", "GPU-hours", "GPUs", "months", "years", "W", "miles", "FLOP",
    "points", "rank"};

constexpr std::array<std::string_view, 5> kKinds = {"reported", "estimate", "projection",
                                                    "guidance", "assumption"};

constexpr std::array<std::string_view, 12> kSourceKinds = {
    "seed", "paper", "report", "filing", "press_release", "news", "analysis", "pricing_page",
    "leaderboard", "model_card", "dataset", "app"};

constexpr std::array<std::string_view, 3> kSourceTiers = {"primary", "secondary", "other"};

/// Kinds whose publisher speaks for itself, so their sources may be primary.
constexpr std::array<std::string_view, 8> kPrimaryKinds = {
    "filing", "press_release", "pricing_page", "paper", "report", "leaderboard", "model_card",
    "dataset"};

/// Hosts that copy other publishers' pages (reposts, archives, front ends, syndication copies).
/// A figure cites the original publisher; the note says when only such a copy could be read.
constexpr std::array<std::string_view, 36> kMirrorHosts = {
    "archive.org", "archive.ph", "archive.is", "archive.today", "webcache.googleusercontent.com",
    "vuink.com", "filterhn.com", "greaterwrong.com", "threadreaderapp.com", "web-origin.lbkrs.com",
    "longbridge.com", "sipoch.com", "wpnews.pro", "trendindigitals.in", "topnews.com",
    "yourai.pro", "webull.com", "webull.com.my", "menafn.com", "bigspringherald.com",
    "prchief.com", "theinvestmentnews.com", "newsbreak.com", "msn.com",
    // Press-release feeds: wire texts reposted under another host.
    "financialcontent.com", "marketminute.com", "ridgwayrecord.com", "quantisnow.com",
    "finanznachrichten.de", "epicos.com", "6ix.com", "businesswirenews.com", "pubt.io",
    "markitdigital.com", "markets.ft.com", "advfn.com"};

/// Words that mark a front end for another site (Reddit, X, YouTube) in any host label.
constexpr std::array<std::string_view, 5> kFrontEndWords = {"redlib", "libreddit", "teddit",
                                                            "nitter", "invidious"};

constexpr int kMaxQuoteWords = 25;

/// The earliest calendar year a value in unit "years" is taken to be a date rather than a span.
constexpr double kFirstCalendarYear = 1900.0;
constexpr double kLastCalendarYear = 2100.0;

template <std::size_t N>
bool contains(const std::array<std::string_view, N> &list, std::string_view word)
{
    return std::find(list.begin(), list.end(), word) != list.end();
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

/// Reads `digits` consecutive digits at `pos` as an int, or -1.
int readInt(std::string_view text, std::size_t pos, std::size_t digits)
{
    if (pos + digits > text.size())
        return -1;
    int result = 0;
    for (std::size_t i = pos; i < pos + digits; ++i) {
        if (!isDigit(text[i]))
            return -1;
        result = result * 10 + (text[i] - '0');
    }
    return result;
}

bool isAsciiAlnum(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// The message for an id that isPlainId refuses; the id itself is left out, since it may be long
/// or hold control characters.
constexpr const char *kNotPlainId =
    "is not a plain id (a letter or digit, then letters, digits, '.', '_', ':' or '-')";

bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month)
{
    static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

double yearFraction(int year, int month, int day)
{
    int dayOfYear = day - 1;
    for (int m = 1; m < month; ++m)
        dayOfYear += daysInMonth(year, m);
    return year + dayOfYear / (isLeapYear(year) ? 366.0 : 365.0);
}

std::optional<PeriodSpan> parseSinglePeriod(std::string_view text)
{
    if (text.substr(0, 2) == "FY")
        text.remove_prefix(2);
    const int year = readInt(text, 0, 4);
    if (year < 1800 || year > 2200)
        return std::nullopt;
    if (text.size() == 4)
        return PeriodSpan{double(year), double(year + 1)};
    if (text.size() == 7 && text[4] == '-' && text[5] == 'Q') {
        const int quarter = readInt(text, 6, 1);
        if (quarter < 1 || quarter > 4)
            return std::nullopt;
        return PeriodSpan{year + (quarter - 1) / 4.0, year + quarter / 4.0};
    }
    if (text.size() >= 7 && text[4] == '-') {
        const int month = readInt(text, 5, 2);
        if (month < 1 || month > 12)
            return std::nullopt;
        if (text.size() == 7)
            return PeriodSpan{year + (month - 1) / 12.0, year + month / 12.0};
        if (text.size() == 10 && text[7] == '-') {
            const int day = readInt(text, 8, 2);
            if (day < 1 || day > daysInMonth(year, month))
                return std::nullopt;
            const double start = yearFraction(year, month, day);
            return PeriodSpan{start, start + 1.0 / 365.0};
        }
    }
    return std::nullopt;
}

struct ScaleWord {
    std::string_view word;
    double factor;
};
constexpr std::array<ScaleWord, 12> kScales = {{{"thousand", 1e3},
                                                {"k", 1e3},
                                                {"million", 1e6},
                                                {"mn", 1e6},
                                                {"m", 1e6},
                                                {"billion", 1e9},
                                                {"bn", 1e9},
                                                {"b", 1e9},
                                                {"trillion", 1e12},
                                                {"tn", 1e12},
                                                {"t", 1e12},
                                                {"mil", 1e6}}};

/// The scales a table heading may state, written after a table row's number in `quoted`.
constexpr std::array<ScaleWord, 3> kTableScales = {{{" [in thousands]", 1e3},
                                                    {" [in millions]", 1e6},
                                                    {" [in billions]", 1e9}}};

constexpr std::array<std::string_view, 21> kNumberWords = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"};

std::string lowerAscii(std::string_view text)
{
    std::string lower(text);
    for (char &c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

bool startsWordAt(std::string_view text, std::size_t pos, std::string_view word)
{
    if (text.substr(pos, word.size()) != word)
        return false;
    const std::size_t end = pos + word.size();
    return end == text.size() || !isAlpha(text[end]);
}

void skipSpaces(std::string_view text, std::size_t &pos);

/// Parses a number (digits with optional thousands commas and decimals, or a number word) at
/// `pos`, advancing it. Thousands separators are accepted only in groups of three digits.
std::optional<double> readNumber(std::string_view text, std::size_t &pos)
{
    if (pos < text.size() && isDigit(text[pos])) {
        std::string digits;
        std::size_t i = pos;
        while (i < text.size()) {
            if (isDigit(text[i])) {
                digits += text[i++];
            } else if (text[i] == ',' && readInt(text, i + 1, 3) >= 0
                       && (i + 4 >= text.size() || !isDigit(text[i + 4]))) {
                ++i;
            } else if (text[i] == '.' && i + 1 < text.size() && isDigit(text[i + 1])
                       && digits.find('.') == std::string::npos) {
                digits += text[i++];
            } else {
                break;
            }
        }
        pos = i;
        return std::strtod(digits.c_str(), nullptr);
    }
    if (startsWordAt(text, pos, "half")) {
        pos += 4;
        return 0.5;
    }
    if (startsWordAt(text, pos, "a")) { // "a trillion dollars" is one trillion
        std::size_t probe = pos + 1;
        skipSpaces(text, probe);
        for (const ScaleWord &scale : kScales) {
            if (scale.word.size() > 2 && startsWordAt(text, probe, scale.word)) {
                pos += 1;
                return 1.0;
            }
        }
    }
    for (std::size_t n = 0; n < kNumberWords.size(); ++n) {
        if (startsWordAt(text, pos, kNumberWords[n])) {
            pos += kNumberWords[n].size();
            return double(n);
        }
    }
    return std::nullopt;
}

/// The first number written in digits in a lowered `text`, before any scale word.
std::optional<double> firstDigits(std::string_view text)
{
    std::size_t pos = text.find_first_of("0123456789");
    return pos == std::string_view::npos ? std::nullopt : readNumber(text, pos);
}

void skipSpaces(std::string_view text, std::size_t &pos)
{
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t'))
        ++pos;
    // A no-break space (U+00A0) or narrow no-break space (U+202F) between a number and its scale.
    if (text.substr(pos, 2) == "\xC2\xA0" || text.substr(pos, 3) == "\xE2\x80\xAF") {
        pos += text[pos] == '\xC2' ? 2 : 3;
        skipSpaces(text, pos);
    }
}

std::optional<double> readScale(std::string_view text, std::size_t &pos)
{
    std::size_t probe = pos;
    skipSpaces(text, probe);
    if (startsWordAt(text, probe, "a")) // "half a trillion"
        probe += 1, skipSpaces(text, probe);
    for (const ScaleWord &scale : kScales) {
        if (startsWordAt(text, probe, scale.word)) {
            pos = probe + scale.word.size();
            return scale.factor;
        }
    }
    return std::nullopt;
}

/// Consumes a range separator (hyphen, en or em dash, "to", or "and" after "between") and
/// returns whether one was there.
bool readRangeSeparator(std::string_view text, std::size_t &pos, bool afterBetween)
{
    std::size_t probe = pos;
    skipSpaces(text, probe);
    if (probe < text.size() && text[probe] == '-')
        probe += 1;
    else if (text.substr(probe, 3) == "\xE2\x80\x93" || text.substr(probe, 3) == "\xE2\x80\x94")
        probe += 3;
    else if (startsWordAt(text, probe, "to"))
        probe += 2;
    else if (afterBetween && startsWordAt(text, probe, "and"))
        probe += 3;
    else
        return false;
    skipSpaces(text, probe);
    // Currency signs may repeat on the upper end ("$500M–$1B").
    while (probe < text.size() && (text[probe] == '$' || text[probe] == '~'))
        ++probe;
    pos = probe;
    return true;
}

bool closeTo(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

} // namespace

std::span<const std::string_view> figureCategories() { return kCategories; }
std::span<const std::string_view> figureUnits() { return kUnits; }
std::span<const std::string_view> figureKinds() { return kKinds; }
std::span<const std::string_view> sourceKinds() { return kSourceKinds; }
std::span<const std::string_view> sourceTiers() { return kSourceTiers; }

bool kindMayBePrimary(std::string_view sourceKind) { return contains(kPrimaryKinds, sourceKind); }

std::string urlHost(std::string_view url)
{
    const std::size_t scheme = url.find("://");
    if (scheme == std::string_view::npos)
        return {};
    std::string_view rest = url.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos)
        rest = rest.substr(at + 1);
    if (!rest.empty() && rest.front() == '[') // an IPv6 literal keeps its brackets
        return lowerAscii(rest.substr(0, rest.find(']') + 1));
    return lowerAscii(rest.substr(0, rest.find(':')));
}

std::optional<std::string> mirrorReason(std::string_view url)
{
    const std::string host = urlHost(url);
    if (host.empty())
        return std::nullopt;
    const bool ipv4 = std::all_of(host.begin(), host.end(),
                                  [](char c) { return isDigit(c) || c == '.'; });
    if (ipv4 || host.front() == '[')
        return "the host " + host + " is a bare IP address, not a publisher";
    for (std::string_view mirror : kMirrorHosts) {
        const bool sameOrSub = host == mirror
            || (host.size() > mirror.size() && host.ends_with(mirror)
                && host[host.size() - mirror.size() - 1] == '.');
        if (sameOrSub)
            return "the host " + host + " copies other publishers' pages";
    }
    for (std::string_view word : kFrontEndWords) {
        if (host.find(word) != std::string::npos)
            return "the host " + host + " is a front end for another site";
    }
    return std::nullopt;
}

double quotedResolution(std::string_view quoted)
{
    const std::string text = lowerAscii(quoted);
    const std::size_t start = text.find_first_of("0123456789");
    const auto spelled = parseQuotedNumber(quoted);
    if (start == std::string::npos || !spelled)
        return 0.0;
    std::size_t pos = start;
    const std::optional<double> written = readNumber(text, pos);
    if (!written || *written == 0.0)
        return 0.0;
    const std::string_view number = std::string_view(text).substr(start, pos - start);
    const std::size_t point = number.find('.');
    const int decimals = point == std::string_view::npos ? 0 : int(number.size() - point - 1);
    const double scale = spelled->low / *written;
    return std::abs(scale) * std::pow(10.0, -decimals);
}

std::string joinIds(const std::vector<std::string> &ids)
{
    std::string cell;
    for (const std::string &id : ids)
        cell += (cell.empty() ? "" : ";") + id;
    return cell;
}

std::vector<std::string> splitIds(std::string_view cell)
{
    std::vector<std::string> ids;
    while (!cell.empty()) {
        const std::size_t end = cell.find(';');
        std::string_view id = cell.substr(0, end);
        while (!id.empty() && id.front() == ' ')
            id.remove_prefix(1);
        while (!id.empty() && id.back() == ' ')
            id.remove_suffix(1);
        ids.emplace_back(id);
        cell = end == std::string_view::npos ? std::string_view{} : cell.substr(end + 1);
    }
    return ids;
}

std::optional<PeriodSpan> parsePeriod(std::string_view period)
{
    if (const std::size_t dots = period.find(".."); dots != std::string_view::npos) {
        const auto first = parseSinglePeriod(period.substr(0, dots));
        const auto last = parseSinglePeriod(period.substr(dots + 2));
        if (!first || !last || last->endYear <= first->startYear)
            return std::nullopt;
        return PeriodSpan{first->startYear, last->endYear};
    }
    return parseSinglePeriod(period);
}

std::string_view quotedAsWritten(std::string_view quoted)
{
    for (const ScaleWord &scale : kTableScales) {
        if (quoted.ends_with(scale.word))
            return quoted.substr(0, quoted.size() - scale.word.size());
    }
    return quoted;
}

std::optional<QuotedNumber> parseQuotedNumber(std::string_view quoted)
{
    for (const ScaleWord &scale : kTableScales) {
        if (!quoted.ends_with(scale.word))
            continue;
        const std::string_view written = quotedAsWritten(quoted);
        const std::optional<QuotedNumber> number = parseQuotedNumber(written);
        // A table row's number is in its table's unit, so it may not carry a scale of its own.
        if (!number || number->low != firstDigits(lowerAscii(written)))
            return std::nullopt;
        return QuotedNumber{number->low * scale.factor, number->high * scale.factor};
    }
    const std::string text = lowerAscii(quoted);
    std::size_t pos = 0;
    std::optional<double> first;
    std::size_t firstStart = 0;
    while (pos < text.size()) {
        const bool atWordStart = pos == 0 || !isAlpha(text[pos - 1]);
        if (isDigit(text[pos]) || atWordStart) {
            std::size_t probe = pos;
            if ((first = readNumber(text, probe))) {
                firstStart = pos;
                pos = probe;
                break;
            }
        }
        ++pos;
    }
    if (!first)
        return std::nullopt;
    // "between 450 and 880" is a range; without "between", "5 and 6" is two numbers.
    std::string_view before = std::string_view(text).substr(0, firstStart);
    while (!before.empty() && (before.back() == ' ' || before.back() == '$' || before.back() == '~'))
        before.remove_suffix(1);
    const bool between = before.ends_with("between")
                         && (before.size() == 7 || !isAlpha(before[before.size() - 8]));

    const std::optional<double> firstScale = readScale(text, pos);
    std::optional<double> second;
    std::optional<double> secondScale;
    std::size_t afterFirst = pos;
    if (readRangeSeparator(text, afterFirst, between)) {
        std::size_t probe = afterFirst;
        if ((second = readNumber(text, probe))) {
            pos = probe;
            secondScale = readScale(text, pos);
        }
    }
    if (!second) {
        const double value = *first * firstScale.value_or(1.0);
        return QuotedNumber{value, value};
    }
    const double upperFactor = secondScale.value_or(firstScale.value_or(1.0));
    return QuotedNumber{*first * firstScale.value_or(upperFactor), *second * upperFactor};
}

int wordCount(std::string_view text)
{
    int words = 0;
    bool inWord = false;
    for (char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!space && !inWord)
            ++words;
        inWord = !space;
    }
    return words;
}

bool isPlainId(std::string_view id)
{
    if (id.empty() || !isAsciiAlnum(id.front()))
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return isAsciiAlnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
    });
}

Status validateSource(const Source &source)
{
    if (source.id.empty())
        return Error{"is empty", {}, 0, "id"};
    if (!isPlainId(source.id))
        return Error{kNotPlainId, {}, 0, "id"};
    if (source.title.empty())
        return Error{"is empty", {}, 0, "title"};
    if (!contains(kSourceKinds, source.sourceKind))
        return Error{"unknown source kind " + quoteUntrusted(source.sourceKind), {}, 0, "source_kind"};
    const bool mayLackUrl = source.sourceKind == "seed" || source.sourceKind == "app";
    if (source.url.empty() && !mayLackUrl)
        return Error{"a source of kind " + quoteUntrusted(source.sourceKind) + " needs a URL", {}, 0, "url"};
    if (!source.url.empty() && source.url.rfind("https://", 0) != 0
        && source.url.rfind("http://", 0) != 0)
        return Error{"is not an http(s) address", {}, 0, "url"};
    if (!source.published.empty() && !parsePeriod(source.published))
        return Error{"expected YYYY-MM-DD, YYYY-MM or YYYY", {}, 0, "published"};
    if (!contains(kSourceTiers, source.tier))
        return Error{"unknown tier " + quoteUntrusted(source.tier)
                     + " (expected primary, secondary or other)", {}, 0, "tier"};
    return Ok{};
}

Status checkSourceProvenance(const Source &source)
{
    if (source.tier == "primary" && !kindMayBePrimary(source.sourceKind))
        return Error{"rule tier-matches-kind: a source of kind " + quoteUntrusted(source.sourceKind)
                     + " reports what others said, so it cannot be primary", {}, 0, "tier"};
    if (source.sourceKind == "seed" && source.tier != "other")
        return Error{"rule tier-matches-kind: a seed article is tier other", {}, 0, "tier"};
    if (const auto mirror = mirrorReason(source.url))
        return Error{"rule no-mirrors: " + *mirror + "; cite the original publisher's URL and "
                     "say in the note that a copy was read", {}, 0, "url"};
    if (lowerAscii(source.publisher).find("mirror") != std::string::npos)
        return Error{"rule no-mirrors: names a mirror; name the original publisher", {}, 0,
                     "publisher"};
    return Ok{};
}

Status validateFigure(const Figure &figure)
{
    if (figure.id.empty())
        return Error{"is empty", {}, 0, "id"};
    if (!isPlainId(figure.id))
        return Error{kNotPlainId, {}, 0, "id"};
    if (!contains(kCategories, figure.category))
        return Error{"unknown category " + quoteUntrusted(figure.category), {}, 0, "category"};
    if (figure.entity.empty())
        return Error{"is empty", {}, 0, "entity"};
    if (figure.metric.empty())
        return Error{"is empty", {}, 0, "metric"};
    if (!std::isfinite(figure.value))
        return Error{"is not a finite number", {}, 0, "value"};
    if (figure.low.has_value() != figure.high.has_value())
        return Error{"low and high go together", {}, 0, figure.low ? "high" : "low"};
    if (figure.low && (!std::isfinite(*figure.low) || !std::isfinite(*figure.high)))
        return Error{"is not a finite number", {}, 0, "low"};
    if (figure.low && !(*figure.low <= figure.value && figure.value <= *figure.high))
        return Error{"value must lie within [low, high]", {}, 0, "value"};
    if (!contains(kUnits, figure.unit))
        return Error{"unknown unit " + quoteUntrusted(figure.unit), {}, 0, "unit"};
    if (!parsePeriod(figure.period))
        return Error{quoteUntrusted(figure.period) + " is not a period (YYYY, FYYYYY, YYYY-Qn, YYYY-MM, "
                     "YYYY-MM-DD or A..B)", {}, 0, "period"};
    if (!contains(kKinds, figure.kind))
        return Error{"unknown kind " + quoteUntrusted(figure.kind), {}, 0, "kind"};
    if (figure.sourceId.empty())
        return Error{"is empty", {}, 0, "source_id"};
    if (!isPlainId(figure.sourceId))
        return Error{kNotPlainId, {}, 0, "source_id"};
    if (!figure.readIn.empty() && !isPlainId(figure.readIn))
        return Error{kNotPlainId, {}, 0, "read_in"};
    for (std::size_t i = 0; i < figure.alsoIn.size(); ++i) {
        const std::string &id = figure.alsoIn[i];
        if (!isPlainId(id))
            return Error{kNotPlainId, {}, 0, "also_in"};
        if (id == figure.sourceId)
            return Error{quoteUntrusted(id) + " is already the source_id", {}, 0, "also_in"};
        if (std::find(figure.alsoIn.begin(), figure.alsoIn.begin() + long(i), id)
            != figure.alsoIn.begin() + long(i))
            return Error{quoteUntrusted(id) + " is listed twice", {}, 0, "also_in"};
    }
    if (figure.unit == "years" && figure.value >= kFirstCalendarYear
        && figure.value <= kLastCalendarYear)
        return Error{"rule years-is-a-duration: unit years is a duration; a calendar year "
                     "belongs in the period", {}, 0, "unit"};
    if (figure.quote.empty())
        return Error{"is empty", {}, 0, "quote"};
    if (wordCount(figure.quote) > kMaxQuoteWords)
        return Error{"has " + std::to_string(wordCount(figure.quote)) + " words; at most "
                     + std::to_string(kMaxQuoteWords), {}, 0, "quote"};
    const std::string_view written = quotedAsWritten(figure.quoted);
    if (written.empty() || figure.quote.find(written) == std::string::npos)
        return Error{quoteUntrusted(figure.quoted) + " does not appear in the quote", {}, 0, "quoted"};
    auto spelled = parseQuotedNumber(figure.quoted);
    if (!spelled)
        return Error{quoteUntrusted(figure.quoted) + " spells no number", {}, 0, "quoted"};
    // A duration quoted in years is stored in months where its metric counts months.
    if (figure.unit == "months" && lowerAscii(figure.quoted).find("year") != std::string::npos)
        spelled = QuotedNumber{spelled->low * 12.0, spelled->high * 12.0};
    const bool spelledRange = !closeTo(spelled->low, spelled->high);
    if (figure.low) {
        if (!closeTo(spelled->low, *figure.low) || !closeTo(spelled->high, *figure.high))
            return Error{quoteUntrusted(figure.quoted) + " does not match low/high", {}, 0, "quoted"};
    } else if (spelledRange || !closeTo(spelled->low, figure.value)) {
        return Error{quoteUntrusted(figure.quoted) + " does not match value", {}, 0, "quoted"};
    }
    return Ok{};
}

} // namespace cliff
