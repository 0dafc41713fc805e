#include "model_shape.h"

#include <algorithm>
#include <cctype>

namespace cliff::bench {

namespace {

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

double dbl(std::size_t value) { return static_cast<double>(value); }

} // namespace

// Shapes from each model's published config.json (Hugging Face). The numbers are also figures in
// the store (category moe_models, datasets/figures/moe_models.csv) and test_bench checks that the
// two agree; Qwen3's vocabulary is config.json's vocab_size (the output head's rows), where the
// store holds the tokenizer's count.
//
// What is modelled: RMSNorm, multi-head or grouped-query attention with an fp32 KV cache, or for
// DeepSeek-V3 and V2-Lite multi-head latent attention with an fp32 latent cache (the MLA fields
// from DeepSeek's inference configs config_671B.json and config_16B.json); no RoPE rotation,
// whose cost is negligible, though the latent attention's RoPE query and key are computed and
// matched. Then a router, SwiGLU routed and shared experts, and the untied output head. V3's
// group-limited routing (8 groups, top 4) and multi-token prediction are not modelled.
const std::vector<ModelShape> &presets()
{
    static const std::vector<ModelShape> table = [] {
        std::vector<ModelShape> shapes;
        ModelShape v3;
        v3.name = "deepseek-v3";
        v3.layers = 61;
        v3.denseLayers = 3;
        v3.hidden = 7168;
        v3.expertFfn = 2048;
        v3.routedExperts = 256;
        v3.topK = 8;
        v3.sharedExperts = 1;
        v3.heads = 128;
        v3.kvHeads = 128;
        v3.headDim = 128;
        v3.qLoraRank = 1536;
        v3.kvLoraRank = 512;
        v3.ropeHeadDim = 64;
        v3.valueHeadDim = 128;
        v3.vocab = 129280;
        v3.denseFfn = 18432;
        v3.gating = Gating::SigmoidWithBias;
        v3.normaliseTopK = true;
        v3.routedScale = 2.5f;
        shapes.push_back(v3);

        ModelShape v2lite;
        v2lite.name = "deepseek-v2-lite";
        v2lite.layers = 27;
        v2lite.denseLayers = 1;
        v2lite.hidden = 2048;
        v2lite.expertFfn = 1408;
        v2lite.routedExperts = 64;
        v2lite.topK = 6;
        v2lite.sharedExperts = 2;
        v2lite.heads = 16;
        v2lite.kvHeads = 16;
        v2lite.headDim = 128;
        v2lite.kvLoraRank = 512;
        v2lite.ropeHeadDim = 64;
        v2lite.valueHeadDim = 128;
        v2lite.vocab = 102400;
        v2lite.denseFfn = 10944;
        v2lite.gating = Gating::Softmax;
        v2lite.normaliseTopK = false;
        shapes.push_back(v2lite);

        ModelShape mixtral;
        mixtral.name = "mixtral-8x7b";
        mixtral.layers = 32;
        mixtral.hidden = 4096;
        mixtral.expertFfn = 14336;
        mixtral.routedExperts = 8;
        mixtral.topK = 2;
        mixtral.heads = 32;
        mixtral.kvHeads = 8;
        mixtral.headDim = 128;
        mixtral.vocab = 32000;
        mixtral.denseFfn = 14336;
        mixtral.normaliseTopK = true;
        shapes.push_back(mixtral);

        ModelShape qwen;
        qwen.name = "qwen3-30b-a3b";
        qwen.layers = 48;
        qwen.hidden = 2048;
        qwen.expertFfn = 768;
        qwen.routedExperts = 128;
        qwen.topK = 8;
        qwen.heads = 32;
        qwen.kvHeads = 4;
        qwen.headDim = 128;
        qwen.vocab = 151936;
        qwen.denseFfn = 6144;
        qwen.normaliseTopK = true;
        shapes.push_back(qwen);

        ModelShape olmoe;
        olmoe.name = "olmoe-1b-7b";
        olmoe.layers = 16;
        olmoe.hidden = 2048;
        olmoe.expertFfn = 1024;
        olmoe.routedExperts = 64;
        olmoe.topK = 8;
        olmoe.heads = 16;
        olmoe.kvHeads = 16;
        olmoe.headDim = 128;
        olmoe.vocab = 50304;
        olmoe.denseFfn = 1024;
        olmoe.normaliseTopK = false;
        shapes.push_back(olmoe);
        return shapes;
    }();
    return table;
}

const ModelShape *findPreset(const std::string &name)
{
    const std::string wanted = lowered(name);
    for (const ModelShape &shape : presets()) {
        if (shape.name == wanted)
            return &shape;
    }
    return nullptr;
}

AttentionKind ModelShape::attention() const
{
    if (kvLoraRank > 0)
        return AttentionKind::Latent;
    return kvHeads == heads ? AttentionKind::MultiHead : AttentionKind::GroupedQuery;
}

std::size_t ModelShape::headOutputWidth() const
{
    return heads * (attention() == AttentionKind::Latent ? valueHeadDim : headDim);
}

std::size_t ModelShape::cacheWidth() const
{
    return attention() == AttentionKind::Latent ? kvLoraRank + ropeHeadDim
                                                : 2 * kvHeads * headDim;
}

const char *attentionName(AttentionKind kind)
{
    switch (kind) {
    case AttentionKind::GroupedQuery:
        return "grouped-query";
    case AttentionKind::Latent:
        return "latent";
    case AttentionKind::MultiHead:
        break;
    }
    return "multi-head";
}

std::vector<MatrixShape> attentionMatrices(const ModelShape &shape)
{
    const std::size_t hidden = shape.hidden;
    if (shape.attention() != AttentionKind::Latent) {
        const std::size_t qDim = shape.heads * shape.headDim;
        const std::size_t kvDim = shape.kvHeads * shape.headDim;
        return {{qDim, hidden}, {kvDim, hidden}, {kvDim, hidden}, {hidden, qDim}};
    }
    std::vector<MatrixShape> matrices;
    if (shape.qLoraRank > 0)
        matrices.push_back({shape.qLoraRank, hidden});
    matrices.push_back({shape.queryWidth(), shape.qLoraRank > 0 ? shape.qLoraRank : hidden});
    matrices.push_back({shape.kvLoraRank + shape.ropeHeadDim, hidden});
    matrices.push_back({shape.kvLoraRank, shape.headDim, shape.heads});
    matrices.push_back({shape.valueHeadDim, shape.kvLoraRank, shape.heads});
    matrices.push_back({hidden, shape.headOutputWidth()});
    return matrices;
}

std::size_t attentionNormParams(const ModelShape &shape)
{
    return shape.attention() == AttentionKind::Latent ? shape.qLoraRank + shape.kvLoraRank : 0;
}

double attendFlopsPerPosition(const ModelShape &shape)
{
    if (shape.attention() == AttentionKind::Latent) {
        // Scores: the absorbed query against the latent and the RoPE query against the RoPE
        // key; then the scores' sum of latents.
        return 2.0 * dbl(shape.heads) * dbl(2 * shape.kvLoraRank + shape.ropeHeadDim);
    }
    return 4.0 * dbl(shape.heads * shape.headDim);
}

std::size_t attentionParams(const ModelShape &shape)
{
    std::size_t params = 0;
    for (const MatrixShape &matrix : attentionMatrices(shape))
        params += matrix.count * matrix.rows * matrix.cols;
    return params;
}

std::size_t ffnParams(const ModelShape &shape, std::size_t ffn) { return 3 * shape.hidden * ffn; }

double totalParams(const ModelShape &shape)
{
    const double perLayerCommon =
        dbl(attentionParams(shape) + attentionNormParams(shape)) + 2.0 * dbl(shape.hidden);
    const double moeLayer = dbl(shape.routedExperts + shape.sharedExperts) *
                                dbl(ffnParams(shape, shape.expertFfn)) +
                            dbl(shape.routedExperts) * dbl(shape.hidden);
    const double denseLayer = dbl(ffnParams(shape, shape.denseFfn));
    return dbl(shape.layers) * perLayerCommon + dbl(shape.moeLayers()) * moeLayer +
           dbl(shape.denseLayers) * denseLayer + 2.0 * dbl(shape.vocab) * dbl(shape.hidden) +
           dbl(shape.hidden);
}

double activeParams(const ModelShape &shape)
{
    const double perLayerCommon =
        dbl(attentionParams(shape) + attentionNormParams(shape)) + 2.0 * dbl(shape.hidden);
    const double moeLayer =
        dbl(shape.topK + shape.sharedExperts) * dbl(ffnParams(shape, shape.expertFfn)) +
        dbl(shape.routedExperts) * dbl(shape.hidden);
    const double denseLayer = dbl(ffnParams(shape, shape.denseFfn));
    return dbl(shape.layers) * perLayerCommon + dbl(shape.moeLayers()) * moeLayer +
           dbl(shape.denseLayers) * denseLayer + dbl(shape.vocab) * dbl(shape.hidden) +
           dbl(shape.hidden);
}

double bytesPerWeight(Precision precision)
{
    switch (precision) {
    case Precision::Fp32:
        return 4.0;
    case Precision::Bf16:
        return 2.0;
    case Precision::Q4:
        return (kQuantBlock / 2 + 2.0) / kQuantBlock;
    case Precision::Int8:
        break;
    }
    return 1.0;
}

double attentionWeightBytes(const ModelShape &shape, Precision precision)
{
    double bytes = 4.0 * dbl(attentionNormParams(shape));
    for (const MatrixShape &matrix : attentionMatrices(shape))
        bytes += dbl(matrix.count) * matrixBytes(matrix.rows, matrix.cols, precision);
    return bytes;
}

double matrixBytes(std::size_t rows, std::size_t cols, Precision precision)
{
    // Rows are stored in groups; fp32 columns one by one, bf16 in pairs, int8 and q4 in blocks.
    std::size_t columnUnit = kQuantBlock;
    if (precision == Precision::Fp32)
        columnUnit = 1;
    else if (precision == Precision::Bf16)
        columnUnit = 2;
    const std::size_t paddedRows = (rows + kRowGroup - 1) / kRowGroup * kRowGroup;
    const std::size_t paddedCols = (cols + columnUnit - 1) / columnUnit * columnUnit;
    const double weights = bytesPerWeight(precision) * dbl(paddedRows) * dbl(paddedCols);
    return precision == Precision::Int8 ? weights + 4.0 * dbl(rows) : weights;
}

TokenCost DecodeLayerParts::total() const
{
    return {attention.bytes + router.bytes + ffn.bytes, attention.flops + router.flops + ffn.flops};
}

DecodeLayerParts decodeLayerParts(const ModelShape &shape, Precision precision,
                                  std::size_t contextTokens, bool moe)
{
    DecodeLayerParts parts;
    TokenCost &attention = parts.attention;
    attention.bytes = attentionWeightBytes(shape, precision) + 2.0 * 4.0 * dbl(shape.hidden);
    attention.flops = 2.0 * dbl(attentionParams(shape));
    // The cache (keys and values, or latents and RoPE keys) of every attended position, fp32.
    attention.bytes += 4.0 * dbl(contextTokens) * dbl(shape.cacheWidth());
    attention.flops += dbl(contextTokens) * attendFlopsPerPosition(shape);
    auto ffnCost = [&](std::size_t ffn, double count) {
        return TokenCost{count * (2.0 * matrixBytes(ffn, shape.hidden, precision) +
                                  matrixBytes(shape.hidden, ffn, precision)),
                         count * 2.0 * dbl(ffnParams(shape, ffn))};
    };
    if (moe) {
        parts.router = {4.0 * dbl(shape.routedExperts) * dbl(shape.hidden),
                        2.0 * dbl(shape.routedExperts) * dbl(shape.hidden)};
        parts.ffn = ffnCost(shape.expertFfn, dbl(shape.topK + shape.sharedExperts));
    } else {
        parts.ffn = ffnCost(shape.denseFfn, 1.0);
    }
    return parts;
}

TokenCost decodeLayerCost(const ModelShape &shape, Precision precision, std::size_t contextTokens,
                          bool moe)
{
    return decodeLayerParts(shape, precision, contextTokens, moe).total();
}

TokenCost headCost(const ModelShape &shape, Precision precision)
{
    TokenCost cost;
    cost.bytes = matrixBytes(shape.vocab, shape.hidden, precision) + 4.0 * dbl(shape.hidden);
    cost.flops = 2.0 * dbl(shape.vocab) * dbl(shape.hidden);
    return cost;
}

double prefillLayerFlops(const ModelShape &shape, std::size_t tokens, bool moe)
{
    double weights = dbl(attentionParams(shape));
    if (moe) {
        weights += dbl(shape.topK + shape.sharedExperts) * dbl(ffnParams(shape, shape.expertFfn)) +
                   dbl(shape.routedExperts) * dbl(shape.hidden);
    } else {
        weights += dbl(ffnParams(shape, shape.denseFfn));
    }
    const double t = dbl(tokens);
    // Causal attention: token i (from 1) attends i positions.
    const double attention = t * (t + 1.0) / 2.0 * attendFlopsPerPosition(shape);
    return 2.0 * t * weights + attention;
}

TokenCost fullModelDecodeCost(const ModelShape &shape, Precision precision,
                              std::size_t contextTokens)
{
    const TokenCost moe = decodeLayerCost(shape, precision, contextTokens, true);
    const TokenCost dense = decodeLayerCost(shape, precision, contextTokens, false);
    const TokenCost head = headCost(shape, precision);
    TokenCost total;
    total.bytes = dbl(shape.moeLayers()) * moe.bytes + dbl(shape.denseLayers) * dense.bytes +
                  head.bytes;
    total.flops = dbl(shape.moeLayers()) * moe.flops + dbl(shape.denseLayers) * dense.flops +
                  head.flops;
    return total;
}

double fullModelWeightBytes(const ModelShape &shape, Precision precision)
{
    return totalParams(shape) * bytesPerWeight(precision);
}

const char *precisionName(Precision precision)
{
    switch (precision) {
    case Precision::Fp32:
        return "fp32";
    case Precision::Bf16:
        return "bf16";
    case Precision::Q4:
        return "q4";
    case Precision::Int8:
        break;
    }
    return "int8";
}

std::optional<Precision> precisionNamed(std::string_view name)
{
    for (Precision precision : kPrecisions) {
        if (name == precisionName(precision))
            return precision;
    }
    return std::nullopt;
}

const char *gatingName(Gating gating)
{
    return gating == Gating::Softmax ? "softmax" : "sigmoid+bias";
}

} // namespace cliff::bench
