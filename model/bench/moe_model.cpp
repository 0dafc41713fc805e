#include "moe_model.h"

#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <span>

namespace cliff::bench {

namespace {

constexpr float kNormEpsilon = 1e-6f;

bool cancelled(const std::atomic<bool> *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// Runs body(t) for every token t in [0, tokens) on the calling thread; false, with the loop
// unfinished, once `cancel` is set. One token's share of a norm or a copy takes microseconds,
// so even a prompt of tens of thousands of tokens stops at once.
template <typename Body>
bool eachToken(std::size_t tokens, const std::atomic<bool> *cancel, const Body &body)
{
    for (std::size_t t = 0; t < tokens; ++t) {
        if (cancelled(cancel))
            return false;
        body(t);
    }
    return true;
}

Error cancelledError() { return Error{"benchmark cancelled", {}, 0, {}}; }

double dbl(std::size_t value) { return static_cast<double>(value); }

double ffnBytes(const ModelShape &shape, std::size_t ffn, Precision precision)
{
    return 2.0 * matrixBytes(ffn, shape.hidden, precision) +
           matrixBytes(shape.hidden, ffn, precision);
}

// Values of a latent attention query: the head's query absorbed into the latent's space, then
// its RoPE query; 0 without latent attention.
std::size_t latentQueryWidth(const ModelShape &s) { return s.kvLoraRank + s.ropeHeadDim; }

// Latent attention's head over its cache: a query is the head's query absorbed into the
// latent's space followed by its RoPE query, scored against each cached row (latent, then RoPE
// key); the values are the latents. The scale is the query-key head size's, as in the
// decompressed form.
AttentionHead latentHead(const ModelShape &s)
{
    return {latentQueryWidth(s), s.kvLoraRank, s.cacheWidth(),
            1.0f / std::sqrt(static_cast<float>(s.headDim + s.ropeHeadDim))};
}

// Scratch space for one expert's prefill, each at least count x its width (ffn, ffn, hidden).
struct ExpertBuffers {
    float *gate;
    float *up;
    float *down;
};

// out[t] += w_i * FFN(x_i) for `count` tokens, where t is rows[i] (i when rows is null) and
// w_i is weights[i] (1 when null). inputProducts(products) multiplies the gate and up matrices
// by the tokens' inputs; product(matrix, x, ldx, tokens, y, ldy) runs the down GEMM;
// elementwise(n, body) runs body(begin, end) over [0, n), split over threads or not.
template <typename InputProducts, typename OtherProduct, typename Elementwise>
void addExpertOutput(const FfnWeights &expert, std::size_t count, std::size_t hidden,
                     const std::size_t *rows, const float *weights, float *out,
                     ExpertBuffers &buffers, SimdLevel simd, const InputProducts &inputProducts,
                     const OtherProduct &product, const Elementwise &elementwise)
{
    const std::size_t ffn = expert.gate.rows();
    const Product gateAndUp[] = {{&expert.gate, buffers.gate, ffn}, {&expert.up, buffers.up, ffn}};
    inputProducts(std::span<const Product>(gateAndUp));
    elementwise(count * ffn, [&](std::size_t begin, std::size_t end) {
        swiGlu(buffers.gate + begin, buffers.up + begin, end - begin, simd);
    });
    product(expert.down, buffers.gate, ffn, count, buffers.down, hidden);
    elementwise(count, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const std::size_t t = rows ? rows[i] : i;
            const float w = weights ? weights[i] : 1.0f;
            float *dst = out + t * hidden;
            const float *src = buffers.down + i * hidden;
            for (std::size_t j = 0; j < hidden; ++j)
                dst[j] += w * src[j];
        }
    });
}

} // namespace

double planWeightBytes(const ModelPlan &plan)
{
    const ModelShape &s = plan.shape;
    double layer = attentionWeightBytes(s, plan.precision) + 8.0 * dbl(s.hidden);
    if (plan.dense) {
        layer += ffnBytes(s, plan.denseFfn, plan.precision);
    } else {
        layer += 4.0 * dbl(s.routedExperts) * dbl(s.hidden + 1) +
                 dbl(plan.expertsAllocated + s.sharedExperts) *
                     ffnBytes(s, s.expertFfn, plan.precision);
    }
    if (plan.equalActiveDenseFfn > 0)
        layer += ffnBytes(s, plan.equalActiveDenseFfn, plan.precision);
    return dbl(plan.layers) * layer + matrixBytes(s.vocab, s.hidden, plan.precision) +
           4.0 * dbl(s.hidden);
}

std::size_t planBatch(const ModelPlan &plan)
{
    return plan.maxBatch > 0 ? std::min(plan.maxBatch, plan.maxContext) : plan.maxContext;
}

