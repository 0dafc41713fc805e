#include "reference.h"

#include "moe_model.h"
#include "kernels.h"
#include "router.h"

#include <algorithm>
#include <cmath>

namespace cliff::bench {

namespace {

constexpr float kNormEpsilon = 1e-6f;

std::vector<float> add(std::vector<float> a, const std::vector<float> &b)
{
    for (std::size_t j = 0; j < a.size(); ++j)
        a[j] += b[j];
    return a;
}

} // namespace

std::vector<float> referenceMatVec(const Matrix &w, const std::vector<float> &x)
{
    Activations prepared;
    prepared.set(x.data(), x.size(), w.precision());
    std::vector<float> seen(x.size());
    for (std::size_t j = 0; j < x.size(); ++j)
        seen[j] = prepared.at(j);
    return referenceMatVecFp32Activations(w, seen);
}

std::vector<float> referenceMatVecFp32Activations(const Matrix &w, const std::vector<float> &x)
{
    std::vector<float> y(w.rows());
    for (std::size_t r = 0; r < w.rows(); ++r) {
        double sum = 0.0;
        for (std::size_t j = 0; j < w.cols(); ++j)
            sum += static_cast<double>(w.at(r, j)) * static_cast<double>(x[j]);
        y[r] = static_cast<float>(sum);
    }
    return y;
}

std::vector<float> referenceGemm(const Matrix &w, const std::vector<float> &x, std::size_t tokens)
{
    std::vector<float> y(tokens * w.rows());
    for (std::size_t t = 0; t < tokens; ++t) {
        const std::vector<float> row(x.begin() + static_cast<std::ptrdiff_t>(t * w.cols()),
                                     x.begin() + static_cast<std::ptrdiff_t>((t + 1) * w.cols()));
        const std::vector<float> out = referenceMatVec(w, row);
        std::copy(out.begin(), out.end(), y.begin() + static_cast<std::ptrdiff_t>(t * w.rows()));
    }
    return y;
}

std::vector<float> referenceRmsNorm(const std::vector<float> &x, const std::vector<float> &weight,
                                    float eps)
{
    double sumSquares = 0.0;
    for (float value : x)
        sumSquares += static_cast<double>(value) * static_cast<double>(value);
    const double inverse =
        1.0 / std::sqrt(sumSquares / static_cast<double>(x.size()) + static_cast<double>(eps));
    std::vector<float> out(x.size());
    for (std::size_t j = 0; j < x.size(); ++j)
        out[j] = static_cast<float>(static_cast<double>(x[j]) * inverse *
                                    static_cast<double>(weight[j]));
    return out;
}

std::vector<float> referenceFfn(const FfnWeights &ffn, const std::vector<float> &x)
{
    const std::vector<float> gate = referenceMatVec(ffn.gate, x);
    const std::vector<float> up = referenceMatVec(ffn.up, x);
    std::vector<float> act(gate.size());
    for (std::size_t j = 0; j < act.size(); ++j) {
        const double g = gate[j];
        act[j] = static_cast<float>(g / (1.0 + std::exp(-g)) * static_cast<double>(up[j]));
    }
    return referenceMatVec(ffn.down, act);
}

double normalisedMse(const std::vector<float> &actual, const std::vector<float> &expected)
{
    double error = 0.0;
    double norm = 0.0;
    for (std::size_t j = 0; j < expected.size(); ++j) {
        const double difference = static_cast<double>(actual[j]) - static_cast<double>(expected[j]);
        error += difference * difference;
        norm += static_cast<double>(expected[j]) * static_cast<double>(expected[j]);
    }
    if (norm == 0.0)
        return error == 0.0 ? 0.0 : INFINITY;
    return error / norm;
}

ReferenceModel::ReferenceModel(const MoeModel &model, FfnPath path)
    : m_model(model), m_path(path), m_keys(model.plan().layers), m_values(model.plan().layers)
{
}

std::vector<float> ReferenceModel::decode(const std::vector<float> &embedding)
{
    const ModelShape &s = m_model.plan().shape;
    const std::size_t group = s.heads / s.kvHeads;
    std::vector<float> x = embedding;
    for (std::size_t l = 0; l < m_model.plan().layers; ++l) {
        const LayerWeights &layer = m_model.layer(l);
        const std::vector<float> h = referenceRmsNorm(x, layer.attentionNorm, kNormEpsilon);
        const std::vector<float> q = referenceMatVec(layer.wq, h);
        m_keys[l].push_back(referenceMatVec(layer.wk, h));
        m_values[l].push_back(referenceMatVec(layer.wv, h));
        const std::size_t context = m_keys[l].size();
        std::vector<float> attention(q.size(), 0.0f);
        for (std::size_t head = 0; head < s.heads; ++head) {
            const std::size_t qOffset = head * s.headDim;
            const std::size_t kvOffset = (head / group) * s.headDim;
            std::vector<double> scores(context);
            double maxScore = -INFINITY;
            for (std::size_t p = 0; p < context; ++p) {
                double sum = 0.0;
                for (std::size_t d = 0; d < s.headDim; ++d)
                    sum += static_cast<double>(q[qOffset + d]) *
                           static_cast<double>(m_keys[l][p][kvOffset + d]);
                scores[p] = sum / std::sqrt(static_cast<double>(s.headDim));
                maxScore = std::max(maxScore, scores[p]);
            }
            double total = 0.0;
            for (double &score : scores) {
                score = std::exp(score - maxScore);
                total += score;
            }
            for (std::size_t d = 0; d < s.headDim; ++d) {
                double sum = 0.0;
                for (std::size_t p = 0; p < context; ++p)
                    sum += scores[p] / total * static_cast<double>(m_values[l][p][kvOffset + d]);
                attention[qOffset + d] = static_cast<float>(sum);
            }
        }
        x = add(x, referenceMatVec(layer.wo, attention));

        const std::vector<float> hf = referenceRmsNorm(x, layer.ffnNorm, kNormEpsilon);
        std::vector<float> out(s.hidden, 0.0f);
        if (m_path == FfnPath::EqualActiveDense) {
            x = add(x, referenceFfn(layer.equalActiveDense, hf));
            continue;
        }
        if (!layer.routed.empty()) {
            const std::vector<float> logits = referenceMatVec(layer.router, hf);
            const auto choices = mapToAllocated(
                routeTopK(logits, layer.routerBias, m_model.routerRule()), layer.routed.size());
            for (const ExpertChoice &choice : choices) {
                const std::vector<float> y = referenceFfn(layer.routed[choice.expert], hf);
                for (std::size_t j = 0; j < out.size(); ++j)
                    out[j] += choice.weight * y[j];
            }
        }
        for (const FfnWeights &expert : layer.shared)
            out = add(out, referenceFfn(expert, hf));
        x = add(x, out);
    }
    return referenceMatVec(m_model.head(), referenceRmsNorm(x, m_model.finalNorm(), kNormEpsilon));
}

} // namespace cliff::bench
