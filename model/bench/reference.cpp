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

std::vector<float> referenceGemm(const Matrix &w, const std::vector<float> &x, std::size_t tokens,
                                 SimdLevel simd)
{
    const bool roundToBf16 = w.precision() == Precision::Bf16 && bf16DotProducts(simd);
    std::vector<float> y(tokens * w.rows());
    for (std::size_t t = 0; t < tokens; ++t) {
        std::vector<float> row(x.begin() + static_cast<std::ptrdiff_t>(t * w.cols()),
                               x.begin() + static_cast<std::ptrdiff_t>((t + 1) * w.cols()));
        for (float &value : row)
            value = roundToBf16 ? fromBf16(toBf16(value)) : value;
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

ReferenceModel::ReferenceModel(const MoeModel &model, FfnPath path, LatentForm latentForm)
    : m_model(model), m_path(path), m_latentForm(latentForm), m_keys(model.plan().layers),
      m_values(model.plan().layers)
{
}

namespace {

// Softmax of scores in place, in double precision.
void referenceSoftmax(std::vector<double> &scores)
{
    const double maxScore = *std::max_element(scores.begin(), scores.end());
    double total = 0.0;
    for (double &score : scores) {
        score = std::exp(score - maxScore);
        total += score;
    }
    for (double &score : scores)
        score /= total;
}

} // namespace

// Latent attention, in one of two forms. Decompressed, as DeepSeek's reference code writes it
// without absorption: every cached latent is expanded into each head's key (with the shared
// RoPE key appended) and value, and the head attends over those; the optimised path never forms
// them. Absorbed, as the optimised path computes it: the head's query is taken into the
// latent's space and the weighted latent through the value up-projection, each product on the
// activations the kernels see (quantised for int8 and q4).
std::vector<float> ReferenceModel::latentAttention(std::size_t l, const std::vector<float> &h)
{
    const ModelShape &s = m_model.plan().shape;
    const LayerWeights &layer = m_model.layer(l);
    std::vector<float> q;
    if (s.qLoraRank > 0) {
        q = referenceMatVec(layer.wq, referenceRmsNorm(referenceMatVec(layer.wqA, h),
                                                       layer.queryNorm, kNormEpsilon));
    } else {
        q = referenceMatVec(layer.wq, h);
    }
    std::vector<float> cached = referenceMatVec(layer.wkvA, h);
    const std::vector<float> latent(cached.begin(),
                                    cached.begin() + static_cast<std::ptrdiff_t>(s.kvLoraRank));
    const std::vector<float> normed = referenceRmsNorm(latent, layer.latentNorm, kNormEpsilon);
    std::copy(normed.begin(), normed.end(), cached.begin());
    m_keys[l].push_back(cached);
    const std::size_t context = m_keys[l].size();
    const double scale = 1.0 / std::sqrt(static_cast<double>(s.headDim + s.ropeHeadDim));
    std::vector<float> attention(s.headOutputWidth());
    for (std::size_t head = 0; head < s.heads; ++head) {
        const float *query = q.data() + head * (s.headDim + s.ropeHeadDim);
        const Matrix &keyUp = layer.keyAbsorb[head]; // [latent][headDim]: key = keyUp^T latent
        const Matrix &valueUp = layer.valueUp[head];
        if (m_latentForm == LatentForm::Absorbed) {
            const std::vector<float> absorbed =
                referenceMatVec(keyUp, std::vector<float>(query, query + s.headDim));
            std::vector<double> scores(context);
            for (std::size_t p = 0; p < context; ++p) {
                const std::vector<float> &position = m_keys[l][p];
                double score = 0.0;
                for (std::size_t c = 0; c < s.kvLoraRank; ++c)
                    score += static_cast<double>(absorbed[c]) * position[c];
                for (std::size_t r = 0; r < s.ropeHeadDim; ++r)
                    score += static_cast<double>(query[s.headDim + r]) * position[s.kvLoraRank + r];
                scores[p] = score * scale;
            }
            referenceSoftmax(scores);
            std::vector<float> weighted(s.kvLoraRank);
            for (std::size_t c = 0; c < s.kvLoraRank; ++c) {
                double sum = 0.0;
                for (std::size_t p = 0; p < context; ++p)
                    sum += scores[p] * m_keys[l][p][c];
                weighted[c] = static_cast<float>(sum);
            }
            const std::vector<float> value = referenceMatVec(valueUp, weighted);
            std::copy(value.begin(), value.end(),
                      attention.begin() + static_cast<std::ptrdiff_t>(head * s.valueHeadDim));
            continue;
        }
        std::vector<double> scores(context);
        std::vector<std::vector<double>> values(context, std::vector<double>(s.valueHeadDim));
        for (std::size_t p = 0; p < context; ++p) {
            const std::vector<float> &position = m_keys[l][p];
            double score = 0.0;
            for (std::size_t d = 0; d < s.headDim; ++d) {
                double key = 0.0;
                for (std::size_t c = 0; c < s.kvLoraRank; ++c)
                    key += static_cast<double>(keyUp.at(c, d)) * position[c];
                score += static_cast<double>(query[d]) * key;
            }
            for (std::size_t r = 0; r < s.ropeHeadDim; ++r)
                score += static_cast<double>(query[s.headDim + r]) * position[s.kvLoraRank + r];
            scores[p] = score * scale;
            for (std::size_t e = 0; e < s.valueHeadDim; ++e) {
                for (std::size_t c = 0; c < s.kvLoraRank; ++c)
                    values[p][e] += static_cast<double>(valueUp.at(e, c)) * position[c];
            }
        }
        referenceSoftmax(scores);
        for (std::size_t e = 0; e < s.valueHeadDim; ++e) {
            double sum = 0.0;
            for (std::size_t p = 0; p < context; ++p)
                sum += scores[p] * values[p][e];
            attention[head * s.valueHeadDim + e] = static_cast<float>(sum);
        }
    }
    return attention;
}

std::vector<float> ReferenceModel::decode(const std::vector<float> &embedding)
{
    const ModelShape &s = m_model.plan().shape;
    const std::size_t group = s.heads / s.kvHeads;
    std::vector<float> x = embedding;
    for (std::size_t l = 0; l < m_model.plan().layers; ++l) {
        const LayerWeights &layer = m_model.layer(l);
        const std::vector<float> h = referenceRmsNorm(x, layer.attentionNorm, kNormEpsilon);
        if (s.attention() == AttentionKind::Latent) {
            x = add(x, referenceMatVec(layer.wo, latentAttention(l, h)));
            x = add(x, ffn(layer, x));
            continue;
        }
        const std::vector<float> q = referenceMatVec(layer.wq, h);
        m_keys[l].push_back(referenceMatVec(layer.wk, h));
        m_values[l].push_back(referenceMatVec(layer.wv, h));
        const std::size_t context = m_keys[l].size();
        std::vector<float> attention(q.size(), 0.0f);
        for (std::size_t head = 0; head < s.heads; ++head) {
            const std::size_t qOffset = head * s.headDim;
            const std::size_t kvOffset = (head / group) * s.headDim;
            std::vector<double> scores(context);
            for (std::size_t p = 0; p < context; ++p) {
                double sum = 0.0;
                for (std::size_t d = 0; d < s.headDim; ++d)
                    sum += static_cast<double>(q[qOffset + d]) *
                           static_cast<double>(m_keys[l][p][kvOffset + d]);
                scores[p] = sum / std::sqrt(static_cast<double>(s.headDim));
            }
            referenceSoftmax(scores);
            for (std::size_t d = 0; d < s.headDim; ++d) {
                double sum = 0.0;
                for (std::size_t p = 0; p < context; ++p)
                    sum += scores[p] * static_cast<double>(m_values[l][p][kvOffset + d]);
                attention[qOffset + d] = static_cast<float>(sum);
            }
        }
        x = add(x, referenceMatVec(layer.wo, attention));
        x = add(x, ffn(layer, x));
    }
    return referenceMatVec(m_model.head(), referenceRmsNorm(x, m_model.finalNorm(), kNormEpsilon));
}

std::vector<float> ReferenceModel::ffn(const LayerWeights &layer,
                                       const std::vector<float> &x) const
{
    const std::vector<float> hf = referenceRmsNorm(x, layer.ffnNorm, kNormEpsilon);
    if (m_path == FfnPath::EqualActiveDense)
        return referenceFfn(layer.equalActiveDense, hf);
    std::vector<float> out(x.size(), 0.0f);
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
    return out;
}

} // namespace cliff::bench