namespace {

// A token's new keys and values on their way into the cache (see MoeModel::cachedHead); latent
// attention writes its cache rows straight.
std::size_t newKeysAndValuesWidth(const ModelShape &s)
{
    return s.attention() == AttentionKind::Latent ? 0 : 2 * s.kvHeads * s.headDim;
}

// Values of one token's attention vectors: the query, its new keys and values and the heads'
// outputs, and for latent attention the compressed query, the absorbed queries and the heads'
// latent outputs.
std::size_t attentionVectorWidth(const ModelShape &s)
{
    return s.queryWidth() + newKeysAndValuesWidth(s) + s.headOutputWidth() + s.qLoraRank +
           s.heads * (latentQueryWidth(s) + s.kvLoraRank);
}

// The widest FFN a prefill runs: a routed or shared expert, the dense FFN, or the comparison.
std::size_t widestFfn(const ModelPlan &plan)
{
    return std::max(plan.dense ? plan.denseFfn : plan.shape.expertFfn, plan.equalActiveDenseFfn);
}

} // namespace

double planWorkingBytes(const ModelPlan &plan)
{
    const ModelShape &s = plan.shape;
    const std::size_t ffn = widestFfn(plan);
    const double batch = dbl(planBatch(plan));
    const double threads = dbl(std::max<std::size_t>(1, plan.threads));
    const double cache = dbl(plan.layers) * dbl(plan.maxContext) * dbl(s.cacheWidth()) * 4.0;
    // x, h, out, q, the heads' outputs, the latent attention's vectors and the router's logits,
    // for every token of a batch.
    const double shared =
        batch * dbl(3 * s.hidden + attentionVectorWidth(s) + s.routedExperts) * 4.0;
    // ThreadScratch, plus each thread's attention scores over the whole context.
    const double perThread = (batch * dbl(2 * ffn + 3 * s.hidden) + dbl(plan.maxContext)) * 4.0;
    // An int8 or q4 prefill quantises each token once: a code per value, and a scale and a
    // code sum per block.
    const double blocks = dbl((s.hidden + kActivationBlock - 1) / kActivationBlock);
    const double quantised =
        quantisesActivations(plan.precision) ? batch * (dbl(s.hidden) + 8.0 * blocks) : 0.0;
    // Decode's vectors for one token: x, h, out, q, attention, the active FFN rows, the
    // router's logits and the output's logits.
    const std::size_t activeFfn =
        plan.dense ? plan.denseFfn : (s.topK + s.sharedExperts) * s.expertFfn;
    const double decode =
        dbl(3 * s.hidden + attentionVectorWidth(s) + 3 * activeFfn + s.routedExperts + s.vocab) *
        4.0;
    return cache + shared + threads * perThread + quantised + decode;
}

RouterRule MoeModel::routerRule() const
{
    const ModelShape &s = m_plan.shape;
    return RouterRule{s.gating, s.topK, s.normaliseTopK, s.routedScale};
}

