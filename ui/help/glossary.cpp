#include "glossary.h"

#include <QVariant>
#include <QWidget>

#include <algorithm>
#include <array>

namespace cliff::ui {

namespace {

constexpr const char *kTopicProperty = "cliffHelpTopic";

// Sorted by term (case-insensitive); a test checks the order and that every source resolves.
constexpr std::array kGlossary = {
    GlossaryEntry{"active-parameters", QT_TRANSLATE_NOOP("Glossary", "Active parameters"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The weights a Mixture-of-Experts model actually uses for one "
                                    "token: the shared layers plus the few experts the router picks. "
                                    "They set the work and the bytes read per token, while the total "
                                    "parameter count sets the memory the model needs."),
                  "deepseek-v3-report"},
    GlossaryEntry{"compute-exposure", QT_TRANSLATE_NOOP("Glossary", "AI compute exposure"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The share of a party's assets and revenue that depends on AI "
                                    "compute: close to all of it for a GPU lessor, a part for a "
                                    "hyperscaler with other businesses."),
                  {}},
    GlossaryEntry{"algorithmic-efficiency", QT_TRANSLATE_NOOP("Glossary", "Algorithmic efficiency"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "How many times less compute better training methods and "
                                    "architectures need each year to reach the same capability. "
                                    "Epoch AI measures a factor of about three a year for language "
                                    "models."),
                  "epoch-algorithmic-progress"},
    GlossaryEntry{"arena", QT_TRANSLATE_NOOP("Glossary", "Arena (LMArena)"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "A public leaderboard, formerly Chatbot Arena, where people compare the answers of two "
                                    "anonymous models and vote for the better one; the votes are "
                                    "turned into a rating per model. The moat view counts which labs "
                                    "and which open-weights models sit in its overall top 10."),
                  "lmarena-leaderboard"},
    GlossaryEntry{"attention", QT_TRANSLATE_NOOP("Glossary", "Attention: MHA, GQA and MLA"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The layer that lets each token look at the tokens before it, "
                                    "through a cache of their keys and values (the KV cache). "
                                    "Multi-head attention (MHA) keeps keys and values for every head; "
                                    "grouped-query attention (GQA) shares them among groups of heads; "
                                    "multi-head latent attention (MLA), DeepSeek's design, stores one "
                                    "small compressed vector per token instead."),
                  "deepseek-v3-report"},
    GlossaryEntry{"bp", QT_TRANSLATE_NOOP("Glossary", "Basis point (bp)"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "One hundredth of a percentage point. A CDS spread of 150 bp costs "
                                    "1.5% of the protected amount a year."),
                  {}},
    GlossaryEntry{"capex", QT_TRANSLATE_NOOP("Glossary", "Capex (capital expenditure)"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "Money a company spends on long-lived assets such as data centres, "
                                    "servers and GPUs. The app uses cash capex as the companies report "
                                    "it (purchases of property and equipment); some companies also "
                                    "report a figure that adds finance leases, and the figure's note "
                                    "says which one is stored."),
                  {}},
    GlossaryEntry{"cash-coverage", QT_TRANSLATE_NOOP("Glossary", "Cash-flow coverage"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "Cash flow from operations divided by what the assets must pay "
                                    "back in a year: depreciation plus interest and principal. Below "
                                    "1, the business no longer earns back its hardware and its debt."),
                  {}},
    GlossaryEntry{"circular-demand", QT_TRANSLATE_NOOP("Glossary", "Circular demand"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "Revenue paid by customers whom the seller itself funds, for "
                                    "example a chip maker investing in a lab that then buys its chips. "
                                    "It is real revenue today but depends on the seller's own money."),
                  {}},
    GlossaryEntry{"wacc", QT_TRANSLATE_NOOP("Glossary", "Cost of capital (WACC)"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The weighted average cost of capital: the yearly return lenders "
                                    "and shareholders together expect on the money tied up in the "
                                    "assets. An investment pays only if it earns more than this."),
                  {}},
    GlossaryEntry{"cds", QT_TRANSLATE_NOOP("Glossary", "Credit default swap (CDS)"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "A contract that pays out if a borrower defaults. Its price, the "
                                    "spread, is the yearly cost of protection in basis points of the "
                                    "amount protected, usually for five years. A wider spread means "
                                    "the market sees a higher chance of default."),
                  {}},
    GlossaryEntry{"decode", QT_TRANSLATE_NOOP("Glossary", "Decode and prefill"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The two phases of running a language model. Prefill reads the "
                                    "prompt, many tokens at once, and is limited by arithmetic. "
                                    "Decode writes the answer one token at a time; each token reads "
                                    "the active weights from memory again, so memory bandwidth "
                                    "limits it."),
                  {}},
    GlossaryEntry{"depreciation", QT_TRANSLATE_NOOP("Glossary", "Depreciation and useful life"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The accounting cost of an asset spread over the years the "
                                    "company expects to use it (its useful life), here in equal "
                                    "parts each year. A longer life lowers the yearly cost and raises "
                                    "reported profit without changing the cash spent."),
                  {}},
    GlossaryEntry{"distribution", QT_TRANSLATE_NOOP("Glossary", "Distribution (of an assumption)"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The range the Monte Carlo draws an assumption from. Triangular: "
                                    "values between a low and a high, most often near the mode, the "
                                    "most likely value. Uniform: every value between low and high "
                                    "equally likely. Log-normal: the logarithm of the value is "
                                    "normal, with spread sigma; suited to factors that multiply."),
                  {}},
    GlossaryEntry{"economic-life", QT_TRANSLATE_NOOP("Glossary", "Economic life of a GPU"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The years an accelerator earns more than it costs to run before "
                                    "newer, cheaper-per-operation hardware makes it uneconomic. It "
                                    "can be shorter than the accounting life."),
                  {}},
    GlossaryEntry{"fragility", QT_TRANSLATE_NOOP("Glossary", "Fragility score"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The app's ranking of who strands first if AI compute earns less "
                                    "than expected: a weighted sum of leverage, compute exposure, "
                                    "circular demand, priced-in execution and the default chance "
                                    "implied by the CDS spread. Higher is more fragile."),
                  {}},
    GlossaryEntry{"gpu-rental-price", QT_TRANSLATE_NOOP("Glossary", "GPU rental price"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "What a cloud charges for one hour on one GPU. The price for the "
                                    "same chip falls as newer chips arrive and supply catches up; "
                                    "for a builder that financed its GPUs with debt, that fall is "
                                    "the revenue it loses on hardware already bought."),
                  {}},
    GlossaryEntry{"guidance", QT_TRANSLATE_NOOP("Glossary", "Guidance"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "A company's own published outlook, such as planned capex for the "
                                    "year. Companies revise it; the app keeps each dated revision and "
                                    "uses the latest one."),
                  {}},
    GlossaryEntry{"hardware-price-performance",
                  QT_TRANSLATE_NOOP("Glossary", "Hardware price-performance"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "Computing operations per dollar of hardware. Epoch AI finds it "
                                    "doubles about every two and a half years for GPUs, a factor of "
                                    "about 1.32 a year."),
                  "alignmentforum-gpu-price-performance"},
    GlossaryEntry{"hyperscaler", QT_TRANSLATE_NOOP("Glossary", "Hyperscaler"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "One of the largest cloud operators: Amazon, Microsoft, Alphabet "
                                    "and, for its own services, Meta. They fund most of the AI "
                                    "build-out from operating cash flow."),
                  {}},
    GlossaryEntry{"input-output-mix", QT_TRANSLATE_NOOP("Glossary", "Input:output token mix"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "Providers price the tokens a user sends (input) and the tokens "
                                    "the model writes (output) separately, output usually several "
                                    "times dearer. One blended price per token needs a mix, for "
                                    "example three input tokens for each output token."),
                  {}},
    GlossaryEntry{"jevons", QT_TRANSLATE_NOOP("Glossary", "Jevons paradox, elasticity"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "When a resource gets cheaper to use, total use can grow so much "
                                    "that spending on it rises. With elasticity e, a price that falls "
                                    "by a factor k multiplies the volume demanded by k to the power e; "
                                    "above 1, spending grows as the price falls."),
                  {}},
    GlossaryEntry{"figure-kind", QT_TRANSLATE_NOOP("Glossary", "Kinds of figures"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "Every stored number has a kind. Reported: a measured or "
                                    "published actual. Estimate: someone's measurement-based estimate, "
                                    "or a number found only on a weaker source. Projection: a forecast "
                                    "by an analyst. Guidance: a company's own outlook. Assumption: an "
                                    "illustrative parameter, not a fact. Charts draw reported figures "
                                    "as filled markers, solid lines and full-colour bars, and the "
                                    "other kinds as hollow markers, dashed lines and hatched bars."),
                  {}},
    GlossaryEntry{"kv-cache", QT_TRANSLATE_NOOP("Glossary", "KV cache"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The keys and values of the tokens seen so far, kept so that each "
                                    "new token does not recompute them. It grows with the length of "
                                    "the text and is read again for every token decoded."),
                  {}},
    GlossaryEntry{"leverage", QT_TRANSLATE_NOOP("Glossary", "Leverage"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The share of a party's capital that is borrowed. Debt must be "
                                    "served whatever the assets earn, so a high share turns a fall in "
                                    "revenue into a default sooner."),
                  {}},
    GlossaryEntry{"operating-margin", QT_TRANSLATE_NOOP("Glossary", "Margin before capital costs"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The share of revenue left after the cash costs of running the "
                                    "service (power, staff, sales), before depreciation, interest and "
                                    "repayment of the hardware."),
                  {}},
    GlossaryEntry{"moe", QT_TRANSLATE_NOOP("Glossary", "Mixture of Experts (MoE)"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "A model whose feed-forward layers are split into many experts, "
                                    "of which a router picks a few for each token. It holds many "
                                    "parameters but uses only some per token, which makes it cheaper "
                                    "to run than a dense model of the same size."),
                  "mixtral-paper"},
    GlossaryEntry{"moat", QT_TRANSLATE_NOOP("Glossary", "Moat (open-weights gap)"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "How far the best openly downloadable models trail the best "
                                    "closed ones, in months of progress. A shrinking gap means "
                                    "closed labs can charge less of a premium."),
                  {}},
    GlossaryEntry{"monte-carlo", QT_TRANSLATE_NOOP("Glossary", "Monte Carlo and uncertainty bands"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "Running the model many times, each time with every assumption "
                                    "drawn from its range, and reading off how often an outcome "
                                    "happens. The band on a chart spans the 10th to the 90th "
                                    "percentile of the draws: eight in ten draws fall inside it."),
                  {}},
    GlossaryEntry{"neocloud", QT_TRANSLATE_NOOP("Glossary", "Neocloud"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "A company whose whole business is renting out GPUs, such as "
                                    "CoreWeave, Nebius, Lambda or Crusoe. Most finance their fleets "
                                    "with debt secured on the GPUs and on customer contracts."),
                  {}},
    GlossaryEntry{"precision", QT_TRANSLATE_NOOP("Glossary", "Precision of the weights (fp32, bf16, int8, q4)"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "How many bits store each weight. The benchmark offers 32-bit "
                                    "floating point (fp32), 16-bit brain floating point (bf16: the "
                                    "top half of an fp32 number, the format many models are published "
                                    "in), 8-bit integers with a scale per row (int8) and 4-bit "
                                    "integers in blocks of 32 weights sharing a 16-bit scale (q4, "
                                    "4.5 bits a weight, the way local models are commonly run). "
                                    "Fewer bits mean fewer bytes to read per token, so faster "
                                    "decode, at some cost in accuracy."),
                  {}},
    GlossaryEntry{"priced-execution", QT_TRANSLATE_NOOP("Glossary", "Priced-in execution"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The part of a party's market value or valuation that only holds "
                                    "if its AI plans pay off. If they do not, that part is lost first."),
                  {}},
    GlossaryEntry{"recovery-rate", QT_TRANSLATE_NOOP("Glossary", "Recovery rate"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The share of a bond's face value lenders get back after a "
                                    "default. The CDS market's standard model assumes 40% for senior "
                                    "unsecured debt; the chance of default a spread implies depends "
                                    "on it."),
                  "credit-isda-cdsmodel-fee-settings"},
    GlossaryEntry{"revenue-gap", QT_TRANSLATE_NOOP("Glossary", "Revenue gap"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The difference between the revenue the AI build-out needs to "
                                    "pay for its depreciation and capital, and the revenue projected "
                                    "from what the companies report today."),
                  {}},
    GlossaryEntry{"roofline", QT_TRANSLATE_NOOP("Glossary", "Roofline and ceilings"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The most a machine can do for a piece of work: the memory "
                                    "bandwidth for work that streams data, the arithmetic peak for "
                                    "work that computes. A measured speed divided by the right "
                                    "ceiling says how much of the machine the work uses."),
                  {}},
    GlossaryEntry{"run-rate", QT_TRANSLATE_NOOP("Glossary", "Run-rate"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "A recent month's or quarter's revenue scaled to a full year. "
                                    "It describes the pace now, not what a year will bring."),
                  {}},
    GlossaryEntry{"seed", QT_TRANSLATE_NOOP("Glossary", "Seed"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The starting number of the random draws. The same seed gives the "
                                    "same draws, so a Monte Carlo result or a benchmark's random "
                                    "weights can be reproduced exactly."),
                  {}},
    GlossaryEntry{"source-tier", QT_TRANSLATE_NOOP("Glossary", "Source tier"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "How close a source is to the number. Primary: the company's own "
                                    "filing or release, an official price page, a paper, the "
                                    "leaderboard's data. Secondary: wire services and established "
                                    "press. Other: aggregators, blogs, forums. A reported figure "
                                    "needs a primary or secondary source."),
                  {}},
    GlossaryEntry{"strand-year", QT_TRANSLATE_NOOP("Glossary", "Strand year"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The first year in which a debt-financed build-out's cash flow no "
                                    "longer covers its depreciation and debt service, as the fiber "
                                    "networks of 2001 stopped covering theirs."),
                  {}},
    GlossaryEntry{"token-price", QT_TRANSLATE_NOOP("Glossary", "Token and price per million tokens"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "A token is a piece of a word, about three quarters of an English "
                                    "word on average. Model providers charge per million tokens read "
                                    "and written; the price for the same capability has fallen "
                                    "steeply year after year."),
                  {}},
    GlossaryEntry{"tornado", QT_TRANSLATE_NOOP("Glossary", "Tornado chart"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "Bars showing how far the headline moves when each assumption "
                                    "goes from the low to the high end of its range, the others held "
                                    "at their values; the longest bar is the assumption that matters "
                                    "most."),
                  {}},
    GlossaryEntry{"utilisation", QT_TRANSLATE_NOOP("Glossary", "Utilisation and idle share"),
                  QT_TRANSLATE_NOOP("Glossary",
                                    "The share of the installed compute that is actually sold; the "
                                    "rest stands idle, like the unlit (\"dark\") fiber of 2001."),
                  {}},
};

struct AssumptionTopic {
    std::string_view assumptionKey;
    std::string_view glossaryKey;
};

// Per-party fragility assumptions end in these suffixes.
constexpr std::array kPartySuffixes = {
    AssumptionTopic{"_leverage", "leverage"},
    AssumptionTopic{"_compute_exposure", "compute-exposure"},
    AssumptionTopic{"_circular_share", "circular-demand"},
    AssumptionTopic{"_priced_execution", "priced-execution"},
    AssumptionTopic{"_cds_spread_bp", "cds"},
};

constexpr std::array kAssumptionTopics = {
    AssumptionTopic{"depreciation_life_years", "depreciation"},
    AssumptionTopic{"gpu_economic_life_years", "economic-life"},
    AssumptionTopic{"wacc", "wacc"},
    AssumptionTopic{"operating_margin", "operating-margin"},
    AssumptionTopic{"capex_growth", "capex"},
    AssumptionTopic{"capex_guidance_scale", "guidance"},
    AssumptionTopic{"ai_revenue_growth", "run-rate"},
    AssumptionTopic{"token_price_decline_per_year", "token-price"},
    AssumptionTopic{"gpu_rental_price_decline_per_year", "gpu-rental-price"},
    AssumptionTopic{"demand_elasticity", "jevons"},
    AssumptionTopic{"recovery_rate", "recovery-rate"},
    AssumptionTopic{"algorithmic_efficiency_per_year", "algorithmic-efficiency"},
    AssumptionTopic{"hardware_price_performance_per_year", "hardware-price-performance"},
    AssumptionTopic{"input_output_ratio", "input-output-mix"},
    AssumptionTopic{"debt_interest_rate", "neocloud"},
    AssumptionTopic{"loan_term_years", "cash-coverage"},
    AssumptionTopic{"initial_utilisation", "utilisation"},
    AssumptionTopic{"initial_cash_coverage", "cash-coverage"},
    AssumptionTopic{"demand_adoption_growth", "jevons"},
};

} // namespace

std::span<const GlossaryEntry> glossary()
{
    return kGlossary;
}

const GlossaryEntry *glossaryEntry(std::string_view key)
{
    const auto found = std::find_if(kGlossary.begin(), kGlossary.end(),
                                    [&](const GlossaryEntry &entry) { return entry.key == key; });
    return found == kGlossary.end() ? nullptr : &*found;
}

std::string_view glossaryKeyForAssumption(std::string_view assumptionKey)
{
    for (const AssumptionTopic &topic : kAssumptionTopics) {
        if (topic.assumptionKey == assumptionKey)
            return topic.glossaryKey;
    }
    for (const AssumptionTopic &suffix : kPartySuffixes) {
        if (assumptionKey.ends_with(suffix.assumptionKey))
            return suffix.glossaryKey;
    }
    return {};
}

void setHelpTopic(QWidget *widget, std::string_view topic)
{
    widget->setProperty(kTopicProperty,
                        QString::fromUtf8(topic.data(), qsizetype(topic.size())));
}

QString helpTopicOf(const QWidget *widget)
{
    for (; widget; widget = widget->parentWidget()) {
        const QString topic = widget->property(kTopicProperty).toString();
        if (!topic.isEmpty())
            return topic;
    }
    return {};
}

QString guideTopic(std::string_view viewKey)
{
    return QStringLiteral("guide:") + QString::fromUtf8(viewKey.data(), qsizetype(viewKey.size()));
}

} // namespace cliff::ui