Result<std::unique_ptr<MoeModel>> MoeModel::build(const ModelPlan &plan, std::uint64_t seed,
                                                  ThreadPool &pool,
                                                  const std::atomic<bool> *cancel)
{
    const ModelShape &s = plan.shape;
    if (!plan.dense && (plan.expertsAllocated < s.topK || s.routedExperts < s.topK))
        return Error{"fewer experts allocated than top-k", {}, 0, "experts"};
    std::unique_ptr<MoeModel> model(new MoeModel(plan));
    const std::size_t qDim = s.heads * s.headDim;
    const std::size_t kvDim = s.kvHeads * s.headDim;
    std::uint64_t nextSeed = seed;
    auto make = [&](Matrix &matrix, std::size_t rows, std::size_t cols, Precision precision) {
        matrix = Matrix(rows, cols, precision, &model->m_weights);
        return matrix.fillRandom(++nextSeed, pool, cancel);
    };
    auto makeFfn = [&](FfnWeights &ffn, std::size_t size) {
        return make(ffn.gate, size, s.hidden, plan.precision) &&
               make(ffn.up, size, s.hidden, plan.precision) &&
               make(ffn.down, s.hidden, size, plan.precision);
    };
    const bool latent = s.attention() == AttentionKind::Latent;
    auto makeAttention = [&](LayerWeights &layer) {
        if (!latent) {
            return make(layer.wq, qDim, s.hidden, plan.precision) &&
                   make(layer.wk, kvDim, s.hidden, plan.precision) &&
                   make(layer.wv, kvDim, s.hidden, plan.precision) &&
                   make(layer.wo, s.hidden, qDim, plan.precision);
        }
        if (s.qLoraRank > 0) {
            layer.queryNorm.assign(s.qLoraRank, 1.0f);
            if (!make(layer.wqA, s.qLoraRank, s.hidden, plan.precision))
                return false;
        }
        layer.latentNorm.assign(s.kvLoraRank, 1.0f);
        if (!make(layer.wq, s.queryWidth(), s.qLoraRank > 0 ? s.qLoraRank : s.hidden,
                  plan.precision) ||
            !make(layer.wkvA, s.kvLoraRank + s.ropeHeadDim, s.hidden, plan.precision))
            return false;
        layer.keyAbsorb.resize(s.heads);
        layer.valueUp.resize(s.heads);
        for (std::size_t head = 0; head < s.heads; ++head) {
            if (!make(layer.keyAbsorb[head], s.kvLoraRank, s.headDim, plan.precision) ||
                !make(layer.valueUp[head], s.valueHeadDim, s.kvLoraRank, plan.precision))
                return false;
        }
        return make(layer.wo, s.hidden, s.headOutputWidth(), plan.precision);
    };
    model->m_layers.resize(plan.layers);
    for (LayerWeights &layer : model->m_layers) {
        layer.attentionNorm.assign(s.hidden, 1.0f);
        layer.ffnNorm.assign(s.hidden, 1.0f);
        if (!makeAttention(layer))
            return cancelledError();
        if (plan.equalActiveDenseFfn > 0 &&
            !makeFfn(layer.equalActiveDense, plan.equalActiveDenseFfn))
            return cancelledError();
        if (plan.dense) {
            layer.shared.resize(1);
            if (!makeFfn(layer.shared[0], plan.denseFfn))
                return cancelledError();
            continue;
        }
        if (!make(layer.router, s.routedExperts, s.hidden, Precision::Fp32))
            return cancelledError();
        SplitMix random(++nextSeed);
        layer.routerBias.resize(s.routedExperts);
        for (float &bias : layer.routerBias)
            bias = s.gating == Gating::SigmoidWithBias ? 0.01f * random.nextSigned() : 0.0f;
        layer.routed.resize(plan.expertsAllocated);
        for (FfnWeights &expert : layer.routed) {
            if (!makeFfn(expert, s.expertFfn))
                return cancelledError();
        }
        layer.shared.resize(s.sharedExperts);
        for (FfnWeights &expert : layer.shared) {
            if (!makeFfn(expert, s.expertFfn))
                return cancelledError();
        }
    }
    model->m_finalNorm.assign(s.hidden, 1.0f);
    if (!make(model->m_head, s.vocab, s.hidden, plan.precision))
        return cancelledError();
    // Reserved, not written: a cache sized for a long run costs memory only as it fills.
    for (std::size_t l = 0; l < plan.layers; ++l) {
        model->m_keys.emplace_back(plan.maxContext * (latent ? s.cacheWidth() : kvDim));
        model->m_values.emplace_back(latent ? 0 : plan.maxContext * kvDim);
    }
    const std::size_t batch = planBatch(plan);
    model->m_bx = LargeArray<float>(batch * s.hidden);
    model->m_bh = LargeArray<float>(batch * s.hidden);
    model->m_bout = LargeArray<float>(batch * s.hidden);
    model->m_bq = LargeArray<float>(batch * s.queryWidth());
    model->m_bkv = LargeArray<float>(batch * newKeysAndValuesWidth(s));
    model->m_battention = LargeArray<float>(batch * s.headOutputWidth());
    model->m_bqLatent = LargeArray<float>(batch * s.qLoraRank);
    model->m_babsorbed = LargeArray<float>(batch * s.heads * latentQueryWidth(s));
    model->m_blatentOut = LargeArray<float>(batch * s.heads * s.kvLoraRank);
    model->m_routerLogits = LargeArray<float>(batch * s.routedExperts);
    const std::size_t ffn = widestFfn(plan);
    model->m_scratch.resize(static_cast<std::size_t>(pool.threadCount()));
    for (ThreadScratch &scratch : model->m_scratch) {
        scratch.gate = LargeArray<float>(batch * ffn);
        scratch.up = LargeArray<float>(batch * ffn);
        scratch.down = LargeArray<float>(batch * s.hidden);
        scratch.gathered = LargeArray<float>(batch * s.hidden);
        scratch.sum = LargeArray<float>(batch * s.hidden);
    }
    return model;
}

DecodePhases &DecodePhases::operator+=(const DecodePhases &other)
{
    for (auto [mine, theirs] : {std::pair{&attention, &other.attention}, {&router, &other.router},
                                {&experts, &other.experts}, {&head, &other.head}}) {
        mine->total += theirs->total;
        mine->waiting += theirs->waiting;
    }
    steps += other.steps;
    return *this;
}

float *MoeModel::cachedHead(LargeArray<float> &cache, std::size_t head) const
{
    return cache.data() + head * m_plan.maxContext * m_plan.shape.headDim;
}

void MoeModel::cacheKeysAndValues(std::size_t l, const float *kv, std::size_t tokens,
                                  ThreadPool *pool)
{
    const ModelShape &s = m_plan.shape;
    const std::size_t kvDim = s.kvHeads * s.headDim;
    const auto copy = [&](std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end; ++t) {
            const float *row = kv + t * 2 * kvDim;
            const std::size_t at = (m_position + t) * s.headDim;
            for (std::size_t head = 0; head < s.kvHeads; ++head) {
                std::copy_n(row + head * s.headDim, s.headDim, cachedHead(m_keys[l], head) + at);
                std::copy_n(row + kvDim + head * s.headDim, s.headDim,
                            cachedHead(m_values[l], head) + at);
            }
        }
    };
    if (pool != nullptr)
        pool->parallelFor(tokens, copy);
    else
        copy(0, tokens);
}

void MoeModel::lap(PhaseSeconds &phase, ThreadPool &pool)
{
    const auto now = std::chrono::steady_clock::now();
    phase.total += std::chrono::duration<double>(now - m_mark).count();
    phase.waiting += pool.takeWaitingSeconds();
    m_mark = now;
}

Status MoeModel::decode(const float *embedding, std::vector<float> &logits, SimdLevel simd,
                        ThreadPool &pool, const std::atomic<bool> *cancel)
{
    const ModelShape &s = m_plan.shape;
    if (m_position >= m_plan.maxContext)
        return Error{"KV cache full", {}, 0, "tokens"};
    m_x.assign(embedding, embedding + s.hidden);
    m_h.resize(s.hidden);
    m_q.resize(s.queryWidth());
    m_kv.resize(newKeysAndValuesWidth(s));
    m_attention.resize(s.headOutputWidth());
    m_qLatent.resize(s.qLoraRank);
    m_absorbed.resize(s.heads * latentQueryWidth(s));
    m_latentOut.resize(s.heads * s.kvLoraRank);
    m_out.resize(s.hidden);
    m_mark = std::chrono::steady_clock::now();
    (void)pool.takeWaitingSeconds(); // waiting before this step is not this step's
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        if (cancelled(cancel))
            return cancelledError();
        const LayerWeights &layer = m_layers[l];
        rmsNorm(m_x.data(), layer.attentionNorm.data(), m_h.data(), s.hidden, kNormEpsilon);
        attentionDecode(l, simd, pool, cancel);
        for (std::size_t j = 0; j < s.hidden; ++j)
            m_x[j] += m_out[j];
        lap(m_phases.attention, pool);
        if (cancelled(cancel))
            return cancelledError();
        if (Status status = ffnDecode(layer, simd, pool, cancel); !status)
            return status;
    }
    rmsNorm(m_x.data(), m_finalNorm.data(), m_h.data(), s.hidden, kNormEpsilon);
    logits.resize(s.vocab);
    matVec(m_head, m_h.data(), logits.data(), simd, pool, cancel);
    lap(m_phases.head, pool);
    if (cancelled(cancel))
        return cancelledError();
    ++m_position;
    ++m_phases.steps;
    return Ok{};
}

void MoeModel::attentionDecode(std::size_t l, SimdLevel simd, ThreadPool &pool,
                               const std::atomic<bool> *cancel)
{
    const ModelShape &s = m_plan.shape;
    if (s.attention() == AttentionKind::Latent) {
        latentAttentionDecode(l, simd, pool, cancel);
        return;
    }
    const LayerWeights &layer = m_layers[l];
    const std::size_t qDim = s.heads * s.headDim;
    const std::size_t kvDim = s.kvHeads * s.headDim;
    float *keyRow = m_kv.data();
    float *valueRow = m_kv.data() + kvDim;
    Activations input;
    input.set(m_h.data(), s.hidden, m_plan.precision);
    // q, k and v in one pass over the three matrices' rows.
    pool.parallelFor(qDim + 2 * kvDim, [&](std::size_t begin, std::size_t end) {
        auto segment = [&](const Matrix &matrix, std::size_t offset, float *out) {
            const std::size_t low = std::max(begin, offset);
            const std::size_t high = std::min(end, offset + matrix.rows());
            if (low < high)
                dotRows(matrix, low - offset, high - offset, input, simd, out + low - offset,
                        cancel);
        };
        segment(layer.wq, 0, m_q.data());
        segment(layer.wk, qDim, keyRow);
        segment(layer.wv, qDim + kvDim, valueRow);
    }, kDecodeRowGrain, ThreadPool::Schedule::Balanced);
    cacheKeysAndValues(l, m_kv.data(), 1, nullptr);
    const std::size_t context = m_position + 1;
    const std::size_t group = s.heads / s.kvHeads;
    const AttentionHead headShape = plainHead(s.headDim, s.headDim);
    pool.parallelFor(s.heads, [&](std::size_t begin, std::size_t end) {
        std::vector<float> scores(context);
        for (std::size_t head = begin; head < end; ++head) {
            attendQuery(m_q.data() + head * s.headDim, cachedHead(m_keys[l], head / group),
                        cachedHead(m_values[l], head / group), context, headShape,
                        scores.data(), m_attention.data() + head * s.headDim, simd);
        }
    });
    matVec(layer.wo, m_attention.data(), m_out.data(), simd, pool, cancel);
}

void MoeModel::latentAttentionDecode(std::size_t l, SimdLevel simd, ThreadPool &pool,
                                     const std::atomic<bool> *cancel)
{
    const ModelShape &s = m_plan.shape;
    const LayerWeights &layer = m_layers[l];
    const std::size_t latentWidth = s.cacheWidth();
    float *latentRow = m_keys[l].data() + m_position * latentWidth;
    const bool compressedQuery = s.qLoraRank > 0;
    const Matrix &queryIn = compressedQuery ? layer.wqA : layer.wq;
    float *queryOut = compressedQuery ? m_qLatent.data() : m_q.data();
    Activations input;
    input.set(m_h.data(), s.hidden, m_plan.precision);
    // The query (or its compressed form) and the position's latent and RoPE key, in one pass.
    pool.parallelFor(queryIn.rows() + layer.wkvA.rows(), [&](std::size_t begin, std::size_t end) {
        const std::size_t split = queryIn.rows();
        if (begin < split)
            dotRows(queryIn, begin, std::min(end, split), input, simd, queryOut + begin, cancel);
        if (end > split) {
            const std::size_t low = std::max(begin, split) - split;
            dotRows(layer.wkvA, low, end - split, input, simd, latentRow + low, cancel);
        }
    }, kDecodeRowGrain, ThreadPool::Schedule::Balanced);
    rmsNorm(latentRow, layer.latentNorm.data(), latentRow, s.kvLoraRank, kNormEpsilon);
    if (compressedQuery) {
        rmsNorm(m_qLatent.data(), layer.queryNorm.data(), m_qLatent.data(), s.qLoraRank,
                kNormEpsilon);
        matVec(layer.wq, m_qLatent.data(), m_q.data(), simd, pool, cancel);
    }
    // Each head on one thread: its query into the latent's space, attention over the cached
    // latents, and its value from the weighted latent.
    const std::size_t context = m_position + 1;
    const AttentionHead headShape = latentHead(s);
    pool.parallelFor(s.heads, [&](std::size_t begin, std::size_t end) {
        std::vector<float> scores(context);
        Activations query;
        Activations latentSum;
        for (std::size_t head = begin; head < end; ++head) {
            const float *headQuery = m_q.data() + head * (s.headDim + s.ropeHeadDim);
            float *absorbed = m_absorbed.data() + head * latentQueryWidth(s);
            float *weighted = m_latentOut.data() + head * s.kvLoraRank;
            query.set(headQuery, s.headDim, m_plan.precision);
            dotRows(layer.keyAbsorb[head], 0, s.kvLoraRank, query, simd, absorbed, cancel);
            std::copy_n(headQuery + s.headDim, s.ropeHeadDim, absorbed + s.kvLoraRank);
            attendQuery(absorbed, m_keys[l].data(), m_keys[l].data(), context, headShape,
                        scores.data(), weighted, simd);
            latentSum.set(weighted, s.kvLoraRank, m_plan.precision);
            dotRows(layer.valueUp[head], 0, s.valueHeadDim, latentSum, simd,
                    m_attention.data() + head * s.valueHeadDim, cancel);
        }
    });
    matVec(layer.wo, m_attention.data(), m_out.data(), simd, pool, cancel);
}

Status MoeModel::ffnDecode(const LayerWeights &layer, SimdLevel simd, ThreadPool &pool,
                           const std::atomic<bool> *cancel)
{
    const ModelShape &s = m_plan.shape;
    rmsNorm(m_x.data(), layer.ffnNorm.data(), m_h.data(), s.hidden, kNormEpsilon);
    std::vector<const FfnWeights *> active;
    std::vector<float> weights;
    if (!layer.routed.empty()) {
        m_logitsRouter.resize(s.routedExperts);
        matVec(layer.router, m_h.data(), m_logitsRouter.data(), simd, pool);
        const auto choices = mapToAllocated(routeTopK(m_logitsRouter, layer.routerBias,
                                                      routerRule()),
                                            layer.routed.size());
        for (const ExpertChoice &choice : choices) {
            active.push_back(&layer.routed[choice.expert]);
            weights.push_back(choice.weight);
        }
    }
    for (const FfnWeights &expert : layer.shared) {
        active.push_back(&expert);
        weights.push_back(1.0f);
    }
    lap(m_phases.router, pool);
    std::vector<std::size_t> offsets(active.size() + 1, 0);
    for (std::size_t e = 0; e < active.size(); ++e)
        offsets[e + 1] = offsets[e] + active[e]->gate.rows();
    m_act.resize(offsets.back());
    Activations input;
    input.set(m_h.data(), s.hidden, m_plan.precision);
    // Gate and up rows of every active expert as one parallel loop, then down rows.
    pool.parallelFor(offsets.back(), [&](std::size_t begin, std::size_t end) {
        std::vector<float> up(end - begin);
        for (std::size_t e = 0; e < active.size(); ++e) {
            const std::size_t low = std::max(begin, offsets[e]);
            const std::size_t high = std::min(end, offsets[e + 1]);
            if (low >= high)
                continue;
            dotRows(active[e]->gate, low - offsets[e], high - offsets[e], input, simd,
                    m_act.data() + low, cancel);
            dotRows(active[e]->up, low - offsets[e], high - offsets[e], input, simd,
                    up.data() + (low - begin), cancel);
        }
        swiGlu(m_act.data() + begin, up.data(), end - begin, simd);
    }, kDecodeRowGrain, ThreadPool::Schedule::Balanced);
    // A large model's gate and up rows alone take tens of milliseconds to stream.
    if (cancelled(cancel))
        return cancelledError();
    std::vector<Activations> hiddenActs(active.size());
    for (std::size_t e = 0; e < active.size(); ++e)
        hiddenActs[e].set(m_act.data() + offsets[e], offsets[e + 1] - offsets[e], m_plan.precision);
    pool.parallelFor(s.hidden, [&](std::size_t begin, std::size_t end) {
        std::vector<float> sum(end - begin, 0.0f);
        std::vector<float> part(end - begin);
        for (std::size_t e = 0; e < active.size(); ++e) {
            dotRows(active[e]->down, begin, end, hiddenActs[e], simd, part.data(), cancel);
            for (std::size_t j = 0; j < part.size(); ++j)
                sum[j] += weights[e] * part[j];
        }
        for (std::size_t j = begin; j < end; ++j)
            m_x[j] += sum[j - begin];
    }, kDecodeRowGrain, ThreadPool::Schedule::Balanced);
    lap(m_phases.experts, pool);
    return Ok{};
}

Status MoeModel::prefill(const float *embeddings, std::size_t tokens, std::vector<float> &logits,
                         SimdLevel simd, ThreadPool &pool, const std::atomic<bool> *cancel,
                         FfnPath path)
{
    const ModelShape &s = m_plan.shape;
    if (tokens == 0 || tokens > planBatch(m_plan) || m_position + tokens > m_plan.maxContext)
        return Error{"prefill does not fit the batch buffers or the KV cache", {}, 0, "tokens"};
    if (path == FfnPath::EqualActiveDense && m_plan.equalActiveDenseFfn == 0)
        return Error{"the model holds no dense FFN of equal active size", {}, 0, {}};
    const std::size_t hidden = s.hidden;
    float *x = m_bx.data();
    float *h = m_bh.data();
    if (!eachToken(tokens, cancel, [&](std::size_t t) {
            std::copy_n(embeddings + t * hidden, hidden, x + t * hidden);
        }))
        return cancelledError();
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        const LayerWeights &layer = m_layers[l];
        if (!eachToken(tokens, cancel, [&](std::size_t t) {
                rmsNorm(x + t * hidden, layer.attentionNorm.data(), h + t * hidden, hidden,
                        kNormEpsilon);
            }))
            return cancelledError();
        attentionPrefill(l, tokens, simd, pool, cancel);
        if (cancelled(cancel))
            return cancelledError();
        if (!eachToken(tokens, cancel, [&](std::size_t t) {
                for (std::size_t j = t * hidden; j < (t + 1) * hidden; ++j)
                    x[j] += m_bout[j];
            }))
            return cancelledError();
        if (Status status = ffnPrefill(layer, tokens, path, simd, pool, cancel); !status)
            return status;
    }
    if (cancelled(cancel))
        return cancelledError();
    const auto headStart = std::chrono::steady_clock::now();
    rmsNorm(x + (tokens - 1) * hidden, m_finalNorm.data(), h, hidden, kNormEpsilon);
    logits.resize(s.vocab);
    matVec(m_head, h, logits.data(), simd, pool, cancel);
    m_prefillHeadSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - headStart).count();
    if (cancelled(cancel))
        return cancelledError();
    m_position += tokens;
    return Ok{};
}

void MoeModel::attentionPrefill(std::size_t l, std::size_t tokens, SimdLevel simd,
                                ThreadPool &pool, const std::atomic<bool> *cancel)
{
    const ModelShape &s = m_plan.shape;
    if (s.attention() == AttentionKind::Latent) {
        latentAttentionPrefill(l, tokens, simd, pool, cancel);
        return;
    }
    const LayerWeights &layer = m_layers[l];
    const std::size_t qDim = s.heads * s.headDim;
    const std::size_t kvDim = s.kvHeads * s.headDim;
    const float *h = m_bh.data();
    const Product projections[] = {{&layer.wq, m_bq.data(), qDim},
                                   {&layer.wk, m_bkv.data(), 2 * kvDim},
                                   {&layer.wv, m_bkv.data() + kvDim, 2 * kvDim}};
    gemm(std::span<const Product>(projections), h, s.hidden, tokens, simd, pool, cancel);
    cacheKeysAndValues(l, m_bkv.data(), tokens, &pool);
    const std::size_t group = s.heads / s.kvHeads;
    const AttentionHead headShape = plainHead(s.headDim, s.headDim);
    // A head's queries in the blocks the AVX-512 kernel runs side by side.
    const std::size_t blocks = (tokens + kAttentionQueryBlock - 1) / kAttentionQueryBlock;
    pool.parallelFor(s.heads * blocks, [&](std::size_t begin, std::size_t end) {
        for (std::size_t item = begin; item < end && !cancelled(cancel); ++item) {
            const std::size_t head = item / blocks;
            const std::size_t t = item % blocks * kAttentionQueryBlock;
            const std::size_t offset = t * qDim + head * s.headDim;
            attendQueries(m_bq.data() + offset, qDim, std::min(kAttentionQueryBlock, tokens - t),
                          m_position + t, cachedHead(m_keys[l], head / group),
                          cachedHead(m_values[l], head / group), headShape,
                          m_battention.data() + offset, qDim, simd);
        }
    });
    gemm(layer.wo, m_battention.data(), qDim, tokens, m_bout.data(), s.hidden, simd, pool,
         cancel);
}

void MoeModel::latentAttentionPrefill(std::size_t l, std::size_t tokens, SimdLevel simd,
                                      ThreadPool &pool, const std::atomic<bool> *cancel)
{
    const ModelShape &s = m_plan.shape;
    const LayerWeights &layer = m_layers[l];
    const float *h = m_bh.data();
    const std::size_t width = s.cacheWidth();
    const std::size_t queryWidth = s.queryWidth();
    const std::size_t latentsWidth = s.heads * s.kvLoraRank;
    // Latents and RoPE keys go straight into the cache at the batch's positions; the queries
    // (or their compressed form) come from the same inputs in the same pass.
    float *cache = m_keys[l].data();
    const bool compressedQueries = s.qLoraRank > 0;
    const Product projections[] = {
        {&layer.wkvA, cache + m_position * width, width},
        compressedQueries ? Product{&layer.wqA, m_bqLatent.data(), s.qLoraRank}
                          : Product{&layer.wq, m_bq.data(), queryWidth}};
    gemm(std::span<const Product>(projections), h, s.hidden, tokens, simd, pool, cancel);
    if (compressedQueries) {
        pool.parallelFor(tokens, [&](std::size_t begin, std::size_t end) {
            for (std::size_t t = begin; t < end && !cancelled(cancel); ++t) {
                float *query = m_bqLatent.data() + t * s.qLoraRank;
                rmsNorm(query, layer.queryNorm.data(), query, s.qLoraRank, kNormEpsilon);
            }
        });
        gemm(layer.wq, m_bqLatent.data(), s.qLoraRank, tokens, m_bq.data(), queryWidth, simd,
             pool, cancel);
    }
    pool.parallelFor(tokens, [&](std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end && !cancelled(cancel); ++t) {
            float *latent = cache + (m_position + t) * width;
            rmsNorm(latent, layer.latentNorm.data(), latent, s.kvLoraRank, kNormEpsilon);
        }
    });
    if (cancelled(cancel))
        return;
    // Each head on one thread, as in decode, its two up-projections run once for all tokens.
    const std::size_t absorbedWidth = s.heads * latentQueryWidth(s);
    const AttentionHead headShape = latentHead(s);
    pool.parallelFor(s.heads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t head = begin; head < end && !cancelled(cancel); ++head) {
            const std::size_t queryOffset = head * (s.headDim + s.ropeHeadDim);
            float *absorbed = m_babsorbed.data() + head * latentQueryWidth(s);
            float *weighted = m_blatentOut.data() + head * s.kvLoraRank;
            gemmOnThisThread(layer.keyAbsorb[head], m_bq.data() + queryOffset, queryWidth, tokens,
                             absorbed, absorbedWidth, simd, cancel);
            for (std::size_t t = 0; t < tokens; ++t) {
                std::copy_n(m_bq.data() + t * queryWidth + queryOffset + s.headDim,
                            s.ropeHeadDim, absorbed + t * absorbedWidth + s.kvLoraRank);
            }
            attendQueries(absorbed, absorbedWidth, tokens, m_position, cache, cache,
                          headShape, weighted, latentsWidth, simd);
            gemmOnThisThread(layer.valueUp[head], weighted, latentsWidth, tokens,
                             m_battention.data() + head * s.valueHeadDim, s.headOutputWidth(),
                             simd, cancel);
        }
    });
    gemm(layer.wo, m_battention.data(), s.headOutputWidth(), tokens, m_bout.data(), s.hidden,
         simd, pool, cancel);
}

Status MoeModel::ffnPrefill(const LayerWeights &layer, std::size_t tokens, FfnPath path,
                            SimdLevel simd, ThreadPool &pool, const std::atomic<bool> *cancel)
{
    const ModelShape &s = m_plan.shape;
    const std::size_t hidden = s.hidden;
    float *x = m_bx.data();
    float *out = m_bout.data();
    if (!eachToken(tokens, cancel, [&](std::size_t t) {
            rmsNorm(x + t * hidden, layer.ffnNorm.data(), m_bh.data() + t * hidden, hidden,
                    kNormEpsilon);
            std::fill_n(out + t * hidden, hidden, 0.0f);
        }))
        return cancelledError();
    const bool planned = path == FfnPath::Planned;
    if (planned && !layer.routed.empty()) {
        if (Status status = routedPrefill(layer, tokens, simd, pool, cancel); !status)
            return status;
    }
    // A shared expert or a dense FFN sees every token: one large GEMM at a time, its rows split
    // over the pool, in the first thread's scratch.
    ThreadScratch &scratch = m_scratch.front();
    ExpertBuffers buffers{scratch.gate.data(), scratch.up.data(), scratch.down.data()};
    const auto onPool = [&](const Matrix &w, const float *input, std::size_t ldx,
                            std::size_t count, float *y, std::size_t ldy) {
        gemm(w, input, ldx, count, y, ldy, simd, pool, cancel);
    };
    const auto inputOnPool = [&](std::span<const Product> products) {
        gemm(products, m_bh.data(), hidden, tokens, simd, pool, cancel);
    };
    const std::span<const FfnWeights> everyToken =
        planned ? std::span<const FfnWeights>(layer.shared) : std::span(&layer.equalActiveDense, 1);
    const auto elementwiseOnPool = [&](std::size_t n, const ThreadPool::RangeFunction &body) {
        pool.parallelFor(n, body);
    };
    for (const FfnWeights &expert : everyToken) {
        if (cancelled(cancel))
            return cancelledError();
        addExpertOutput(expert, tokens, hidden, nullptr, nullptr, out, buffers, simd,
                        inputOnPool, onPool, elementwiseOnPool);
    }
    if (!eachToken(tokens, cancel, [&](std::size_t t) {
            for (std::size_t j = t * hidden; j < (t + 1) * hidden; ++j)
                x[j] += out[j];
        }))
        return cancelledError();
    return Ok{};
}

Status MoeModel::routedPrefill(const LayerWeights &layer, std::size_t tokens, SimdLevel simd,
                               ThreadPool &pool, const std::atomic<bool> *cancel)
{
    const ModelShape &s = m_plan.shape;
    const std::size_t hidden = s.hidden;
    float *routerLogits = m_routerLogits.data();
    gemm(layer.router, m_bh.data(), hidden, tokens, routerLogits, s.routedExperts, simd, pool,
         cancel);
    // Each token's choice on the pool, then each expert's tokens in token order.
    std::vector<std::vector<ExpertChoice>> choices(tokens);
    pool.parallelFor(tokens, [&](std::size_t begin, std::size_t end) {
        std::vector<float> logits(s.routedExperts);
        for (std::size_t t = begin; t < end && !cancelled(cancel); ++t) {
            std::copy_n(routerLogits + t * s.routedExperts, s.routedExperts, logits.begin());
            choices[t] = mapToAllocated(routeTopK(logits, layer.routerBias, routerRule()),
                                        layer.routed.size());
        }
    });
    if (cancelled(cancel))
        return cancelledError();
    std::vector<std::vector<std::size_t>> tokensOf(layer.routed.size());
    std::vector<std::vector<float>> weightsOf(layer.routed.size());
    for (std::size_t t = 0; t < tokens; ++t) {
        for (const ExpertChoice &choice : choices[t]) {
            tokensOf[choice.expert].push_back(t);
            weightsOf[choice.expert].push_back(choice.weight);
        }
    }
    // Experts run side by side, each on one thread, the busiest first; a thread takes the next
    // expert from a shared counter. A prompt gives each expert only a few tokens, so one expert's
    // GEMM split over threads would be a short loop between two waits, 3 x 64 of them per
    // layer, with the quantising, SiLU and scatter in between run on one thread.
    std::vector<std::size_t> order;
    for (std::size_t e = 0; e < layer.routed.size(); ++e) {
        if (!tokensOf[e].empty())
            order.push_back(e);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return tokensOf[a].size() > tokensOf[b].size();
    });
    // Int8 and q4: each token is quantised once and shared by the gate and up products of
    // every expert it is routed to.
    const bool quantised = quantisesActivations(m_plan.precision);
    std::vector<Activations> prepared(quantised ? tokens : 0);
    pool.parallelFor(prepared.size(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end && !cancelled(cancel); ++t)
            prepared[t].set(m_bh.data() + t * hidden, hidden, m_plan.precision);
    });
    const auto threads = static_cast<std::size_t>(pool.threadCount());
    // Thread 0 adds into m_bout, the others into the sums of their scratch, added at the end.
    std::atomic<std::size_t> next{0};
    pool.parallelFor(threads, [&](std::size_t slot, std::size_t) {
        ThreadScratch &scratch = m_scratch[slot];
        float *out = slot == 0 ? m_bout.data() : scratch.sum.data();
        if (slot > 0 && !eachToken(tokens, cancel, [&](std::size_t t) {
                std::fill_n(out + t * hidden, hidden, 0.0f);
            }))
            return;
        ExpertBuffers buffers{scratch.gate.data(), scratch.up.data(), scratch.down.data()};
        float *gathered = scratch.gathered.data();
        std::vector<const Activations *> inputs;
        const auto onThisThread = [&](const Matrix &w, const float *input, std::size_t ldx,
                                      std::size_t count, float *y, std::size_t ldy) {
            gemmOnThisThread(w, input, ldx, count, y, ldy, simd, cancel);
        };
        std::size_t count = 0;
        const auto inputOnThisThread = [&](std::span<const Product> products) {
            if (quantised)
                gemmOnThisThread(products, inputs, simd, cancel);
            else
                gemmOnThisThread(products, gathered, hidden, count, simd, cancel);
        };
        for (std::size_t i = next++; i < order.size() && !cancelled(cancel); i = next++) {
            const std::size_t e = order[i];
            const std::vector<std::size_t> &rows = tokensOf[e];
            count = rows.size();
            if (quantised) {
                inputs.resize(count);
                for (std::size_t k = 0; k < count; ++k)
                    inputs[k] = &prepared[rows[k]];
            } else {
                for (std::size_t k = 0; k < count; ++k)
                    std::copy_n(m_bh.data() + rows[k] * hidden, hidden, gathered + k * hidden);
            }
            addExpertOutput(layer.routed[e], count, hidden, rows.data(), weightsOf[e].data(),
                            out, buffers, simd, inputOnThisThread, onThisThread,
                            [](std::size_t n, const auto &body) { body(0, n); });
        }
    });
    if (cancelled(cancel))
        return cancelledError();
    for (std::size_t slot = 1; slot < threads; ++slot) {
        const float *sum = m_scratch[slot].sum.data();
        pool.parallelFor(tokens, [&](std::size_t begin, std::size_t end) {
            for (std::size_t t = begin; t < end && !cancelled(cancel); ++t) {
                for (std::size_t j = t * hidden; j < (t + 1) * hidden; ++j)
                    m_bout[j] += sum[j];
            }
        });
    }
    return cancelled(cancel) ? Status(cancelledError()) : Status(Ok{});
}

} // namespace cliff::bench
